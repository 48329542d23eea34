"""Consolidation: district totals over communes only, rates, ranks, changes, carried figures."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from bluezone_tui.day.loader import load_day
from bluezone_tui.day.status import State
from bluezone_tui.day.store import Store
from bluezone_tui.day.submission import Submission
from helpers.data import DEMO_DAY, at, read_demo

COMMUNES = [
    "tt-thuong-thoi-tien",
    "xa-thuong-phuoc-1",
    "xa-thuong-phuoc-2",
    "xa-thuong-thoi-hau-a",
    "xa-thuong-lac",
    "xa-long-khanh-a",
    "xa-long-khanh-b",
    "xa-long-thuan",
    "xa-phu-thuan-a",
    "xa-phu-thuan-b",
]


def consolidated(store: Store, day: date, hour: int = 16, minute: int = 30):
    return load_day(store, day, at(day, hour, minute))


def expected_rate(installed: int, base: int) -> Decimal:
    return (Decimal(installed) * 100 / Decimal(base)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def row(consolidation, unit_id):
    (found,) = [r for r in consolidation.rows if r.unit.id == unit_id]
    return found


# --------------------------------------------------------------------------- the demo day


def test_demo_day_headline_figures(demo_store):
    result = consolidated(demo_store, DEMO_DAY)
    assert result.installs == 6090
    assert result.population == 120514
    assert result.rate == Decimal("5.05")
    assert result.change is None  # nothing before 20 Aug
    assert result.carried == [] and result.without_figures == []


def test_district_installs_are_the_sum_over_communes_only(demo_store):
    files = [
        (unit.id, read_demo(DEMO_DAY, unit.id)["figures"]) for unit in demo_store.registry.units
    ]
    communes = sum(f["residents_installed"] for uid, f in files if uid in COMMUNES)
    assert communes == 6090
    everyone = sum(
        sum(v for k, v in f.items() if k.endswith("_installed") and not isinstance(v, bool))
        for _, f in files
    )
    assert everyone > 6090  # departments, schools and relatives would count people twice
    assert consolidated(demo_store, DEMO_DAY).installs == communes


def test_other_groups_never_add_to_the_total(empty_store):
    day = DEMO_DAY
    for unit_id, figures in [
        ("xa-long-khanh-b", {"residents_installed": 400}),
        (
            "phong-tu-phap",
            {
                "staff": 10,
                "staff_with_smartphone": 10,
                "staff_installed": 10,
                "relatives_installed": 500,
            },
        ),
        (
            "thpt-hong-ngu-2",
            {
                "staff": 78,
                "staff_installed": 70,
                "students_with_smartphone": 900,
                "students_installed": 800,
            },
        ),
        ("huyen-doan", {"members_sent": 300}),
    ]:
        empty_store.save(
            Submission(unit_id, day, figures, reported_at=at(day, 10)), base_revision=None
        )
    result = consolidated(empty_store, day)
    assert result.installs == 400
    assert result.population == 120514
    assert len(result.without_figures) == 9  # communes that never reported add 0


def test_commune_rates_and_ranks(demo_store):
    result = consolidated(demo_store, DEMO_DAY)
    registry = demo_store.registry
    rates = {}
    for unit_id in COMMUNES:
        installed = read_demo(DEMO_DAY, unit_id)["figures"]["residents_installed"]
        rates[unit_id] = expected_rate(installed, registry.unit(unit_id).attributes["population"])
        assert row(result, unit_id).rate == rates[unit_id]
    order = sorted(COMMUNES, key=lambda u: rates[u], reverse=True)
    assert [row(result, u).rank for u in order] == list(range(1, 11))  # no ties on the demo day
    assert row(result, "xa-thuong-thoi-hau-a").rank == 1
    assert row(result, "xa-thuong-phuoc-1").rank == 10
    ranked = result.rows_in(registry.group("commune"))
    assert [r.unit.id for r in ranked] == COMMUNES  # rows stay in registry order


def test_ranks_with_ties_are_competition_ranks(empty_store):
    registry = empty_store.registry
    # populations: long-khanh-b 8700, thuong-phuoc-2 8840, phu-thuan-a 9600
    for unit_id, installed in [
        ("xa-long-khanh-b", 870),  # 10.00 %
        ("xa-thuong-phuoc-2", 884),  # 10.00 %
        ("xa-phu-thuan-a", 96),  # 1.00 %
        ("xa-long-thuan", 2460),  # 20.00 %
    ]:
        empty_store.save(
            Submission(
                unit_id, DEMO_DAY, {"residents_installed": installed}, reported_at=at(DEMO_DAY, 9)
            ),
            base_revision=None,
        )
    result = consolidated(empty_store, DEMO_DAY)
    assert row(result, "xa-long-thuan").rank == 1
    assert row(result, "xa-long-khanh-b").rank == 2
    assert row(result, "xa-thuong-phuoc-2").rank == 2
    assert row(result, "xa-phu-thuan-a").rank == 4
    assert row(result, "xa-long-khanh-a").rank is None  # never reported: no rate, no rank
    assert registry.unit("xa-long-khanh-b").attributes["population"] == 8700


def test_change_since_previous_report(demo_store):
    day = date(2020, 8, 21)
    result = consolidated(demo_store, day)
    total_before = total_now = 0
    for unit_id in COMMUNES:
        before = read_demo(DEMO_DAY, unit_id)["figures"]["residents_installed"]
        now = read_demo(day, unit_id)["figures"]["residents_installed"]
        r = row(result, unit_id)
        assert r.previous_headline == before
        assert r.change == now - before
        assert r.change > 0
        assert r.rate_change == r.rate - r.previous_rate
        total_before += before
        total_now += now
    assert result.installs == total_now
    assert result.previous_installs == total_before == 6090
    assert result.change == total_now - 6090
    assert result.rate_change == result.rate - Decimal("5.05")


def test_growth_is_plausible_every_day(demo_store):
    """0.2 to 1 point a day for each commune (demo data), within rounding."""
    for offset in range(1, 7):
        day = date(2020, 8, 20 + offset)
        result = consolidated(demo_store, day)
        for unit_id in COMMUNES:
            r = row(result, unit_id)
            if r.carried_from or r.rate_change is None:
                continue
            assert Decimal("0.15") <= r.rate_change <= Decimal("1.05"), (day, unit_id)


def test_commune_missing_today_is_carried_forward(demo_store):
    day = date(2020, 8, 24)
    result = consolidated(demo_store, day)
    r = row(result, "xa-thuong-phuoc-2")
    assert r.status.state is State.MISSING
    assert r.carried_from == date(2020, 8, 23)
    last = read_demo(date(2020, 8, 23), "xa-thuong-phuoc-2")["figures"]["residents_installed"]
    assert r.headline == last
    assert r.change is None and r.rate_change is None
    assert r.rate == expected_rate(last, 8840)
    assert result.carried == [r]
    reported = sum(
        read_demo(day, u)["figures"]["residents_installed"] for u in COMMUNES if u != r.unit.id
    )
    assert result.installs == reported + last


def test_departments_below_100_percent(demo_store):
    result = consolidated(demo_store, DEMO_DAY)
    expected_below = set()
    for unit in demo_store.registry.units:
        if unit.group.id != "department":
            continue
        figures = read_demo(DEMO_DAY, unit.id)["figures"]
        r = row(result, unit.id)
        assert r.rate == expected_rate(figures["staff_installed"], figures["staff_with_smartphone"])
        if figures["staff_installed"] < figures["staff_with_smartphone"]:
            expected_below.add(unit.id)
            assert r.meets_target is False
        else:
            assert r.meets_target is True
    assert {r.unit.id for r in result.rows if r.meets_target is False} == expected_below
    assert "phong-tu-phap" in expected_below and "phong-kinh-te-ha-tang" in expected_below
    assert row(result, "phong-kinh-te-ha-tang").rate == Decimal("62.50")


def test_department_not_reporting_keeps_its_last_figures_and_target_verdict(demo_store):
    """A department that stops reporting does not vanish from "below target": its last
    figures stay visible, marked as carried."""
    day = date(2020, 8, 21)  # phong-noi-vu did not report that day
    result = consolidated(demo_store, day)
    r = row(result, "phong-noi-vu")
    assert r.status.state is State.NO_REPORT
    assert r.carried_from == date(2020, 8, 20)
    assert r.figures == r.status.previous.figures and r.meets_target is not None
    assert r in result.carried


def test_hamlets_without_team_and_desk_officers(demo_store):
    result = consolidated(demo_store, DEMO_DAY)
    expected_gaps = {}
    expected_no_desk = set()
    for unit_id in COMMUNES:
        figures = read_demo(DEMO_DAY, unit_id)["figures"]
        hamlets = len(demo_store.registry.unit(unit_id).hamlets)
        if figures["hamlets_with_team"] < hamlets:
            expected_gaps[unit_id] = (hamlets - figures["hamlets_with_team"], hamlets)
        if figures["desk_officer"] is False:
            expected_no_desk.add(unit_id)
    gaps = {gap.unit.id: (gap.without_team, gap.hamlets) for gap in result.hamlets_without_team}
    assert gaps == expected_gaps
    assert gaps["xa-thuong-lac"] == (2, 3)
    assert {u.id for u in result.without_desk_officer} == expected_no_desk == {"xa-thuong-lac"}
    # from the 22nd every hamlet has a team; from the 23rd every commune has a desk officer
    later = consolidated(demo_store, date(2020, 8, 23))
    assert later.hamlets_without_team == [] and later.without_desk_officer == []


def test_school_rates(demo_store):
    result = consolidated(demo_store, DEMO_DAY)
    for unit_id in ("thpt-hong-ngu-2", "thpt-hong-ngu-3", "thpt-long-khanh-a"):
        f = read_demo(DEMO_DAY, unit_id)["figures"]
        assert row(result, unit_id).rate == expected_rate(
            f["staff_installed"] + f["students_installed"],
            f["staff"] + f["students_with_smartphone"],
        )
        assert row(result, unit_id).headline == f["students_installed"]
    assert row(result, "thpt-hong-ngu-2").rate == Decimal("39.21")


def test_late_and_missing_units_with_contacts(demo_store):
    day = date(2020, 8, 26)
    result = consolidated(demo_store, day)
    late = [s for s in result.status.units if s.state is State.LATE]
    missing = [s for s in result.status.units if s.state is State.MISSING]
    assert [s.unit.id for s in late] == ["xa-long-khanh-b"]
    assert {s.unit.id for s in missing} == {"xa-thuong-lac", "xa-long-thuan"}
    assert all(s.unit.contact.phone for s in missing)


def test_a_figure_shown_as_file_error_is_not_carried_into_later_days(tmp_path):
    """25 Aug holds an impossible figure (more installs than people): 'lỗi tệp' that day,
    and 26 Aug, without a report of its own, must not carry it into the district total."""
    import shutil
    from datetime import date, datetime
    from pathlib import Path

    from bluezone_tui.day.loader import load_day
    from bluezone_tui.day.status import State
    from bluezone_tui.day.store import Store
    from bluezone_tui.registry.load import load_registry

    repo = Path(__file__).resolve().parents[2]
    shutil.copy(repo / "units.yaml", tmp_path / "units.yaml")
    shutil.copytree(repo / "submissions", tmp_path / "submissions")
    day25 = tmp_path / "submissions" / "2020-08-25" / "xa-long-khanh-b.toml"
    text = day25.read_text(encoding="utf-8")
    import re

    day25.write_text(re.sub(r"residents_installed = \d+", "residents_installed = 69100", text))
    (tmp_path / "submissions" / "2020-08-26" / "xa-long-khanh-b.toml").unlink()
    registry = load_registry(tmp_path)
    store = Store(tmp_path, registry)
    tz = registry.timezone
    on25 = load_day(store, date(2020, 8, 25), datetime(2020, 8, 25, 17, tzinfo=tz)).status
    assert on25.of("xa-long-khanh-b").state is State.FILE_ERROR
    result = load_day(store, date(2020, 8, 26), datetime(2020, 8, 26, 17, tzinfo=tz))
    row = next(r for r in result.rows if r.unit.id == "xa-long-khanh-b")
    assert row.headline != 69100
    assert result.installs < 20000
