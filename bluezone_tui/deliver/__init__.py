"""The report and messages leaving the office: email over SMTP, and the outbox that
records each message before it goes. May import export and everything below it
(province, reports, git, day, registry, base); never the board."""
