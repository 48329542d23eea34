"""`bluezone sign`: the exported PDF signed in its signature field, as PAdES.

PAdES B-B (a CMS signature with the signing certificate in its signed attributes,
SubFilter ETSI.CAdES.detached), and B-T when a time-stamp server is configured: its
RFC 3161 token over the signature. The signature is an incremental update: the bytes
of the exported PDF stay as they were, at the start of the signed file, which is what
`bluezone sent add` checks.
"""

from __future__ import annotations

import io
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.content import ImportedPdfPage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, Signer
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.stamp import StaticStampStyle

from bluezone_tui.base.failed_writes import refusing_writes
from bluezone_tui.base.problems import RefusedError
from bluezone_tui.reports.pdf import SIGNATURE_FIELD
from bluezone_tui.signing.appearance import Look, appearance_pdf
from bluezone_tui.signing.certificate import holder, refuse_unsuitable


class _SignerAt(PdfSigner):
    """pyHanko's PdfSigner, its signing time taken from our clock (--now in tests)."""

    def __init__(self, *args: Any, now: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._now = now

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._now
        return session


def signer_name(signer: Signer) -> str:
    """The signing certificate's common name (the person), else its whole subject."""
    certificate = signer.signing_cert
    return "" if certificate is None else holder(certificate)


def empty_field(data: bytes) -> None:
    """Refuse (saying why) a file that has no empty signature field of ours to sign."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        fields = list(enumerate_sig_fields(reader, with_name=SIGNATURE_FIELD))
    except (PdfError, ValueError, KeyError) as exc:
        raise RefusedError(f"không đọc được tệp PDF ({exc})") from None
    if not fields:
        raise RefusedError(
            f"tệp không có ô chữ ký «{SIGNATURE_FIELD}»: không phải báo cáo PDF do bluezone "
            f"xuất (bluezone export --format pdf)"
        )
    _, value, _ = fields[0]
    if value is not None:
        raise RefusedError("ô chữ ký của báo cáo đã được ký rồi")


def sign_report(
    data: bytes,
    signer: Signer,
    look: Look,
    *,
    now: datetime,
    timestamp_url: str = "",
    timestamper: TimeStamper | None = None,
) -> bytes:
    """`data` (an exported report) signed in its field: PAdES B-B, or B-T with a time-stamp
    server (`timestamp_url`, or a `timestamper` given by a test). A certificate that
    cannot sign at `now` (expired, not yet valid, not for signatures) is refused before
    anything is signed."""
    empty_field(data)
    if signer.signing_cert is not None:
        refuse_unsuitable(signer.signing_cert, now)
    if timestamper is None and timestamp_url:
        timestamper = HTTPTimeStamper(timestamp_url)
    meta = PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=signer_name(signer) or None,
        location=look.office or None,
    )
    with refusing_writes(kept="chưa ký gì", what="không ghi được tệp tạm"):  # a full /tmp
        temporary = tempfile.TemporaryDirectory(prefix="bluezone-sign-")
    with temporary as folder:
        stamp = Path(folder) / "appearance.pdf"
        with refusing_writes(stamp, "chưa ký gì", what="không ghi được tệp tạm"):
            stamp.write_bytes(appearance_pdf(look, now))
        style = StaticStampStyle(
            background=ImportedPdfPage(str(stamp)),
            background_opacity=1.0,
            border_width=0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0),
            ),
        )
        pdf_signer = _SignerAt(
            meta, signer=signer, timestamper=timestamper, stamp_style=style, now=now
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        try:
            out = pdf_signer.sign_pdf(writer, existing_fields_only=True)
        except TimestampRequestError as exc:
            raise RefusedError(
                f"máy chủ cấp dấu thời gian {timestamp_url or ''} không trả lời được ({exc}); "
                f"chưa ký gì"
            ) from None
        except (SigningError, PdfError) as exc:
            raise RefusedError(f"không ký được: {exc}") from None
    return out.getvalue()
