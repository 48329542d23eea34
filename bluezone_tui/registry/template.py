"""The registry a new office starts from (`bluezone init`), with its own name filled in.

The template (templates/units.yaml) holds the letter's four groups and their forms, the
district's usual departments and its youth union, and a Vietnamese comment on every key
a clerk edits. `--district "Huyện Tân Hồng" --province "Đồng Tháp"` fills in the names
and the report's header (the Office as issuer), and `--signer` the name typed under the
signature, so nobody has to edit YAML for them.
"""

from __future__ import annotations

import json
from importlib.resources import files
from string import Template

from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fold, nfc
from bluezone_tui.registry.model import District, ReportSettings

# District-level units: (folded prefix, as a name begins, as a sentence says it, youth union)
LEVELS = (
    ("huyen ", "Huyện", "huyện", "Huyện đoàn"),
    ("thi xa ", "Thị xã", "thị xã", "Thị đoàn"),
    ("thanh pho ", "Thành phố", "thành phố", "Thành đoàn"),
    ("quan ", "Quận", "quận", "Quận đoàn"),
)
PLACEHOLDER_DISTRICT = "Huyện Mẫu"
PLACEHOLDER_PROVINCE = "Mẫu"


def _clean(text: str, what: str) -> str:
    text = nfc(" ".join(text.split()))
    if not text or printable(text) != text or len(text) > 100:
        raise ValueError(f"{what} «{printable(text)}» không dùng được: cần một tên ngắn, có chữ")
    return text


def district_names(text: str) -> tuple[str, str, str, str]:
    """ "Huyện Tân Hồng" or "Tân Hồng" -> (name, short name, level word, youth union)."""
    name = _clean(text, "tên huyện")
    folded = fold(name) + " "
    for prefix, title, word, youth in LEVELS:
        if folded.startswith(prefix):
            short = name[len(prefix) - 1 :].strip()
            if short:
                return f"{title} {short}", short, word, youth
    return f"Huyện {name}", name, "huyện", "Huyện đoàn"


def province_name(text: str) -> str:
    """ "Tỉnh Đồng Tháp" or "Đồng Tháp" -> "Đồng Tháp" (the report writes "tỉnh …")."""
    name = _clean(text, "tên tỉnh")
    if fold(name).startswith("tinh ") and name[5:].strip():
        return name[5:].strip()
    return name


def render(
    district: str | None = None, province: str | None = None, signer: str | None = None
) -> str:
    """The template's text for this district and province (placeholders when not given) and
    the report's signer (empty when not given: `check` asks for it). Raises ValueError (a
    Vietnamese message) for a name that cannot be used."""
    name, short, level, youth = district_names(district or PLACEHOLDER_DISTRICT)
    province = province_name(province or PLACEHOLDER_PROVINCE)
    report = ReportSettings.for_district(District(name=name, short_name=short, province=province))
    values = {
        "district": name,
        "short": short,
        "province": province,
        "authority": report.authority,
        "place": report.place,
        "recipient_district": report.recipients[0],
        "recipient_province": report.recipients[-1],
        "youth_unit": f"{youth} {short} (Đoàn TNCS Hồ Chí Minh {level} {short})",
        "office": f"Phòng Văn hóa và Thông tin {level} {short}",
        "signer": _clean(signer, "họ tên người ký") if signer is not None else "",
    }
    # Names go in as YAML double-quoted strings (JSON's are), so no name can break the file;
    # the level and youth words come from LEVELS and read better unquoted.
    quoted = {key: json.dumps(value, ensure_ascii=False) for key, value in values.items()}
    template = files("bluezone_tui.registry").joinpath("templates/units.yaml").read_text("utf-8")
    return Template(template).substitute(quoted, level=level, youth_group=youth)
