"""A signed PDF, checked: its signature intact and over the whole file, who signed and
when, the certificate against the province's roots, and what was signed.

pyHanko validates the CMS signature (the digest of the signed byte ranges, the
signer's signature over it, a time-stamp token if any) and analyses each revision the
signer appended (a form field filled is fine; a page's text changed is not). The
first revision is the file bluezone exported: `sent add` makes that file again from
the data named in its metadata and compares the bytes (record.py).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from asn1crypto import pem, x509
from pyhanko.pdf_utils.generic import DictionaryObject
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    ModificationLevel,
    SuspiciousModification,
)
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko_certvalidator import ValidationContext

from bluezone_tui.base.files import os_reason
from bluezone_tui.base.problems import ConfigError, RefusedError
from bluezone_tui.signing.certificate import holder, refuse_unsuitable, trust_reason

CERTIFICATE_SUFFIXES = (".pem", ".crt", ".cer", ".der")
ALTERED = "tệp đã bị sửa sau khi ký"
UNSIGNED = "tệp chưa được ký số"


@dataclass(frozen=True, slots=True)
class Signature:
    """What a signed report's signature says, once it has been found intact."""

    signer: str  # the certificate's common name
    subject: str  # the certificate's whole subject
    issuer: str
    signed_at: datetime | None  # the time the signer's software claims
    timestamped_at: datetime | None  # a time-stamp token's time (PAdES B-T), if any
    trusted: bool | None  # None: no roots configured, the certificate is not checked
    trust_problem: str  # why it is not trusted, in the validator's words
    original: dict[str, str]  # the first revision's document information (ours)
    revisions: int


def load_roots(folder: Path) -> list[x509.Certificate]:
    """The certificates (PEM or DER) in a folder: the trust anchors units.yaml names."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise ConfigError(
            f"{folder}: không đọc được thư mục chứng thư gốc (signing.trust_roots): "
            f"{os_reason(exc)}"
        ) from None
    roots = []
    for name in names:
        if not name.lower().endswith(CERTIFICATE_SUFFIXES):
            continue
        path = folder / name
        try:
            data = path.read_bytes()
            if pem.detect(data):
                roots += [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, True)]
            else:
                root = x509.Certificate.load(data)
                _ = root.subject.native  # parsed now: a broken file is said here
                roots.append(root)
        except (OSError, ValueError, TypeError) as exc:
            raise ConfigError(f"{path}: không phải chứng thư số đọc được ({exc})") from None
    if not roots:
        raise ConfigError(f"{folder}: không có chứng thư gốc nào (.pem, .crt, .cer, .der)")
    return roots


def check_signature(
    data: bytes, roots: list[x509.Certificate] | None, timezone: tzinfo | None = None
) -> Signature:
    """The last signature of the file, checked; RefusedError saying what is wrong: the
    file altered (a byte changed, or bytes added after the signature), unsigned, or
    changed between the export and the signature, or a signer's certificate that could
    not sign at the time the signature claims (or its time-stamp proves), said in
    `timezone`."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_regular_signatures
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise RefusedError(f"{ALTERED} hoặc không phải PDF đọc được ({exc})") from None
    if not signatures:
        raise RefusedError(f"{UNSIGNED}: không có chữ ký nào trong tệp")
    signature = signatures[-1]
    context = ValidationContext(
        trust_roots=list(roots or []), allow_fetching=False, revocation_mode="soft-fail"
    )
    try:
        status = validate_pdf_signature(signature, signer_validation_context=context)
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
        raise RefusedError(f"{ALTERED}: chữ ký không kiểm tra được ({exc})") from None
    if not status.intact or not status.valid:
        raise RefusedError(f"{ALTERED}: nội dung không còn khớp với chữ ký số")
    coverage = status.coverage.name if status.coverage is not None else ""
    level = status.modification_level
    later = reader.xrefs.total_revisions - 1 - signature.signed_revision
    if coverage != "ENTIRE_FILE" and (
        later < 1  # bytes after the signature that are no revision at all
        or not data.rstrip().endswith(b"%%EOF")
        or level is None
        or level > ModificationLevel.LTA_UPDATES  # only validation data may follow (LTV)
        or not status.docmdp_ok
    ):
        raise RefusedError(f"{ALTERED}: có phần được thêm vào sau chữ ký, chữ ký không phủ cả tệp")
    if not _filled_only(reader, signature.signed_revision):
        raise RefusedError(
            "tệp đã bị sửa giữa lúc xuất và lúc ký (không chỉ điền ô chữ ký): không phải bản "
            "bluezone đã xuất"
        )
    certificate = status.signing_cert
    stamp = status.timestamp_validity
    stamped_at = stamp.timestamp if stamp is not None and stamp.intact else None
    for claimed in (status.signer_reported_dt, stamped_at):
        if claimed is not None:  # the certificate as it stood when it says it signed
            refuse_unsuitable(certificate, claimed.astimezone(timezone))
    return Signature(
        signer=holder(certificate),
        subject=certificate.subject.human_friendly,
        issuer=certificate.issuer.human_friendly,
        signed_at=status.signer_reported_dt,
        timestamped_at=stamped_at,
        trusted=None if roots is None else bool(status.trusted),
        trust_problem="" if roots is None or status.trusted else _trust_words(status),
        original=_first_info(reader),
        revisions=reader.xrefs.total_revisions,
    )


def _filled_only(reader: PdfFileReader, signed_revision: int) -> bool:
    """Whether what the signer's software added before the signature's own revision (a
    revision of its own, as some tools do) only fills in form fields: our export's pages
    unchanged."""
    if signed_revision <= 1:
        return True  # the signature's revision follows ours directly
    try:
        found = DEFAULT_DIFF_POLICY.apply(
            reader.get_historical_resolver(0),
            reader.get_historical_resolver(signed_revision - 1),
        )
    except SuspiciousModification:
        return False
    return found.modification_level <= ModificationLevel.FORM_FILLING


def _trust_words(status: object) -> str:
    """Why the certificate is not trusted, in Vietnamese (pyHanko's indication named)."""
    indication = getattr(status, "trust_problem_indic", None)
    return trust_reason(getattr(indication, "name", "") or "")


def _first_info(reader: PdfFileReader) -> dict[str, str]:
    """The document information of the file's first revision (as exported)."""
    try:
        first = reader.get_historical_resolver(0)
        reference = first.trailer_view.raw_get("/Info")
        info = first(reference) if reference is not None else None
    except (PdfError, KeyError, ValueError, IndexError):
        return {}
    if not isinstance(info, DictionaryObject):
        return {}
    return {str(key): str(value) for key, value in info.items()}
