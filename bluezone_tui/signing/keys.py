"""The office's signing key: a PKCS#12 file or a PKCS#11 token, as pyHanko signs with it.

The password (or the token's PIN) never comes from units.yaml: the caller asks the
terminal or reads BLUEZONE_SIGN_PASSWORD.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyhanko.sign.signers import Signer, SimpleSigner

from bluezone_tui.base.files import os_reason
from bluezone_tui.base.problems import ConfigError, RefusedError

PASSWORD_VARIABLE = "BLUEZONE_SIGN_PASSWORD"


@dataclass(frozen=True, slots=True)
class KeyPlace:
    """Where the key is: a PKCS#12 file, or a token's module, label and key label."""

    pkcs12: Path | None = None
    library: Path | None = None
    token: str = ""
    key: str = ""

    @property
    def what(self) -> str:
        """The key's place in words, for a message."""
        if self.pkcs12 is not None:
            return f"tệp chứng thư {self.pkcs12}"
        return f"token «{self.token or '(đầu tiên)'}» qua {self.library}"


def load_signer(place: KeyPlace, password: str) -> Signer:
    """A pyHanko signer for the key; RefusedError saying why it cannot be used."""
    if place.pkcs12 is not None:
        return _pkcs12_signer(place.pkcs12, password)
    if place.library is not None:
        return _token_signer(place, password)
    raise ConfigError(
        "chưa chỉ nơi có khóa ký: --pkcs12 TỆP (hoặc signing.pkcs12 trong units.yaml), "
        "hoặc --pkcs11-lib THƯ_VIỆN --token NHÃN (signing.pkcs11_library, signing.token)"
    )


def _pkcs12_signer(path: Path, password: str) -> Signer:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: không đọc được tệp chứng thư ({os_reason(exc)})") from None
    try:
        signer = SimpleSigner.load_pkcs12_data(data, (), password.encode("utf-8") or None)
    except ValueError:
        # pyHanko wraps whatever cryptography said ("Invalid password or PKCS12 data")
        # in one English sentence: a wrong password and a file that is no PKCS#12 look
        # the same from here
        raise RefusedError(
            f"{path}: không mở được tệp chứng thư: sai mật khẩu tệp chứng thư (hoặc tệp "
            f"không phải PKCS#12)"
        ) from None
    except (TypeError, AttributeError):  # opened, but holds no key or no certificate
        raise RefusedError(f"{path}: tệp không chứa khóa ký và chứng thư của nó") from None
    if signer is None or signer.signing_cert is None:
        raise RefusedError(f"{path}: tệp không chứa khóa ký và chứng thư của nó")
    return signer


def _token_signer(place: KeyPlace, pin: str) -> Signer:
    try:
        from pkcs11 import PKCS11Error
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
    except ImportError:  # pragma: no cover - python-pkcs11 is a dependency
        raise ConfigError(
            "thiếu gói python-pkcs11 để dùng token (pip install python-pkcs11)"
        ) from None
    assert place.library is not None
    _load_library(place.library)
    try:
        session = open_pkcs11_session(
            str(place.library),
            token_criteria=TokenCriteria(label=place.token) if place.token else None,
            user_pin=pin,
        )
        return PKCS11Signer(session, cert_label=place.key or None, key_label=place.key or None)
    except (PKCS11Error, OSError, RuntimeError) as exc:
        raise RefusedError(f"không dùng được {place.what}: {_token_reason(exc)}") from None
    except Exception as exc:  # noqa: BLE001 - pyHanko's own errors about a token
        raise RefusedError(f"không dùng được {place.what}: {exc}") from None


def _load_library(library: Path) -> None:
    """The PKCS#11 module loaded, or RefusedError naming it and why it cannot be (no such
    file, not a PKCS#11 module, not for this machine): no PIN or label is at fault then."""
    import pkcs11

    if not library.is_file():
        what = "không có tệp này" if not library.exists() else "không phải tệp thư viện"
        raise RefusedError(f"không nạp được thư viện PKCS#11 {library}: {what}")
    try:
        pkcs11.lib(str(library))
    except (pkcs11.PKCS11Error, OSError) as exc:
        text = str(exc)
        if "C_GetFunctionList" in text:
            why = "không phải thư viện PKCS#11 (không có hàm C_GetFunctionList)"
        elif any(words in text for words in ("ELF", "too short", "cannot open shared object")):
            why = "không phải thư viện chạy được trên máy này (tệp .so cho Linux 64-bit)"
        else:
            why = "thư viện không khởi động được"
        raise RefusedError(f"không nạp được thư viện PKCS#11 {library}: {why}") from None


def _token_reason(exc: Exception) -> str:
    """Why the token refused, in Vietnamese: the PIN or the labels are what is at fault."""
    name = type(exc).__name__
    if name in ("PinIncorrect", "PinInvalid", "PinLenRange"):
        return "sai mã PIN"
    if name == "PinLocked":
        return "mã PIN đã bị khóa (gõ sai quá nhiều lần)"
    if name == "PinExpired":
        return "mã PIN đã hết hạn, đổi mã PIN trên token"
    text = str(exc)
    if "token" in text.lower() and ("no " in text.lower() or "not found" in text.lower()):
        return "không thấy token có nhãn này (sai nhãn --token?)"
    return f"token không mở được hoặc không có khóa đó ({name}) (sai mã PIN, sai nhãn?)"
