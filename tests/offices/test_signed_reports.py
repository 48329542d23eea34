"""The last mile, with real signatures made by a certificate authority made in the test:
export --format pdf -> sign (a key on the server) or sent add (a file signed elsewhere)
-> each step checked, recorded in git and shown by history; a sent day locked."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from bluezone_tui.day.loader import load_day
from bluezone_tui.day.store import Store
from bluezone_tui.registry.load import load_registry
from bluezone_tui.reports.pdf import META_REVISION, render_pdf
from bluezone_tui.signing.appearance import Look
from bluezone_tui.signing.keys import KeyPlace, load_signer
from bluezone_tui.signing.sign import sign_report
from helpers.certificates import PASSWORD, SIGNER, make_authority
from helpers.data import DEMO_DAY, SHIPPED_SUBMISSIONS, at
from helpers.offices import DAY, Office, git, identify, registry_text

PDF = f"exports/bao-cao-bluezone-{DAY}.pdf"


@pytest.fixture(scope="module")
def authority():
    return make_authority()


@pytest.fixture
def office(tmp_path: Path, git_env, capsys, monkeypatch) -> Office:
    """A data folder in git holding the demo days, the signer named in its report."""
    data = tmp_path / "van-phong"
    data.mkdir()
    text = re.sub(r"signer_name: .*", f'signer_name: "{SIGNER}"', registry_text("git"))
    (data / "units.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(SHIPPED_SUBMISSIONS, data / "submissions")
    (data / ".gitignore").write_text("exports/\n")
    git(data, "init", "--quiet", "--initial-branch=main")
    identify(data, "huyen")
    git(data, "add", ".")
    git(data, "commit", "--quiet", "-m", "Khởi tạo")
    monkeypatch.delenv("BLUEZONE_SIGN_PASSWORD", raising=False)
    return Office(data, "huyen", capsys)


def export(office: Office, now: str = "16:00") -> bytes:
    code, _, err = office.run("export", "--date", DAY, "--now", f"{DAY}T{now}", "--format", "pdf")
    assert code == 0, err
    return (office.path / PDF).read_bytes()


def signed_elsewhere(data: bytes, authority, now: str = "16:10") -> bytes:
    """As the clerk's PC would: the same field, another program (pyHanko directly)."""
    (key := Path(f"/tmp/bluezone-test-{id(authority)}.p12")).write_bytes(authority.pkcs12())
    try:
        signer = load_signer(KeyPlace(pkcs12=key), PASSWORD)
    finally:
        key.unlink()
    hour, minute = map(int, now.split(":"))
    return sign_report(
        data, signer, Look(None, None, SIGNER, "PHÒNG"), now=at(DEMO_DAY, hour, minute)
    )


def test_export_names_the_commit_it_was_made_from(office):
    data = export(office)
    head = office.git("rev-parse", "HEAD").strip()
    assert PdfReader(io.BytesIO(data)).metadata[META_REVISION] == head
    # a change not committed: the data is named by its digest instead
    path = office.file(DAY, "xa-thuong-lac")
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = export(office)
    assert PdfReader(io.BytesIO(again)).metadata[META_REVISION].startswith("sha256:")


def test_sign_with_a_pkcs12_key_records_the_day_sent(office, authority, tmp_path, monkeypatch):
    export(office)
    key = tmp_path / "phong.p12"
    key.write_bytes(authority.pkcs12())
    monkeypatch.setenv("BLUEZONE_SIGN_PASSWORD", PASSWORD)
    code, out, err = office.run("sign", "--date", DAY, "--now", f"{DAY}T16:10", "--pkcs12", key)
    assert code == 0, err
    assert "chữ ký còn nguyên vẹn, phủ toàn bộ tệp" in out
    assert f"Người ký: {SIGNER}" in out
    assert "16:10 ngày 20/08/2020 (theo máy ký)" in out
    assert "Chứng thư CHƯA được kiểm tra" in out  # no roots configured: said plainly
    assert "nhãn bao-cao/2020-08-20" in out
    signed = (office.path / f"exports/bao-cao-bluezone-{DAY}-da-ky.pdf").read_bytes()
    kept = list((office.path / "sent" / DAY).glob("*.pdf"))
    assert [p.read_bytes() for p in kept] == [signed]
    assert office.git("status", "--porcelain", "--", "sent").strip() == ""  # committed
    tag = office.git("for-each-ref", "--format=%(contents)", "refs/tags/bao-cao/2020-08-20")
    assert f"bluezone-signer: {SIGNER}" in tag and "bluezone-format: pdf" in tag
    code, out, _ = office.run("history", "--date", DAY, "--since-sent")
    assert code == 0 and "không có thay đổi nào" in out


