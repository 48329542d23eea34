"""Reminders: who is reminded when, and what each message says."""

from __future__ import annotations

import csv
import io
import re

from bluezone_tui.day.loader import load_status
from bluezone_tui.day.remind import (
    numbers_whole,
    reminders,
    render_csv,
    render_text,
    situation,
    undialable,
    without_phone,
)
from bluezone_tui.day.state import State
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry
from helpers.data import DEMO_DAYS, SHIPPED_REGISTRY, at

DAY26 = DEMO_DAYS[-1]  # three communes and a school report late or never that day
OFFICE = "Đề nghị gửi số liệu về Phòng Văn hóa và Thông tin huyện Hồng Ngự (ĐT 0277 3800 307)."


def found_at(store: Store, hour: int, minute: int = 0, second: int = 0, day=DAY26):
    now = at(day, hour, minute, second)
    return reminders(load_status(store, day, now), store.registry, now), now


def by_unit(found) -> dict[str, object]:
    return {r.unit.id: r for r in found}


def test_before_the_deadline_every_expected_unit_not_yet_reported(demo_store):
    found, now = found_at(demo_store, 14, 35)
    assert [(r.unit.id, r.state) for r in found] == [
        ("xa-thuong-lac", State.NOT_YET_DUE),
        ("xa-long-khanh-b", State.NOT_YET_DUE),
        ("xa-long-thuan", State.NOT_YET_DUE),
        ("thpt-long-khanh-a", State.NOT_YET_DUE),  # reported at 14:58, not yet at 14:35
    ]
    assert not any(r.unit.group.deadline is None for r in found)  # departments are not chased
    lac = by_unit(found)["xa-thuong-lac"]
    assert lac.message == (
        "Kính gửi Xã Thường Lạc: chưa nhận được báo cáo kết quả cài đặt Bluezone ngày "
        "26/08/2020 của đơn vị (số người dân đã cài đặt (lũy kế)). Hạn trước 15 giờ 00, "
        "còn 25 phút. " + OFFICE
    )
    assert situation(lac, now) == "chưa đến hạn, còn 25 phút"
    school = by_unit(found)["thpt-long-khanh-a"].message
    assert (
        "(số cán bộ, giáo viên; số CB, GV đã cài đặt; số học sinh có ĐTTM; "
        "số học sinh đã cài đặt)" in school
    )


def test_after_the_deadline_the_missing_and_the_late(demo_store):
    found, now = found_at(demo_store, 16, 5)
    assert [(r.unit.id, r.state) for r in found] == [
        ("xa-thuong-lac", State.MISSING),
        ("xa-long-khanh-b", State.LATE),
        ("xa-long-thuan", State.MISSING),
    ]
    lac, khanh_b, _ = found
    assert lac.message == (
        "Kính gửi Xã Thường Lạc: chưa nhận được báo cáo kết quả cài đặt Bluezone ngày "
        "26/08/2020 của đơn vị (số người dân đã cài đặt (lũy kế)). Hạn trước 15 giờ 00, "
        "đã quá 1 giờ 05 phút. Đề nghị gửi ngay số liệu về Phòng Văn hóa và Thông tin "
        "huyện Hồng Ngự (ĐT 0277 3800 307)."
    )
    assert khanh_b.message == (
        "Kính gửi Xã Long Khánh B: báo cáo kết quả cài đặt Bluezone ngày 26/08/2020 của đơn "
        "vị nhận lúc 15:51, trễ 51 phút so với hạn 15 giờ 00. Đề nghị những ngày sau gửi số "
        "liệu về Phòng Văn hóa và Thông tin huyện Hồng Ngự (ĐT 0277 3800 307) trước 15 giờ 00."
    )
    assert situation(lac, now) == "chưa báo cáo, đã quá 1 giờ 05 phút"
    assert situation(khanh_b, now) == "trễ 51 phút (báo lúc 15:51)"


