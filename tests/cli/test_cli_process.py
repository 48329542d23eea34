"""The CLI as a real process: `python -m bluezone_tui`, exit codes, TZ independence, no Textual."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bluezone_tui.cli.main import main
from helpers.data import REPO
from helpers.process import run_cli


def run(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None):
    """The CLI as a process with the child's own output encoding; its output must be UTF-8."""
    result = run_cli(*args, env=env, cwd=cwd, io_encoding=None, strict=True)
    assert "Traceback" not in result.err and "Traceback" not in result.out, result.err
    return result.code, result.out, result.err


def test_python_m_export(demo_data):
    code, out, err = run(
        "--data", demo_data, "export", "--date", "2020-08-20", "--now", "2020-08-20T16:30"
    )
    assert code == 0, err
    assert "6.090" in out and "120.514" in out and "5,05%" in out
    assert "ngày 20 tháng 8 năm 2020" in out


@pytest.mark.parametrize("stdin_tty", [False, True])
def test_no_command_without_a_terminal_prints_the_status(demo_data, stdin_tty):
    """`bluezone` in a pipe or a cron job must not start the board and hang."""
    env = {k: v for k, v in os.environ.items() if k not in ("BLUEZONE_DATA", "BLUEZONE_DEBUG")}
    if stdin_tty:  # a terminal on stdin is not enough: stdout is a pipe
        pty = pytest.importorskip("pty")
        primary, secondary = pty.openpty()
        stdin = secondary
    else:
        stdin = subprocess.DEVNULL
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bluezone_tui", "--data", str(demo_data)],
            stdin=stdin,
            capture_output=True,
            env=env,
            cwd=REPO,
            timeout=60,
        )
    finally:
        if stdin_tty:
            os.close(primary)
            os.close(secondary)
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert result.returncode == 0, err
    assert "Traceback" not in err
    assert "Huyện Hồng Ngự" in out and "Đã báo cáo" in out
    assert "terminal" in err and len(err.splitlines()) == 1


def test_board_without_a_terminal_is_a_usage_error(demo_data):
    result = subprocess.run(
        [sys.executable, "-m", "bluezone_tui", "--data", str(demo_data), "board"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        cwd=REPO,
        timeout=60,
    )
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2
    assert "terminal" in err and "bluezone status" in err
    assert result.stdout == b""


def test_help_is_exit_0():
    code, out, _ = run("--help")
    assert code == 0
    for command in ("status", "submit", "export", "check", "init"):
        assert command in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["frobnicate"], 2),
        (["status", "--date", "2020-13-45", "--now", "2020-08-20T10:00"], 2),
        (["status", "--now", "tomorrow"], 2),
        (["export", "--format", "odt", "--now", "2020-08-20T10:00"], 2),
        (["export", "--delimiter", "ab", "--now", "2020-08-20T10:00"], 2),
        (["submit", "xa-long-khanh-b", "--now", "2020-08-20T10:00"], 2),
        (["submit", "xa-long-khanh-b", "--now", "2020-08-20T10:00", "residents"], 2),
        (
            [
                "submit",
                "xa-long-khanh-b",
                "--now",
                "2020-08-20T10:00",
                "--if-revision",
                "x",
                "residents_installed=1",
            ],
            2,
        ),
        (
            [
                "submit",
                "xa-long-khanh-b",
                "--now",
                "2020-08-20T10:00",
                "--reported-at",
                "3pm",
                "residents_installed=1",
            ],
            2,
        ),
        (["submit", "xa-long-khanh-b", "--now", "2020-08-20T10:00", "residents_installed=x"], 1),
        (["submit", "../../etc/passwd", "--now", "2020-08-20T10:00", "residents_installed=1"], 1),
        (["status", "--bogus"], 2),
    ],
)
def test_usage_and_refused_input_exit_codes(demo_data, args, expected):
    code, out, err = run("--data", demo_data, *args)
    assert code == expected, err
    assert err.strip()  # a sentence for the user


def test_bad_registry_in_a_process(demo_data):
    registry = demo_data / "units.yaml"
    registry.write_text(registry.read_text() + "\n  - {id: Bad/Id, name: X, group: commune}\n")
    code, _, err = run("--data", demo_data, "status", "--now", "2020-08-20T10:00")
    assert code == 2
    assert f"{registry}:" in err
    code, out, _ = run("--data", demo_data, "check")
    assert code == 2 and f"{registry}:" in out


def test_binary_garbage_registry(demo_data):
    (demo_data / "units.yaml").write_bytes(b"\x00\xff\xfe\x00garbage")
    code, _, err = run("--data", demo_data, "export", "--now", "2020-08-20T10:00")
    assert code == 2 and "units.yaml" in err