def test_sign_needs_the_password_from_the_environment_or_a_terminal(office, authority, tmp_path):
    export(office)
    key = tmp_path / "phong.p12"
    key.write_bytes(authority.pkcs12())
    code, _, err = office.run("sign", "--date", DAY, "--pkcs12", key)
    assert code == 2 and "BLUEZONE_SIGN_PASSWORD" in err
    # a password in units.yaml is refused, saying why
    registry = office.path / "units.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8") + "signing:\n  password: x\n", encoding="utf-8"
    )
    code, _, err = office.run("sign", "--date", DAY, "--pkcs12", key)
    assert code == 2 and "không ghi mật khẩu" in err


def test_a_file_signed_elsewhere_is_checked_and_kept(office, authority, tmp_path):
    signed = signed_elsewhere(export(office), authority)
    path = tmp_path / "da-ky.pdf"
    path.write_bytes(signed)
    code, out, err = office.run("sent", "add", path, "--now", f"{DAY}T16:20")
    assert code == 0, err
    assert "Đúng bản bluezone đã xuất: số liệu đến 16:00 ngày 20/08/2020" in out
    assert office.git("tag", "--list").split() == ["bao-cao/2020-08-20"]
    log = office.log()
    assert log[0].startswith("Báo cáo ngày 20/08/2020 đã ký số: Nguyễn Văn An")


def test_the_certificate_is_checked_against_the_provinces_roots(office, authority, tmp_path):
    signed = signed_elsewhere(export(office), authority)
    path = tmp_path / "da-ky.pdf"
    path.write_bytes(signed)
    registry = office.path / "units.yaml"
    text = registry.read_text(encoding="utf-8")
    make_authority("CA khác").write_root(office.path / "goc-khac")
    registry.write_text(text + "signing:\n  trust_roots: goc-khac\n", encoding="utf-8")
    code, _, err = office.run("sent", "add", path)
    assert code == 1 and "không dẫn tới chứng thư gốc nào của tỉnh" in err
    authority.write_root(office.path / "goc-tinh")
    registry.write_text(text + "signing:\n  trust_roots: goc-tinh\n", encoding="utf-8")
    code, out, err = office.run("sent", "add", path)
    assert code == 0, err
    assert "Chứng thư: hợp lệ, dẫn tới chứng thư gốc của tỉnh" in out


