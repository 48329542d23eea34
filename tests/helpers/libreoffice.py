"""LibreOffice, where installed (not in CI): documents converted to PDF, and the words of
each page with their boxes (poppler's pdftotext), so that a test can look at the pages."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None, reason="LibreOffice is not installed"
)
MM = 72 / 25.4  # points in a millimetre
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]

    def lines(self) -> list[str]:
        """The page's words grouped into lines, top to bottom (a line: one baseline)."""
        rows: dict[int, list[Word]] = {}
        for word in self.words:
            rows.setdefault(round(word.y1), []).append(word)
        return [" ".join(w.text for w in sorted(rows[y], key=lambda w: w.x0)) for y in sorted(rows)]

    @property
    def text(self) -> str:
        return "\n".join(self.lines())


def convert(sources: list[Path], target: str, outdir: Path) -> list[Path]:
    """`sources` converted by one LibreOffice run ("pdf", "csv:…"), with a profile of its own."""
    assert SOFFICE is not None
    profile = (outdir / "lo-profile").as_uri()
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
         "--outdir", str(outdir), *map(str, sources)],
        capture_output=True,
        timeout=600,
    )  # fmt: skip
    suffix = "." + target.split(":")[0]
    converted = [outdir / (source.stem + suffix) for source in sources]
    assert result.returncode == 0 and all(p.exists() for p in converted), result.stderr.decode(
        errors="replace"
    )
    return converted


def pages(pdf: Path) -> list[Page]:
    assert PDFTOTEXT is not None
    boxes = subprocess.run(
        [PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, timeout=120, check=True
    ).stdout.decode("utf-8")
    found = []
    for width, height, body in _PAGE.findall(boxes):
        words = tuple(
            Word(float(a), float(b), float(c), float(d), html.unescape(text))
            for a, b, c, d, text in _WORD.findall(body)
        )
        found.append(Page(float(width), float(height), words))
    return found