def test_broken_file_in_a_process(demo_data):
    path = demo_data / "submissions" / "2020-08-20" / "xa-phu-thuan-b.toml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    code, out, err = run(
        "--data", demo_data, "status", "--date", "2020-08-20", "--now", "2020-08-20T16:30"
    )
    assert code == 1
    assert str(path) in err
    assert "xa-long-khanh-b" in out
    code, out, _ = run("--data", demo_data, "check")
    assert code == 1 and str(path) in out


def test_bluezone_data_env_in_a_process(demo_data, tmp_path):
    code, out, _ = run(
        "status",
        "--date",
        "2020-08-20",
        "--now",
        "2020-08-20T16:30",
        env={"BLUEZONE_DATA": str(demo_data)},
        cwd=tmp_path,
    )
    assert code == 0 and "6.090 / 120.514" in out
    code, _, err = run("status", "--now", "2020-08-20T16:30", cwd=tmp_path)
    assert code == 2 and "units.yaml" in err


# --------------------------------------------------------------------------- TZ independence


@pytest.fixture
def boundary_data(empty_data) -> Path:
    """Two communes reported at 15:00:00 and 15:00:01 on 20 Aug 2020."""
    for unit_id, moment in (
        ("xa-long-khanh-b", "2020-08-20T15:00:00"),
        ("xa-long-khanh-a", "2020-08-20T15:00:01"),
    ):
        assert (
            main(
                [
                    "--data",
                    str(empty_data),
                    "submit",
                    unit_id,
                    "--date",
                    "2020-08-20",
                    "--now",
                    "2020-08-20T16:00",
                    "--reported-at",
                    moment,
                    "residents_installed=10",
                ]
            )
            == 0
        )
    return empty_data


def test_status_is_the_same_under_any_tz(boundary_data):
    outputs = {}
    for tz in ("UTC", "America/New_York", "Asia/Ho_Chi_Minh", "Pacific/Kiritimati"):
        code, out, err = run(
            "--data", boundary_data, "status", "--now", "2020-08-20T15:00:01", env={"TZ": tz}
        )
        assert code == 0, err
        outputs[tz] = out
        lines = out.splitlines()
        assert "ngày 20 tháng 8 năm 2020" in lines[0]
        assert "đúng hạn" in next(x for x in lines if "xa-long-khanh-b" in x)
        assert "trễ hạn" in next(x for x in lines if "xa-long-khanh-a" in x)
        assert "chưa báo cáo" in next(x for x in lines if "xa-long-thuan" in x)
    assert len(set(outputs.values())) == 1


def test_not_yet_due_at_15_00_under_new_york_tz(boundary_data):
    code, out, _ = run(
        "--data",
        boundary_data,
        "status",
        "--now",
        "2020-08-20T15:00",
        env={"TZ": "America/New_York"},
    )
    assert code == 0
    assert "chưa đến hạn" in next(x for x in out.splitlines() if "xa-long-thuan" in x)
    assert "chưa báo cáo 0 · chưa đến hạn 11" in out


def test_csv_export_is_the_same_under_any_tz(boundary_data):
    outputs = set()
    for tz in ("UTC", "America/New_York"):
        code, out, _ = run(
            "--data",
            boundary_data,
            "export",
            "--date",
            "2020-08-20",
            "--now",
            "2020-08-20T16:30",
            "--format",
            "csv",
            env={"TZ": tz},
        )
        assert code == 0
        assert "2020-08-20T15:00:00+07:00" in out
        outputs.add(out)
    assert len(outputs) == 1


# --------------------------------------------------------------------------- import hygiene