def test_a_file_changed_by_one_byte_is_refused(office, authority, tmp_path):
    signed = bytearray(signed_elsewhere(export(office), authority))
    path = tmp_path / "sua.pdf"
    for position in (len(signed) // 3, 200):  # inside our export, inside the page text
        changed = bytearray(signed)
        changed[position] ^= 0x01
        path.write_bytes(bytes(changed))
        code, _, err = office.run("sent", "add", path)
        assert code == 1 and "tệp đã bị sửa" in err, err
    path.write_bytes(bytes(signed) + b"\n%% them\n")
    code, _, err = office.run("sent", "add", path)
    assert code == 1 and "không phủ cả tệp" in err
    assert office.git("tag", "--list") == "" and not (office.path / "sent").exists()


def test_an_unsigned_file_is_refused(office, tmp_path):
    path = tmp_path / "chua-ky.pdf"
    path.write_bytes(export(office))
    code, _, err = office.run("sent", "add", path)
    assert code == 1 and "tệp chưa được ký số" in err


def test_a_file_signed_over_another_export_is_refused(office, authority, tmp_path):
    """Figures changed in a copy of the data, the PDF made there but claiming this
    folder's commit, then signed: the rebuild from that commit differs."""
    export(office)
    head = office.git("rev-parse", "HEAD").strip()
    other = tmp_path / "khac"
    shutil.copytree(office.path, other, ignore=shutil.ignore_patterns(".git"))
    path = other / "submissions" / DAY / "xa-thuong-lac.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("575", "975", 1), encoding="utf-8")
    store = Store(other, load_registry(other))
    forged = render_pdf(load_day(store, DEMO_DAY, at(DEMO_DAY, 16)), store.registry, head)
    target = tmp_path / "khac.pdf"
    target.write_bytes(signed_elsewhere(forged, authority))
    code, _, err = office.run("sent", "add", target)
    assert code == 1 and "số liệu trong tệp ký khác số liệu" in err
    # another day's report, named as this one
    target.write_bytes(signed_elsewhere(export(office), authority))
    code, _, err = office.run("sent", "add", target, "--date", "2020-08-21")
    assert code == 1 and "đây là báo cáo ngày 20/08/2020, không phải ngày 21/08/2020" in err


def test_a_sent_day_asks_a_reason_and_says_it_differs(office, authority, tmp_path):
    path = tmp_path / "da-ky.pdf"
    path.write_bytes(signed_elsewhere(export(office), authority))
    assert office.run("sent", "add", path)[0] == 0
    code, _, err = office.submit("xa-thuong-lac", "17:00", "residents_installed=600", check=False)
    assert code == 1 and "phải ghi lý do" in err and "--reason" in err
    office.submit("xa-thuong-lac", "17:00", "residents_installed=600", "--reason", "xã báo nhầm")
    code, out, _ = office.run("history", "--date", DAY, "--since-sent")
    assert "sửa sau khi gửi, lý do: xã báo nhầm" in out
    assert "Đã cài (residents_installed): 575 → 600" in out
    code, _, err = office.run("export", "--date", DAY, "--now", f"{DAY}T17:10")
    assert code == 0
    assert "khác báo cáo đã gửi bao-cao/2020-08-20" in err and "Xã Thường Lạc" in err


@pytest.mark.skipif(shutil.which("softhsm2-util") is None, reason="SoftHSMv2 not installed")
def test_sign_with_a_pkcs11_token(office, authority, tmp_path, monkeypatch):
    """A SoftHSMv2 token holding the signer's key and certificate (Debian's softhsm2)."""
    library = next((p for p in ("/usr/lib/softhsm/libsofthsm2.so",) if Path(p).exists()), None)
    if library is None:
        pytest.skip("libsofthsm2.so not found")
    from cryptography.hazmat.primitives import serialization

    tokens = tmp_path / "tokens"
    tokens.mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", "phong", "--pin", "1234",
         "--so-pin", "5678"], check=True, capture_output=True,
    )  # fmt: skip
    key = tmp_path / "key.pem"
    key.write_bytes(
        authority.signer_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    subprocess.run(
        ["softhsm2-util", "--import", str(key), "--token", "phong", "--label", "ky-so",
         "--id", "01", "--pin", "1234"], check=True, capture_output=True,
    )  # fmt: skip
    import pkcs11

    lib = pkcs11.lib(library)
    token = lib.get_token(token_label="phong")
    with token.open(rw=True, user_pin="1234") as session:
        der = authority.signer.public_bytes(serialization.Encoding.DER)
        session.create_object(
            {
                pkcs11.Attribute.CLASS: pkcs11.ObjectClass.CERTIFICATE,
                pkcs11.Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                pkcs11.Attribute.TOKEN: True,
                pkcs11.Attribute.LABEL: "ky-so",
                pkcs11.Attribute.ID: b"\x01",
                pkcs11.Attribute.VALUE: der,
                pkcs11.Attribute.SUBJECT: authority.signer.subject.public_bytes(),
            }
        )
    export(office)
    monkeypatch.setenv("BLUEZONE_SIGN_PASSWORD", "1234")
    code, out, err = office.run(
        "sign", "--date", DAY, "--now", f"{DAY}T16:10",
        "--pkcs11-lib", library, "--token", "phong", "--key", "ky-so",
    )  # fmt: skip
    assert code == 0, err
    assert f"Người ký: {SIGNER}" in out and "nhãn bao-cao/2020-08-20" in out
    monkeypatch.setenv("BLUEZONE_SIGN_PASSWORD", "0000")
    code, _, err = office.run(
        "sign", "--date", DAY, "--pkcs11-lib", library, "--token", "phong", "--key", "ky-so",
        "--output", tmp_path / "lan-hai.pdf",
    )  # fmt: skip
    assert code == 1 and "không dùng được token" in err


def test_b_t_with_a_time_stamp_and_the_images_of_appendix_i(office, authority, tmp_path):
    """PAdES B-T (a time-stamp token from the test's TSA), and the signature and seal
    images drawn where Appendix I puts them (the page was rendered and looked at)."""
    from PIL import Image, ImageDraw

    signature = tmp_path / "chu-ky.png"
    seal = tmp_path / "con-dau.png"
    image = Image.new("RGBA", (450, 270), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(20, 200), (200, 60), (300, 220), (430, 80)], (20, 40, 200, 255), 8)
    image.save(signature)
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse([10, 10, 290, 290], outline=(220, 0, 0, 255), width=12)
    image.save(seal)
    data = export(office)
    key = tmp_path / "k.p12"
    key.write_bytes(authority.pkcs12())
    signed = sign_report(
        data,
        load_signer(KeyPlace(pkcs12=key), PASSWORD),
        Look(signature, seal, SIGNER, "PHÒNG"),
        now=at(DEMO_DAY, 16, 10),
        timestamper=authority.timestamper(),
    )
    from bluezone_tui.signing.verify import check_signature

    checked = check_signature(signed, None)
    assert checked.timestamped_at is not None and checked.signer == SIGNER
    if shutil.which("pdftoppm"):
        (tmp_path / "s.pdf").write_bytes(signed)
        pages = len(PdfReader(io.BytesIO(signed)).pages)
        done = subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", str(pages), "-l", str(pages),
             str(tmp_path / "s.pdf"), str(tmp_path / "p")], capture_output=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0
        (png,) = tmp_path.glob("p-*.png")
        picture = Image.open(png).convert("RGB")
        colours = {colour for _, colour in picture.getcolors(maxcolors=1 << 24) or []}
        assert any(r > 180 and g < 80 and b < 80 for r, g, b in colours)  # the seal's red
        assert any(b > 150 and r < 80 for r, g, b in colours)  # the signature's blue


