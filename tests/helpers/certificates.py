"""A certificate authority made in the test: a root (the province's), a signer's
certificate under it (in a PKCS#12 file), a time-stamping authority, and another root
that trusts nobody here. Made with `cryptography`; pyHanko's DummyTimeStamper answers
as the time-stamp server."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "mật-khẩu-thử"
SIGNER = "Nguyễn Văn An"
START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
END = dt.datetime(2040, 1, 1, tzinfo=dt.UTC)


@dataclass
class Authority:
    root: x509.Certificate
    root_key: rsa.RSAPrivateKey
    signer: x509.Certificate
    signer_key: rsa.RSAPrivateKey
    tsa: x509.Certificate
    tsa_key: rsa.RSAPrivateKey

    def pkcs12(self, password: str = PASSWORD) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            b"ky-so",
            self.signer_key,
            self.signer,
            [self.root],
            serialization.BestAvailableEncryption(password.encode("utf-8")),
        )

    def write_root(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "goc-tinh.pem").write_bytes(self.root.public_bytes(serialization.Encoding.PEM))
        return folder

    def timestamper(self):
        from pyhanko.sign.timestamps import DummyTimeStamper

        return DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(self.tsa.public_bytes(serialization.Encoding.DER)),
            tsa_key=asn1_keys.PrivateKeyInfo.load(
                self.tsa_key.private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
        )


def _name(common: str, organisation: str = "Ban Cơ yếu Chính phủ (thử)") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _certificate(
    subject,
    issuer,
    key,
    issuer_key,
    *,
    ca: bool,
    usage=None,
    start: dt.datetime = START,
    end: dt.datetime = END,
    key_usage: str = "sign",
) -> x509.Certificate:
    """key_usage: "sign" (digitalSignature, nonRepudiation), "encipher" (keyEncipherment
    only, a certificate for encryption), or "none" (no keyUsage extension at all)."""
    signs = not ca and key_usage == "sign"
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if key_usage != "none" or ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=signs,
                content_commitment=signs,
                key_encipherment=not ca and key_usage == "encipher",
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _key() -> rsa.RSAPrivateKey:
    """RSA 2048, as the VGCA's certificates (and pyHanko's test time-stamper) use."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_authority(
    root_name: str = "CA gốc của tỉnh (thử)",
    signer: str = SIGNER,
    *,
    start: dt.datetime = START,
    end: dt.datetime = END,
    key_usage: str = "sign",
) -> Authority:
    """The root, and a signer's certificate valid from `start` to `end` with `key_usage`
    (see _certificate)."""
    root_key = _key()
    root_subject = _name(root_name)
    root = _certificate(root_subject, root_subject, root_key, root_key, ca=True)
    signer_key = _key()
    person = _certificate(
        _name(signer, "Phòng Văn hóa và Thông tin huyện Hồng Ngự"),
        root_subject,
        signer_key,
        root_key,
        ca=False,
        start=start,
        end=end,
        key_usage=key_usage,
    )
    tsa_key = _key()
    tsa = _certificate(
        _name("Máy chủ dấu thời gian (thử)"),
        root_subject,
        tsa_key,
        root_key,
        ca=False,
        usage=ExtendedKeyUsageOID.TIME_STAMPING,
    )
    return Authority(root, root_key, person, signer_key, tsa, tsa_key)
