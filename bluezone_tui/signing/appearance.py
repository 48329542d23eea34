"""What a signature looks like on the page (Decree 30/2020/NĐ-CP, Appendix I).

The signature image centred in the field, the seal over its left third, as the field in
the report is laid out (reports/pdf.py); with no images named in units.yaml, a text
stamp saying who signed, for which office, and when. The appearance is drawn as a
one-page PDF the size of the field (ReportLab, the report's own fonts) and given to
pyHanko as the signature's static appearance.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from bluezone_tui.base.problems import ConfigError
from bluezone_tui.base.vn import fmt_date_short, fmt_time
from bluezone_tui.reports.pdf import FieldBox, face, field_size

INK = Color(0.05, 0.15, 0.55)  # the blue of a signature


@dataclass(frozen=True, slots=True)
class Look:
    """The images units.yaml names (None: not named), or the words of a text stamp."""

    signature_image: Path | None
    seal_image: Path | None
    signer: str
    office: str


def appearance_pdf(look: Look, signed_at: datetime) -> bytes:
    """A one-page PDF the size of the signature field, drawn as the signature shows."""
    width, height = field_size()
    box = FieldBox(0, 0, width, height)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(width, height), invariant=1)
    if look.signature_image is None and look.seal_image is None:
        _text_stamp(canvas, look, signed_at, width, height)
    else:
        # the signature first, then the seal over its left third (Appendix I)
        for path, place in ((look.signature_image, box.signature), (look.seal_image, box.seal)):
            if path is not None:
                _image(canvas, path, place)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _image(canvas: Canvas, path: Path, place: tuple[float, float, float, float]) -> None:
    x, y, width, height = place
    try:
        image = ImageReader(str(path))
    except Exception as exc:  # noqa: BLE001 - Pillow says why in many ways
        raise ConfigError(f"{path}: không đọc được ảnh ({exc}); cần tệp PNG") from None
    canvas.drawImage(image, x, y, width, height, mask="auto", preserveAspectRatio=True, anchor="c")


def _text_stamp(
    canvas: Canvas, look: Look, signed_at: datetime, width: float, height: float
) -> None:
    """A framed stamp: who signed, the office, the moment (no images named)."""
    lines = [
        ("Đã ký số bởi:", False),
        (look.signer, True),
        (look.office, False),
        (f"Thời gian: {fmt_time(signed_at)} ngày {fmt_date_short(signed_at.date())}", False),
    ]
    canvas.setStrokeColor(INK)
    canvas.setFillColor(INK)
    canvas.setLineWidth(0.8)
    canvas.roundRect(1, 1, width - 2, height - 2, 4)
    size = 9.0
    for text, bold in lines:  # the largest type that fits every line
        while size > 5 and canvas.stringWidth(text, face(bold), size) > width - 8:
            size -= 0.5
    step = size * 1.35
    y = height / 2 + step * (len(lines) - 1) / 2 - size / 3
    for text, bold in lines:
        canvas.setFont(face(bold), size)
        canvas.drawCentredString(width / 2, y, text)
        y -= step