def test_a_signed_file_whose_folder_is_a_file_is_named_and_nothing_is_recorded(
    office, authority, tmp_path, monkeypatch
):
    """sign -o, and sent/ (where sign and sent add keep the file) each through a file."""
    export(office)
    key = tmp_path / "phong.p12"
    key.write_bytes(authority.pkcs12())
    monkeypatch.setenv("BLUEZONE_SIGN_PASSWORD", PASSWORD)
    (tmp_path / "ky").write_text("x\n")
    code, _, err = office.run("sign", "--date", DAY, "--pkcs12", key, "-o", tmp_path / "ky/a.pdf")
    assert code == 1, err
    assert f"{tmp_path / 'ky'} là một tệp, không phải thư mục" in err and "chưa ghi gì" in err
    (office.path / "sent").write_text("x\n")
    code, _, err = office.run("sign", "--date", DAY, "--pkcs12", key)
    assert code == 1, err
    assert f"{office.path / 'sent'} là một tệp, không phải thư mục" in err, err
    path = tmp_path / "da-ky.pdf"
    path.write_bytes(signed_elsewhere(export(office), authority))
    code, _, err = office.run("sent", "add", path)
    assert code == 1, err
    assert f"{office.path / 'sent'} là một tệp, không phải thư mục" in err, err
    assert office.git("tag", "--list") == ""


def test_sign_and_sent_add_on_a_detached_head_record_nothing(office, authority, tmp_path):
    """Issue 20's class: `sign` would tag the report sent and commit the signed file, `sent
    add` the same: on a detached HEAD both refuse before asking for anything (exit 2)."""
    signed = signed_elsewhere(export(office), authority)
    office.git("checkout", "--quiet", "--detach")
    head = office.git("rev-parse", "HEAD")
    key = tmp_path / "phong.p12"
    key.write_bytes(authority.pkcs12())
    code, _, err = office.run("sign", "--date", DAY, "--now", f"{DAY}T16:10", "--pkcs12", key)
    assert code == 2 and "không ký và ghi nhận báo cáo ở đây" in err and "switch main" in err
    assert "BLUEZONE_SIGN_PASSWORD" not in err  # refused before the password is asked for
    assert not (office.path / f"exports/bao-cao-bluezone-{DAY}-da-ky.pdf").exists()
    path = tmp_path / "da-ky.pdf"
    path.write_bytes(signed)
    code, _, err = office.run("sent", "add", path, "--now", f"{DAY}T16:20")
    assert code == 2 and "không ghi nhận báo cáo đã ký ở đây" in err
    assert office.git("rev-parse", "HEAD") == head and office.git("tag", "--list") == ""
    assert not (office.path / "sent").exists()
