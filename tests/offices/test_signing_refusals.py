"""What `sign` and `sent add` refuse, and say, before anything is signed or recorded: a
file far too large, a certificate that cannot sign (expired, not yet valid, not for
signatures, not from the province), a wrong password, a PKCS#11 library that is not one,
the same file taken in twice, data not committed, a folder without history."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from test_signed_reports import PDF, authority, export, office, signed_elsewhere

from bluezone_tui.base.files import MAX_SENT_BYTES
from bluezone_tui.deliver.mail import MAX_ATTACHMENT_BYTES
from bluezone_tui.signing import sign as sign_module
from helpers.certificates import PASSWORD, make_authority
from helpers.offices import DAY

__all__ = ["authority", "office"]  # fixtures shared with test_signed_reports

UTC = dt.UTC


def _key(tmp_path: Path, authority, name: str = "phong.p12") -> Path:
    key = tmp_path / name
    key.write_bytes(authority.pkcs12())
    return key


def _sign(office, key: Path, *more) -> tuple[int, str, str]:
    return office.run("sign", "--date", DAY, "--now", f"{DAY}T16:10", "--pkcs12", key, *more)


def _forged(data: bytes, authority, monkeypatch) -> bytes:
    """Signed by software that does not check the certificate first (bluezone's check
    switched off, as another program would sign)."""
    with monkeypatch.context() as patch:
        patch.setattr(sign_module, "refuse_unsuitable", lambda *_: None)
        return signed_elsewhere(data, authority)


def test_a_file_far_too_large_is_refused_before_it_is_read(office, tmp_path, monkeypatch):
    assert MAX_ATTACHMENT_BYTES == MAX_SENT_BYTES  # one cap: what send could attach
    big = tmp_path / "lon.pdf"
    with big.open("wb") as handle:  # sparse: 300 MB that take no disk and no time
        handle.truncate(300 * 1024 * 1024)
    read = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or b"")
    code, _, err = office.run("sent", "add", big)
    assert code == 1 and "300,0 MB, lớn quá một báo cáo PDF (tối đa 20 MB" in err, err
    assert "Traceback" not in err and not read
    monkeypatch.setenv("BLUEZONE_SIGN_PASSWORD", PASSWORD)
    code, _, err = office.run("sign", big, "--date", DAY, "--pkcs12", big)
    assert code == 1 and "lớn quá một báo cáo PDF" in err


@pytest.mark.parametrize(
    ("made", "said"),
    [
        ({"key_usage": "encipher"}, "không dùng để ký được: mục đích sử dụng khóa (keyUsage) "
         "chỉ cho phép mã hóa khóa (keyEncipherment)"),
        ({"end": dt.datetime(2020, 6, 30, tzinfo=UTC)}, "đã hết hạn lúc ký (16:10 ngày "
         "20/08/2020): hết hạn 07:00 ngày 30/06/2020"),
        ({"start": dt.datetime(2020, 9, 1, tzinfo=UTC)}, "chưa có hiệu lực lúc ký (16:10 ngày "
         "20/08/2020): có hiệu lực từ 07:00 ngày 01/09/2020"),
    ],
)  # fmt: skip
def test_a_certificate_that_cannot_sign_is_refused_before_signing(
    office, tmp_path, monkeypatch, made, said
):
    export(office)
    monkeypatch.setenv("BLUEZONE_SIGN_PASSWORD", PASSWORD)
    code, _, err = _sign(office, _key(tmp_path, make_authority(**made)))
    assert code == 1 and f"chứng thư của người ký (Nguyễn Văn An) {said}" in err, err
    assert not (office.path / PDF.replace(".pdf", "-da-ky.pdf")).exists()  # nothing signed
    assert office.git("tag", "--list") == ""


def test_a_certificate_without_key_usage_may_sign(office, tmp_path, monkeypatch):
    """RFC 5280: no keyUsage extension means no restriction."""
    export(office)
    monkeypatch.setenv("BLUEZONE_SIGN_PASSWORD", PASSWORD)
    code, out, err = _sign(office, _key(tmp_path, make_authority(key_usage="none")))
    assert code == 0, err
    assert "nhãn bao-cao/2020-08-20" in out


def test_sent_add_names_what_is_wrong_with_the_certificate(office, tmp_path, monkeypatch):
    data = export(office)
    path = tmp_path / "da-ky.pdf"
    # not for signatures: refused, roots or not, in Vietnamese
    path.write_bytes(_forged(data, make_authority(key_usage="encipher"), monkeypatch))
    code, _, err = office.run("sent", "add", path)
    assert code == 1 and "không dùng để ký được" in err and "CHAIN_CONSTRAINTS" not in err
    # a time claimed before the certificate was valid: refused, never "hợp lệ"
    early = make_authority(start=dt.datetime(2020, 9, 1, tzinfo=UTC))
    early.write_root(office.path / "goc")
    registry = office.path / "units.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text + "signing:\n  trust_roots: goc\n", encoding="utf-8")
    path.write_bytes(_forged(data, early, monkeypatch))
    code, _, err = office.run("sent", "add", path)
    assert code == 1 and "chưa có hiệu lực lúc ký (16:10 ngày 20/08/2020)" in err, err
    # valid when it signed, expired since, no time-stamp to prove when: said so
    expired = make_authority(end=dt.datetime(2021, 1, 1, tzinfo=UTC))
    shutil.rmtree(office.path / "goc")
    expired.write_root(office.path / "goc")
    path.write_bytes(signed_elsewhere(data, expired))
    code, _, err = office.run("sent", "add", path)
    assert code == 1 and "đã hết hạn" in err and "OUT_OF_BOUNDS_NO_POE" in err, err
    assert "không dẫn tới chứng thư gốc" not in err
    assert office.git("tag", "--list") == ""


def test_a_wrong_pkcs12_password_is_said_in_vietnamese(office, authority, tmp_path, monkeypatch):
    export(office)
    monkeypatch.setenv("BLUEZONE_SIGN_PASSWORD", "sai")
    code, _, err = _sign(office, _key(tmp_path, authority))
    assert code == 1 and "sai mật khẩu tệp chứng thư (hoặc tệp không phải PKCS#12)" in err
    assert "Could not" not in err
    not_pkcs12 = tmp_path / "khong-phai.p12"
    not_pkcs12.write_bytes(b"not a PKCS#12 file")
    code, _, err = _sign(office, not_pkcs12)
    assert code == 1 and "sai mật khẩu tệp chứng thư" in err


def test_a_pkcs11_library_that_cannot_load_is_named(office, tmp_path, monkeypatch):
    export(office)
    monkeypatch.setenv("BLUEZONE_SIGN_PASSWORD", "1234")
    not_elf = tmp_path / "token.so"
    not_elf.write_text("không phải thư viện")
    libz = next(Path(p) for p in ("/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/libz.so.1",
                                  "/lib/libz.so.1") if Path(p).exists())  # fmt: skip
    for library, why in (
        (tmp_path / "khong-co.so", "không có tệp này"),
        (not_elf, "không phải thư viện chạy được trên máy này"),
        (libz, "không phải thư viện PKCS#11 (không có hàm C_GetFunctionList)"),
    ):
        code, _, err = office.run(
            "sign", "--date", DAY, "--pkcs11-lib", library, "--token", "phong"
        )
        assert code == 1 and f"không nạp được thư viện PKCS#11 {library}: {why}" in err, err
        assert "sai mã PIN" not in err and "OS exception" not in err


def test_the_same_signed_file_twice_is_recorded_once(office, authority, tmp_path):
    path = tmp_path / "da-ky.pdf"
    path.write_bytes(signed_elsewhere(export(office), authority))
    assert office.run("sent", "add", path, "--now", f"{DAY}T16:20")[0] == 0
    commits = office.git("rev-list", "--count", "HEAD")
    code, out, err = office.run("sent", "add", path, "--now", f"{DAY}T16:30")
    assert code == 0, err
    assert "đã ghi nhận tệp này rồi (sent/2020-08-20/" in out and "bao-cao/2020-08-20 (gửi" in out
    assert office.git("tag", "--list").split() == ["bao-cao/2020-08-20"]
    assert office.git("rev-list", "--count", "HEAD") == commits


def test_a_day_file_edited_by_hand_is_said_before_the_signed_data(
    office, authority, tmp_path, monkeypatch
):
    """A tracked file changed and not committed: the same words as a file git never saw."""
    path = office.file(DAY, "xa-thuong-lac")
    original = path.read_text(encoding="utf-8")
    monkeypatch.setenv("BLUEZONE_SIGN_PASSWORD", PASSWORD)
    key = _key(tmp_path, authority)
    path.write_text(original.replace("575", "576", 1), encoding="utf-8")
    export(office)
    code, _, err = _sign(office, key)
    assert code == 1 and f"có thay đổi chưa ghi vào git (submissions/{DAY}/xa-thuong" in err, err
    assert "commit hoặc bỏ" in err and "khác" not in err.split("chưa ghi vào git")[0]
    assert (office.path / PDF.replace(".pdf", "-da-ky.pdf")).exists()  # the signed file kept


def test_sign_without_history_is_not_success(office, authority, tmp_path, monkeypatch):
    shutil.rmtree(office.path / ".git")
    registry = office.path / "units.yaml"
    text = registry.read_text(encoding="utf-8")
    assert "history: git" in text
    registry.write_text(text.replace("history: git", "history: none"), encoding="utf-8")
    export(office)
    monkeypatch.setenv("BLUEZONE_SIGN_PASSWORD", PASSWORD)
    code, _, err = _sign(office, _key(tmp_path, authority))
    assert code == 1 and "chưa được ghi nhận là đã gửi" in err
    assert (office.path / PDF.replace(".pdf", "-da-ky.pdf")).exists()  # the signed file kept
    assert os.path.getsize(office.path / PDF.replace(".pdf", "-da-ky.pdf")) > 0


def test_sent_add_help_says_the_day_comes_from_the_file(capsys):
    from bluezone_tui.cli.main import main

    assert main(["sent", "add", "--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "mặc định: ngày ghi trong tệp khi xuất" in shown and "hôm nay" not in shown


def test_one_sender_name_and_one_warning_prefix(office, authority, tmp_path):
    """The tag's words, the lock, status and history name the same person: the login
    user, as every save does (git's user.name here is another); a warning is prefixed
    once."""
    from bluezone_tui.day.store import current_user

    path = tmp_path / "da-ky.pdf"
    path.write_bytes(signed_elsewhere(export(office), authority))
    assert office.run("sent", "add", path, "--now", f"{DAY}T16:20")[0] == 0
    me = current_user()
    assert office.git("config", "user.name").strip() != me
    body = office.git("for-each-ref", "--format=%(contents)", "refs/tags/bao-cao/2020-08-20")
    tagger = office.git("for-each-ref", "--format=%(taggername)", "refs/tags/bao-cao/2020-08-20")
    assert f"bởi {me}\n" in body and tagger.strip() == me
    office.submit("xa-thuong-lac", "17:00", "residents_installed=600", "--reason", "xã báo nhầm")
    code, _, err = office.run("export", "--date", DAY, "--now", f"{DAY}T17:10")
    assert code == 0 and f"(gửi lúc 16:20 ngày 20/08/2020 bởi {me})" in err, err
    assert "cảnh báo: báo cáo ngày 20/08/2020 khác báo cáo đã gửi" in err
    assert "lưu ý" not in err and err.count("cảnh báo:") == 1


def test_a_signed_file_that_cannot_be_kept_names_the_real_fix(
    office, authority, tmp_path, monkeypatch
):
    """Signed, but sent/ (another login's, in a folder not set up for several logins)
    refuses to keep it: said with the real folder, never «bluezone init THƯ_MỤC»."""
    from helpers.permissions import NOBODY, require_binding_permissions, run_as

    if os.geteuid() != 0:
        pytest.skip("another login's folder is made with chown: root only")
    require_binding_permissions(tmp_path, office.path / "units.yaml")
    export(office)
    (office.path / "sent").mkdir()
    os.chown(office.path / "sent", NOBODY, NOBODY)
    monkeypatch.setenv("BLUEZONE_SIGN_PASSWORD", PASSWORD)
    key = _key(tmp_path, authority)
    signed = tmp_path / "da-ky.pdf"
    result = run_as(
        True, "--data", office.path, "sign", "--date", DAY, "--now", f"{DAY}T16:10",
        "--pkcs12", key, "-o", signed,
    )  # fmt: skip
    assert result.code == 1, result.text
    assert signed.is_file() and "Đã ký:" in result.err
    assert f"«bluezone init {office.path} --shared" in result.err
    assert "THƯ_MỤC" not in result.err and "lỗi không mong đợi" not in result.err
    assert "chưa ghi nhận gì" in result.err
    assert not (office.path / "sent" / DAY).exists()
