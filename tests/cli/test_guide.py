"""HUONG-DAN.md, the guide for office staff: linked from the README, true to the tool."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bluezone_tui.cli.argparse_vi import vietnamese
from bluezone_tui.cli.main import build_parser
from bluezone_tui.day.state import State
from bluezone_tui.tui.screens.help import KEYS
from helpers.data import REPO

GUIDE = (REPO / "HUONG-DAN.md").read_text("utf-8")


def test_the_readme_links_the_guide():
    assert "](HUONG-DAN.md)" in (REPO / "README.md").read_text("utf-8")


def test_the_guide_explains_every_status_and_every_board_key():
    for state in State:
        assert f"| {state.symbol} | {state.label} |" in GUIDE, state
    for key, text in KEYS:
        if key and text and key not in ("Giờ báo cáo", "Dán nhiều dòng", "Rồi", "Xem danh mục",
                                        "Từ bảng tính", "*", "…", "Ctrl+A"):  # fmt: skip
            first = key.split()[0]
            assert first in GUIDE, key


def test_every_command_in_the_guide_is_one_the_tool_takes():
    """Each example is parsed as the tool would: a renamed option fails here."""
    with vietnamese():
        parser = build_parser()
    examples = re.findall(r"^    (bluezone .+)$", GUIDE, re.MULTILINE)
    examples += re.findall(r"`(bluezone [^`]+)`", GUIDE)
    assert len(examples) > 10
    for example in examples:
        words = shlex.split(example)[1:]
        if not words or "LỆNH" in words or "--help" in words:
            continue  # `bluezone LỆNH --help` and the like are shown by every test of help
        args, extra = parser.parse_known_args(words)
        assert not extra, example


# ----------------------------------------------------------------- tried as a new office would

BASH = shutil.which("bash")
VENV_BLUEZONE = REPO / ".venv" / "bin" / "bluezone"


def section(title: str) -> str:
    """The guide's text from the heading or bold lead `title` to the next heading."""
    start = GUIDE.index(title)
    end = GUIDE.find("\n## ", start + 1)
    return GUIDE[start : end if end > 0 else None]


def code_lines(text: str) -> list[str]:
    """The commands of a part of the guide: its indented lines, in order."""
    return [line.strip() for line in text.splitlines() if re.match(r" {4,}\S", line)]


def shell(commands: list[str], home: Path, env_extra: dict[str, str] | None = None):
    assert BASH is not None
    env = {
        "HOME": str(home),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "USER": "vhtt",
        "LOGNAME": "vhtt",
        **(env_extra or {}),
    }
    result = subprocess.run(
        [BASH, "-euc", "\n".join(commands)], capture_output=True, env=env, cwd=home, timeout=300
    )
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert result.returncode == 0, f"{commands}\n{out}\n{err}"
    return out, err