def test_every_package_but_tui_and_the_headless_cli_never_import_textual(demo_data, tmp_path):
    report = tmp_path / "modules.json"
    script = textwrap.dedent(
        f"""
        import importlib, importlib.util, json, pkgutil, sys

        import bluezone_tui
        names = []
        for top in pkgutil.iter_modules(bluezone_tui.__path__, "bluezone_tui."):
            if top.name in ("bluezone_tui.tui", "bluezone_tui.__main__"):
                continue
            names.append(top.name)
            module = importlib.import_module(top.name)
            for sub in pkgutil.walk_packages(getattr(module, "__path__", []), top.name + "."):
                names.append(sub.name)
                importlib.import_module(sub.name)
        import bluezone_tui.cli.main as cli

        data = {str(demo_data)!r}
        codes = [
            cli.main(["--data", data, "status", "--date", "2020-08-20", "--now",
                      "2020-08-20T16:30"]),
            cli.main(["--data", data, "export", "--date", "2020-08-20", "--now",
                      "2020-08-20T16:30"]),
            cli.main(["--data", data, "export", "--date", "2020-08-20", "--now",
                      "2020-08-20T16:30", "--format", "csv"]),
            cli.main(["--data", data, "check"]),
            cli.main(["--data", data, "submit", "xa-long-khanh-b", "--date", "2020-08-27",
                      "--now", "2020-08-27T10:00", "residents_installed=800"]),
            cli.main(["init", {str(tmp_path / "new")!r}]),
            cli.main(["--data", data, "remind", "--date", "2020-08-20", "--now",
                      "2020-08-20T14:00", "--format", "csv"]),
            cli.main(["province", "--date", "2020-08-20", "--now", "2020-08-20T16:45", data,
                      "--format", "xlsx", "--output", {str(tmp_path / "tinh.xlsx")!r}]),
            cli.main(["--data", data, "export", "--date", "2020-08-20", "--now",
                      "2020-08-20T16:30", "--format", "dhis2"]),
        ]
        loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
        tui = sorted(m for m in sys.modules if m.startswith("bluezone_tui.tui"))
        with open({str(report)!r}, "w") as handle:
            json.dump({{"names": names, "codes": codes, "textual": loaded, "tui": tui,
                       "available": importlib.util.find_spec("textual") is not None}}, handle)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    found = json.loads(report.read_text())
    assert found["available"]  # Textual is installed, so its absence below means something
    assert {
        f"bluezone_tui.{name}"
        for name in (
            "registry.load",
            "day.store",
            "day.status",
            "day.consolidate",
            "reports.csv",
            "reports.text",
            "day.validate",
            "base.vn",
            "base.clock",
            "day.check",
            "day.entry",
            "day.remind",
            "province.sources",
            "reports.dhis2",
            "reports.xlsx",
            "git.sync",
            "export",
            "cli.main",
        )
    } <= set(found["names"])
    assert found["codes"] == [0] * 9
    assert found["textual"] == []
    assert found["tui"] == []


@pytest.mark.parametrize(
    "command",
    [
        ["status", "--date", "2020-08-26", "--now", "2020-08-26T14:50"],
        ["units", "list"],
        ["remind", "--date", "2020-08-26", "--now", "2020-08-26T14:10"],
        # the province's ranking ("13,8" / "1%" was folded): its own data and the samples
        ["province", "--date", "2020-08-20", "--now", "2020-08-20T16:00", "{data}",
         *sorted(str(p) for p in (REPO / "demo" / "province").iterdir())],
    ],
)  # fmt: skip
def test_a_narrow_terminal_gets_its_tables_fitted_no_figure_broken(demo_data, command):
    """Main printed status's 94-column table on a 40-column terminal, which folded it
    wherever its edge fell: "0277 3" / "847 105". On a terminal, a command's tables and
    lines now fit its width; in a pipe they keep theirs (for a pager)."""
    pty = pytest.importorskip("pty")
    import fcntl
    import struct
    import termios

    command = [str(demo_data) if arg == "{data}" else arg for arg in command]
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 40, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "BLUEZONE_DATA")}
    env["LANG"] = "C.UTF-8"
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "bluezone_tui", "--data", str(demo_data), *command],
            stdin=subprocess.DEVNULL,
            stdout=secondary,
            stderr=subprocess.PIPE,
            env=env,
            cwd=REPO,
        )
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=60) == 0, (
            process.stderr.read().decode() if process.stderr else ""
        )
    finally:
        os.close(primary)
    shown = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    lines = shown.splitlines()
    piped = run("--data", demo_data, *command)[1]
    # left for the terminal to fold: a word longer than a line (a source's path), and a
    # ready-made SMS (copied, it must carry no line breaks)
    piped_lines = piped.splitlines()
    messages = {
        b for a, b in zip(piped_lines, piped_lines[1:], strict=False) if a.strip() == "Tin nhắn:"
    }
    assert all(message in lines for message in messages)
    too_wide = [ln for ln in lines if len(ln) > 40 and " " in ln.strip() and ln not in messages]
    assert lines and not too_wide, too_wide
    assert max(map(len, piped.splitlines())) > 40  # the same output in a pipe: as wide as it is
    for phone in re.findall(r"0277 \d{4} \d{3}", piped):
        assert phone in shown
    for figure in re.findall(r"\d[\d.]*,\d+%", piped):  # a rate is never cut
        assert figure in shown
