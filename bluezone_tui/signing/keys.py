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
    except (ValueError, TypeError) as exc:
        reason = (
            "sai mật khẩu hoặc tệp không phải PKCS#12"
            if "password" in str(exc).lower() or "invalid" in str(exc).lower()
            else str(exc)
        )
        raise RefusedError(f"{path}: không mở được tệp chứng thư: {reason}") from None
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
    try:
        session = open_pkcs11_session(
            str(place.library),
            token_criteria=TokenCriteria(label=place.token) if place.token else None,
            user_pin=pin,
        )
        return PKCS11Signer(session, cert_label=place.key or None, key_label=place.key or None)
    except (PKCS11Error, OSError, RuntimeError) as exc:
        reason = type(exc).__name__ if not str(exc) else str(exc)
        raise RefusedError(
            f"không dùng được {place.what}: {reason} (sai mã PIN, sai nhãn?)"
        ) from None
    except Exception as exc:  # noqa: BLE001 - pyHanko's own errors about a token
        raise RefusedError(f"không dùng được {place.what}: {exc}") from None