needs_the_install = pytest.mark.skipif(
    BASH is None or not VENV_BLUEZONE.exists(),
    reason="needs bash and the README's install (.venv/bin/bluezone)",
)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A new office's home folder, with the project cloned (and installed) where the guide
    says: ~/bluezone-tui."""
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "bluezone-tui").symlink_to(REPO)
    (folder / ".gitconfig").write_text("")
    return folder


@needs_the_install
def test_after_the_install_the_guide_puts_bluezone_on_the_path(home):
    """Main's guide typed `bluezone` bare right after the README's install, which leaves it
    in .venv/bin: "command not found". Its three lines now put it on the PATH."""
    install = section("## 0. Cài đặt phần mềm")
    assert ".venv/bin/pip install -e ." in install and "chưa có trong" in install
    lines = code_lines(install)
    on_path = lines[lines.index("mkdir -p ~/.local/bin") :]
    assert len(on_path) == 3
    shell(on_path, home)
    out, _ = shell([". ~/.profile", "command -v bluezone", "bluezone --help"], home)
    assert out.splitlines()[0] == str(home / ".local" / "bin" / "bluezone")
    assert "Theo dõi báo cáo cài đặt Bluezone" in out


@needs_the_install
def test_step_one_needs_no_administrator_and_names_the_signer(home):
    """Main's step 1 wrote into /srv/bluezone/…, which a clerk's account cannot."""
    first = section("## 1. Lần đầu")
    (init,) = [line for line in code_lines(first) if line.startswith("bluezone init ")]
    assert " ~/" in init and "/srv" not in init and "--signer" in init
    assert "sudo" in first  # /srv only through the administrator's step
    path = str(VENV_BLUEZONE.parent)
    shell([init], home, {"PATH": f"{path}:/usr/bin:/bin"})
    data = home / "bluezone" / "tan-hong"
    out, err = shell(
        [f"bluezone --data {data} check || true"], home, {"PATH": f"{path}:/usr/bin:/bin"}
    )
    assert "signer_name" not in out  # the signer is named: only the units are still to come
    assert "0 lỗi, 2 cảnh báo" in err


@needs_the_install
def test_the_shared_repository_is_set_up_as_the_guide_says(tmp_path):
    """Setting up the repository two offices share was only in the English README: the
    guide's own commands, run as written (the server's address is a local folder here)."""
    start = GUIDE.index("**Đặt kho chung lần đầu**")
    part = GUIDE[start : GUIDE.index("Phần mềm không bao giờ hỏi mật khẩu", start)]
    commands = code_lines(part)
    assert commands[0].startswith("ssh-keygen -t ed25519")
    first = commands[1:3]
    others = commands[3:]
    assert (
        first[0].startswith("git -C ~/bluezone/tan-hong remote add origin ")
        and first[1] == "bluezone sync"
    )
    assert others[0].startswith("git clone ") and others[-1] == "bluezone sync"
    server = tmp_path / "server"
    (server / "hong-ngu").mkdir(parents=True)
    admin = re.search(r"`(git init --bare [^`]+)`", part)
    assert admin is not None
    shell([admin.group(1)], server)
    address = "git@may-chu:hong-ngu/bluezone.git"
    assert address in part

    def run_as(office: str, lines: list[str]) -> str:
        home = tmp_path / office
        home.mkdir(exist_ok=True)
        (home / ".gitconfig").touch()
        data = home / "bluezone" / "tan-hong"
        lines = [line.replace(address, str(server / "hong-ngu" / "bluezone.git")) for line in lines]
        path = f"{VENV_BLUEZONE.parent}:/usr/bin:/bin"
        return shell(lines, home, {"PATH": path, "BLUEZONE_DATA": str(data)})[0]

    (init,) = [
        line for line in code_lines(section("## 1. Lần đầu")) if line.startswith("bluezone init ")
    ]
    out = run_as("huyen", [init, *first])
    assert "Đã đồng bộ với origin/" in out and "gửi 1 commit" in out
    out = run_as("so", others)
    assert "Đã đồng bộ với origin/" in out
    shared = tmp_path / "so" / "bluezone" / "tan-hong" / "units.yaml"
    assert "Huyện Tân Hồng" in shared.read_text(encoding="utf-8")


@needs_the_install
def test_reports_kept_as_sent_with_the_guides_commands(tmp_path, home):
    """--mark-sent and --as-of were not in the guide: its commands, run on a new office."""
    daily = section("## 2. Công việc hằng ngày")
    lines = code_lines(daily)
    mark = next(line for line in lines if "--mark-sent" in line)
    as_of = next(line for line in lines if "--as-of" in line)
    since = next(line for line in lines if "--since-sent" in line)
    (init,) = [
        line for line in code_lines(section("## 1. Lần đầu")) if line.startswith("bluezone init ")
    ]
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()
    path = f"{VENV_BLUEZONE.parent}:/usr/bin:/bin"
    data = home / "bluezone" / "tan-hong"
    env = {"PATH": path, "BLUEZONE_DATA": str(data)}
    shell([init], home, env)
    _, err = shell([mark], home, env)
    assert f"bao-cao/{today}" in err
    sent = next((data / "exports").glob("*.docx")).read_bytes()
    shell([as_of.replace("2021-09-06", today), since.replace("2021-09-06", today)], home, env)
    assert (home / "ban-da-gui.docx").read_bytes() == sent  # the same file, byte for byte


def test_the_yes_no_answers_the_guide_names_are_the_ones_the_form_takes():
    from bluezone_tui.day.validate import parse_input
    from bluezone_tui.registry.model import Field

    sentence = " ".join(GUIDE.split("Ô có/không", 1)[1].split("\n\n", 1)[0].split())
    yes, no = sentence.split("cho **có**", 1)
    yes_words = re.findall(r"`([^`]+)`", yes)
    no_words = re.findall(r"`([^`]+)`", no.split("cho **không**", 1)[0])
    assert {"có", "c", "co"} <= set(yes_words) and {"không", "k"} <= set(no_words)
    field = Field(id="desk_officer", label="Một cửa", type="bool")
    for word in yes_words:
        assert parse_input(field, word) is True, word
        assert parse_input(field, word.upper()) is True, word
    for word in no_words:
        assert parse_input(field, word) is False, word
