"""The report and messages leaving the office: email over SMTP (mail.py), SMS through
gammu or an HTTP gateway (sms.py), the signed report's letters (report.py), the rounds of
reminders (rounds.py), and the outbox that records each message before it goes.

May import: signing, export and everything below them (province, reports, git, day,
registry, base); never the board or the command line.
"""
