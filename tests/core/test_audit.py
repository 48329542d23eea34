"""The audit line of a save and the field-by-field changes history shows."""

from __future__ import annotations

from bluezone_tui.day.submission import Submission
from bluezone_tui.git import audit
from helpers.data import DEMO_DAY, at


def report(figures, revision=1, note="", at_=(14, 30), who="lan"):  # type: ignore[no-untyped-def]
    return Submission(
        unit_id="xa-long-khanh-b",
        day=DEMO_DAY,
        figures=figures,
        reported_at=at(DEMO_DAY, *at_),
        entered_by=who,
        entered_at=at(DEMO_DAY, 14, 52),
        revision=revision,
        note=note,
    )


def form(registry):  # type: ignore[no-untyped-def]
    return registry.by_id["xa-long-khanh-b"].form


def test_the_subject_reads_as_an_audit_line(shipped_registry):
    before = report({"residents_installed": 433})
    after = report({"residents_installed": 450}, revision=3)
    message = audit.save_message(before, after, form(shipped_registry))
    subject, blank, *body = message.splitlines()
    assert subject == "xa-long-khanh-b 2020-08-20: residents_installed 433 → 450 (bản 3)"
    assert blank == ""
    assert body == [
        "residents_installed 433 → 450",
        "Người nhập: lan lúc 2020-08-20 14:52:00 +0700",
    ]


def test_changes_in_form_order_then_time_note_and_confirmations(shipped_registry):
    before = report({"teams_formed": 2, "residents_installed": 433})
    after = report({"residents_installed": 450, "desk_officer": True}, note="sửa", at_=(14, 45))
    keys = [c.key for c in audit.changes(before, after, form(shipped_registry))]
    assert keys == ["residents_installed", "teams_formed", "desk_officer", "reported_at", "note"]


def test_true_is_not_the_figure_1(shipped_registry):
    before = report({"desk_officer": 1})
    after = report({"desk_officer": True})
    assert [c.key for c in audit.changes(before, after, form(shipped_registry))] == ["desk_officer"]


def test_a_long_subject_names_how_many_more(shipped_registry):
    fields = [f.id for f in form(shipped_registry).fields if f.type == "int"]
    before = report({field: 1 for field in fields})
    after = report({field: 100_000 + i for i, field in enumerate(fields)}, revision=2)
    subject = audit.save_message(before, after, form(shipped_registry)).splitlines()[0]
    assert len(subject) < 180
    assert "thay đổi khác" in subject and subject.endswith("(bản 2)")


def test_text_from_a_file_is_escaped_in_the_message(shipped_registry):
    after = report({"residents_installed": 1}, note="a\x1b[31mb")
    message = audit.save_message(None, after, form(shipped_registry))
    assert "\x1b" not in message and "\\x1b" in message


def test_values_for_people_are_vietnamese(shipped_registry):
    change = audit.Change("residents_installed", 12500, 12650)
    assert (
        change.for_people(form(shipped_registry)) == "Đã cài (residents_installed): 12.500 → 12.650"
    )
    assert audit.Change("desk_officer", None, True).audit() == "desk_officer có"


def test_a_report_time_for_people():
    change = audit.Change("reported_at", None, at(DEMO_DAY, 14, 30, 15))
    assert change.for_people(None) == "Giờ báo cáo: – → 20/08/2020 14:30:15"