def test_the_deadline_second_and_the_second_after(demo_store):
    """15:00:00 is still on time (nothing has been missed); 15:00:01 is a minute late."""
    at_deadline, now = found_at(demo_store, 15, 0, 0)
    assert {r.state for r in at_deadline} == {State.NOT_YET_DUE}
    assert "Hạn trước 15 giờ 00, đã đến hạn." in at_deadline[0].message
    assert situation(at_deadline[0], now) == "chưa đến hạn, đã đến hạn"
    half_a_minute, _ = found_at(demo_store, 14, 59, 30)
    assert "còn 1 phút" in half_a_minute[0].message  # rounded up: never "còn 0 phút"
    after, _ = found_at(demo_store, 15, 0, 1)
    assert {r.unit.id: r.state for r in after}["xa-thuong-lac"] is State.MISSING
    assert "đã quá 1 phút" in after[0].message


def test_a_later_day_asks_for_the_figures_to_be_filled_in(demo_store):
    now = at(DAY26.replace(day=27), 9)
    found = reminders(load_status(demo_store, DAY26, now), demo_store.registry, now)
    assert found[0].message.endswith(
        "Hạn trước 15 giờ 00 ngày 26/08/2020. Đề nghị gửi bổ sung số liệu về Phòng Văn hóa "
        "và Thông tin huyện Hồng Ngự (ĐT 0277 3800 307)."
    )
    assert situation(found[0], now) == "chưa báo cáo"


def test_a_late_report_after_the_deadline_and_a_day_with_nothing_to_remind(demo_store):
    found, _ = found_at(demo_store, 16, 30, day=DEMO_DAYS[0])
    assert [(r.unit.id, r.state) for r in found] == [("xa-phu-thuan-a", State.LATE)]
    now = at(DEMO_DAYS[0], 16, 30)
    assert "Không có đơn vị nào cần nhắc." in render_text([], demo_store.registry, DAY26, now)
    assert render_csv([]) == "\ufeffphone,name,message\r\n"


def test_text_keeps_phone_numbers_whole_and_names_units_without_a_phone(demo_data):
    text = SHIPPED_REGISTRY.read_text(encoding="utf-8")
    text = text.replace('phone: "0277 3800 105"', 'phone: ""')
    # a name whose length puts a line break right after "(ĐT" unless numbers are kept whole
    text = text.replace(
        "name: Phòng Văn hóa và Thông tin huyện Hồng Ngự", "name: Phòng VH-TT huyện"
    )
    (demo_data / "units.yaml").write_text(text, encoding="utf-8")
    store = Store(demo_data, load_registry(demo_data))
    found, now = found_at(store, 14, 35)
    out = render_text(found, store.registry, DAY26, now)
    assert "1. Xã Thường Lạc — chưa đến hạn, còn 25 phút" in out
    assert "   Liên hệ: Văn phòng UBND xã (mẫu), không có số điện thoại" in out
    assert "4 đơn vị: chưa đến hạn 4." in out
    lines = out.splitlines()
    messages = {b for a, b in zip(lines, lines[1:], strict=False) if a == "   Tin nhắn:"}
    assert len(messages) == 4 and all(m.startswith("Kính gửi ") for m in messages)
    for line, following in zip(lines, lines[1:], strict=False):
        # the SMS is one line (copied, it carries no line breaks); the rest fits 78
        assert len(line) <= 78 or line in messages
        split_number = re.search(r"(ĐT|[0-9])$", line) and re.match(r" *[0-9]", following)
        assert not split_number, (line, following)
    rows = list(csv.reader(io.StringIO(render_csv(found).removeprefix("\ufeff"))))
    assert rows[0] == ["phone", "name", "message"]
    assert [row[0] for row in rows[1:]] == ["02773800107", "02773800108", "02773800203"]
    assert rows[1][1] == "Xã Long Khánh B – Văn phòng UBND xã (mẫu)"
    assert rows[1][2] == found[1].message


def test_without_an_office_the_message_says_no_place(demo_data):
    text = SHIPPED_REGISTRY.read_text(encoding="utf-8")
    start = text.index("office:")
    text = text[:start] + text[text.index("groups:") :]
    (demo_data / "units.yaml").write_text(text, encoding="utf-8")
    store = Store(demo_data, load_registry(demo_data))
    found, _ = found_at(store, 14, 35)
    assert found[0].message.endswith("Hạn trước 15 giờ 00, còn 25 phút. Đề nghị gửi số liệu.")


def test_numbers_are_kept_whole_in_the_text():
    assert numbers_whole("(ĐT 0277 3800 307) trước 15 giờ 00") == (
        "(ĐT\u00a00277\u00a03800\u00a0307) trước 15 giờ 00"
    )


def test_a_name_that_looks_like_a_formula_is_neutralised(demo_data):
    text = SHIPPED_REGISTRY.read_text(encoding="utf-8").replace(
        "name: Xã Thường Lạc", 'name: "=HYPERLINK(\\"x\\")"'
    )
    (demo_data / "units.yaml").write_text(text, encoding="utf-8")
    store = Store(demo_data, load_registry(demo_data))
    found, _ = found_at(store, 14, 35)
    rows = list(csv.reader(io.StringIO(render_csv(found).removeprefix("\ufeff"))))
    assert rows[1][1].startswith("'=HYPERLINK")
    assert rows[1][2].startswith("Kính gửi =HYPERLINK")  # inside the text: harmless


def csv_phones(found) -> list[tuple[str, str]]:
    rows = list(csv.reader(io.StringIO(render_csv(found).removeprefix("\ufeff"))))
    return [(row[0], row[1].split(" – ")[0]) for row in rows[1:]]


def test_every_phone_goes_out_in_its_one_dialing_form(demo_data):
    """Issue 20: `+84 277 3800 107` went out as `'+842773800107` (the formula guard), two
    phones in a cell went out raw, `không có` went out as a phone."""
    text = SHIPPED_REGISTRY.read_text(encoding="utf-8")
    for before, after in (
        ("0277 3800 105", "+84 277 3800 105"),  # Xã Thường Lạc
        ("0277 3800 107", "0277 3800 107 / 0912 345 678"),  # Xã Long Khánh B
        ("0277 3800 108", "không có"),  # Xã Long Thuận
        ("0277 3800 203", "2773800203"),  # Trường THPT Long Khánh A: lost its 0
    ):
        text = text.replace(f'phone: "{before}"', f'phone: "{after}"')
    (demo_data / "units.yaml").write_text(text, encoding="utf-8")
    store = Store(demo_data, load_registry(demo_data))
    found, now = found_at(store, 14, 35)
    assert csv_phones(found) == [
        ("02773800105", "Xã Thường Lạc"),
        ("02773800107", "Xã Long Khánh B"),
        ("0912345678", "Xã Long Khánh B"),
    ]
    assert "'" not in render_csv(found)
    assert [r.unit.name for r in without_phone(found)] == ["Xã Long Thuận"]
    ((unit, why),) = [(r.unit.name, why) for r, why in undialable(found)]
    assert unit == "Trường THPT Long Khánh A" and "mất số 0 ở đầu" in why
    text_out = render_text(found, store.registry, DAY26, now)
    assert "Liên hệ: Văn phòng UBND xã (mẫu), không có số điện thoại" in text_out
    # the text says why a number cannot be dialled, as the board's r does (Reminder.phone_words)
    words = " ".join(text_out.split())
    assert "Liên hệ: Văn phòng trường (mẫu), ⚠ số điện thoại «2773800203» đã mất số 0" in words
    assert all(len(line) <= 78 or line.startswith("Kính gửi ") for line in text_out.splitlines())
    assert "2773800203, " not in text_out  # never shown as if it could be called
