"""The signed report: `bluezone sign` (a key on the server) and `bluezone sent add` (a file
signed elsewhere, on the clerk's PC). Both end in the same record: the signed file
checked against what bluezone exported, kept under sent/, the day tagged as sent."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from bluezone_tui.base.files import MAX_SENT_BYTES, TooLarge, os_reason, read_regular
from bluezone_tui.base.problems import ConfigError, RefusedError
from bluezone_tui.base.vn import fmt_date_short, fmt_decimal, fmt_time
from bluezone_tui.cli.common import (
    EXIT_OK,
    Commands,
    Parser,
    UsageError,
    clock_of,
    dated,
    day_of,
    out,
    parse_day,
    recorded_lines,
    registry_of,
    repository_for,
    say,
    store_of,
)
from bluezone_tui.export import EXPORTS_FOLDER, FORMATS, refuse_data_target, write_report

if TYPE_CHECKING:
    from asn1crypto import x509

    from bluezone_tui.day.store import Store
    from bluezone_tui.git.repository import DataRepository
    from bluezone_tui.registry.model import Registry
    from bluezone_tui.signing.record import SentRecord
    from bluezone_tui.signing.verify import Signature

PASSWORD_VARIABLE = "BLUEZONE_SIGN_PASSWORD"


def register(commands: Commands) -> None:
    """sign, sent add."""
    sign = commands.add_parser(
        "sign",
        help="ký số báo cáo PDF bằng chứng thư trên máy chủ (PKCS#12 hoặc token)",
        description="Ký số báo cáo PDF (bluezone export --format pdf) vào ô chữ ký, theo "
        "PAdES (B-T khi có máy chủ dấu thời gian), hình chữ ký và con dấu theo Phụ lục I "
        "Nghị định 30/2020/NĐ-CP; rồi kiểm tra và ghi nhận như «bluezone sent add». Mật "
        f"khẩu hoặc mã PIN: biến môi trường {PASSWORD_VARIABLE}, nếu không thì hỏi.",
    )
    sign.add_argument(
        "file",
        nargs="?",
        type=Path,
        metavar="TỆP.pdf",
        help=f"báo cáo cần ký (mặc định: {EXPORTS_FOLDER}/bao-cao-bluezone-NGÀY.pdf)",
    )
    dated(sign)
    sign.add_argument(
        "--output", "-o", type=Path, metavar="TỆP", help="tệp đã ký (mặc định: …-da-ky.pdf)"
    )
    sign.add_argument("--pkcs12", type=Path, metavar="TỆP", help="tệp chứng thư .p12/.pfx")
    sign.add_argument("--pkcs11-lib", type=Path, metavar="THƯ_VIỆN", help="thư viện PKCS#11")
    sign.add_argument("--token", metavar="NHÃN", help="nhãn token")
    sign.add_argument("--key", metavar="NHÃN", help="nhãn khóa và chứng thư trên token")
    sign.add_argument("--tsa", metavar="URL", help="máy chủ dấu thời gian (RFC 3161)")
    sign.set_defaults(run=cmd_sign)

    sent = commands.add_parser(
        "sent",
        help="ghi nhận báo cáo PDF đã ký số (ký trên máy khác)",
        description="Nhận lại báo cáo PDF đã ký số: kiểm tra chữ ký còn nguyên vẹn và phủ cả "
        "tệp, đúng là bản bluezone đã xuất cho ngày đó, ai ký, lúc nào; lưu vào sent/NGÀY/, "
        "ghi vào git và đánh dấu ngày đã gửi (nhãn bao-cao/NGÀY).",
    )
    actions = sent.add_subparsers(
        dest="sent_command", title="lệnh", metavar="LỆNH", parser_class=Parser, required=True
    )
    add = actions.add_parser(
        "add",
        help="kiểm tra và ghi nhận một báo cáo đã ký",
        description="Kiểm tra và ghi nhận một báo cáo PDF đã ký số.",
    )
    add.add_argument("file", type=Path, metavar="TỆP.pdf", help="báo cáo đã ký")
    dated(
        add,
        day_help="ngày báo cáo, YYYY-MM-DD (mặc định: ngày ghi trong tệp khi xuất; nếu "
        "ghi --date thì tệp phải là báo cáo của ngày đó)",
    )
    add.set_defaults(run=cmd_sent_add)


def _read(path: Path) -> bytes:
    """A report PDF read whole: refused at once, unread, when larger than any report that
    could be sent (MAX_SENT_BYTES), or when it is no regular file."""
    try:
        return read_regular(path, MAX_SENT_BYTES)
    except TooLarge as exc:
        raise RefusedError(
            f"{path}: {fmt_decimal(Decimal(exc.size) / 2**20, 1)} MB, lớn quá một báo cáo PDF "
            f"(tối đa {MAX_SENT_BYTES // 2**20} MB, cỡ gửi được qua thư): không phải báo cáo "
            f"bluezone đã xuất"
        ) from None
    except OSError as exc:
        raise RefusedError(f"{path}: không đọc được ({os_reason(exc)})") from None


def _setting_path(data_dir: Path, text: str) -> Path | None:
    if not text:
        return None
    path = Path(text).expanduser()
    return path if path.is_absolute() else data_dir / path


def _roots(registry: Registry, data_dir: Path) -> list[x509.Certificate] | None:
    from bluezone_tui.signing.verify import load_roots

    folder = _setting_path(data_dir, registry.signing.trust_roots)
    return load_roots(folder) if folder is not None else None


def _password(what: str) -> str:
    """The key's password or PIN: from the environment, else typed (never echoed)."""
    if PASSWORD_VARIABLE in os.environ:
        return os.environ[PASSWORD_VARIABLE]
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(
            f"cần mật khẩu của {what}: đặt biến môi trường {PASSWORD_VARIABLE}, hoặc chạy "
            f"trong terminal để gõ (không ghi mật khẩu vào units.yaml)"
        )
    try:
        return getpass.getpass(f"Mật khẩu (mã PIN) của {what}: ")
    except (EOFError, KeyboardInterrupt):
        raise UsageError("chưa gõ mật khẩu: chưa ký gì") from None


def cmd_sign(args: argparse.Namespace) -> int:
    from bluezone_tui.git.head import refuse_unless_writable
    from bluezone_tui.git.repository import open_repository
    from bluezone_tui.signing.appearance import Look
    from bluezone_tui.signing.keys import KeyPlace, load_signer
    from bluezone_tui.signing.sign import sign_report, signer_name

    registry = registry_of(args)
    clock = clock_of(args, registry)
    day = day_of(args, clock)
    store = store_of(args, registry)
    data_dir = store.data_dir
    # git not on a branch: the signed report could not be recorded as sent, so the key
    # is not asked for (exit 2)
    refuse_unless_writable(data_dir, "ký và ghi nhận báo cáo")
    settings = registry.signing
    source = args.file or data_dir / EXPORTS_FOLDER / FORMATS["pdf"].file_name(day)
    target = args.output or source.with_name(source.stem + "-da-ky.pdf")
    refuse_data_target(target, data_dir)
    pkcs12 = args.pkcs12 or _setting_path(data_dir, settings.pkcs12)
    library = args.pkcs11_lib or _setting_path(data_dir, settings.pkcs11_library)
    if args.pkcs12 is not None or args.pkcs11_lib is not None:  # the command line wins
        pkcs12 = args.pkcs12
        library = args.pkcs11_lib
    place = KeyPlace(
        pkcs12=pkcs12,
        library=library if pkcs12 is None else None,
        token=args.token or settings.token,
        key=args.key or settings.key,
    )
    if place.pkcs12 is None and place.library is None:
        raise ConfigError(
            "chưa chỉ nơi có khóa ký: --pkcs12 TỆP (hoặc signing.pkcs12 trong units.yaml), "
            "hoặc --pkcs11-lib THƯ_VIỆN --token NHÃN (signing.pkcs11_library, signing.token)"
        )
    roots = _roots(registry, data_dir)  # a broken roots folder is said before the password
    data = _read(source)
    from bluezone_tui.signing.sign import empty_field

    empty_field(data)
    signer = load_signer(place, _password(place.what))
    look = Look(
        signature_image=_setting_path(data_dir, settings.signature_image),
        seal_image=_setting_path(data_dir, settings.seal_image),
        signer=signer_name(signer),
        office=registry.report.issuer,
    )
    signed = sign_report(
        data, signer, look, now=clock(), timestamp_url=args.tsa or settings.timestamp_url
    )
    say(f"Đã ký: {write_report(target, signed, data_dir)} ({signer_name(signer)})")
    repository = open_repository(data_dir, registry)
    if repository is None or not repository.available:  # signed, kept, but not recorded
        raise RefusedError(
            f"thư mục dữ liệu không ghi lịch sử git: tệp đã ký ({target}) chưa được ghi nhận "
            "là đã gửi («bluezone sent add» trong một thư mục có git)"
        )
    return _record(args, store, repository, signed, roots)


def cmd_sent_add(args: argparse.Namespace) -> int:
    registry = registry_of(args)
    store = store_of(args, registry)
    repository = repository_for(store.data_dir, registry, "«bluezone sent add»")
    repository.refuse_unwritable("ghi nhận báo cáo đã ký")  # before the file is checked
    roots = _roots(registry, store.data_dir)
    return _record(args, store, repository, _read(args.file), roots)


def _record(
    args: argparse.Namespace,
    store: Store,
    repository: DataRepository,
    data: bytes,
    roots: list[x509.Certificate] | None,
) -> int:
    from bluezone_tui.signing.record import AlreadyRecorded, add_sent

    clock = clock_of(args, store.registry)
    day = parse_day(args.date) if args.date is not None else None
    try:
        record = add_sent(store, repository, data, day=day, now=clock(), roots=roots)
    except AlreadyRecorded as known:
        out(f"bluezone: {known.message}: không ghi thêm gì, không gắn nhãn mới.\n")
        return EXIT_OK
    for line in recorded_lines(record.recorded):
        say(line)
    out(describe_record(record, store.registry, roots is not None))
    return EXIT_OK


def describe_record(record: SentRecord, registry: Registry, roots: bool) -> str:
    """What was checked and recorded, line by line, in Vietnamese."""
    signature = record.signature
    lines = [
        f"Báo cáo ngày {fmt_date_short(record.day)} đã ký số: chữ ký còn nguyên vẹn, phủ "
        f"toàn bộ tệp.",
        f"Người ký: {signature.signer} (chứng thư do {_common_name(signature.issuer)} cấp).",
        f"Thời điểm ký: {_when(signature, registry)}.",
        _trust_line(signature, roots),
        f"Đúng bản bluezone đã xuất: số liệu đến {fmt_time(record.counted_at)} ngày "
        f"{fmt_date_short(record.counted_at.date())}, commit {record.revision[:10]}.",
        f"Đã lưu {record.path} và đánh dấu đã gửi: nhãn {record.tag} («bluezone sync» gửi lên "
        f"kho chung).",
    ]
    if record.since is not None and record.since.differs:
        from bluezone_tui.git.sent import describe_difference

        names = {unit.id: unit.name for unit in registry.units}
        lines.append(
            "Lưu ý: số liệu hiện nay "
            + describe_difference(record.since, names)
            + " («bluezone history --since-sent»)."
        )
    return "\n".join(lines) + "\n"


def _common_name(subject: str) -> str:
    for part in subject.split(", "):
        if part.startswith("Common Name: "):
            return part[len("Common Name: ") :]
    return subject


def _when(signature: Signature, registry: Registry) -> str:
    parts = []
    if signature.timestamped_at is not None:
        moment = signature.timestamped_at.astimezone(registry.timezone)
        parts.append(
            f"{fmt_time(moment)} ngày {fmt_date_short(moment.date())} (dấu thời gian, PAdES B-T)"
        )
    if signature.signed_at is not None:
        moment = signature.signed_at.astimezone(registry.timezone)
        parts.append(f"{fmt_time(moment)} ngày {fmt_date_short(moment.date())} (theo máy ký)")
    return "; ".join(parts) or "không ghi"


def _trust_line(signature: Signature, roots: bool) -> str:
    if not roots or signature.trusted is None:
        return (
            "Chứng thư CHƯA được kiểm tra: units.yaml chưa chỉ thư mục chứng thư gốc của tỉnh "
            "(signing.trust_roots); chữ ký còn nguyên vẹn nhưng chưa biết chứng thư của người "
            "ký có do nơi tin cậy cấp hay không."
        )
    return "Chứng thư: hợp lệ, dẫn tới chứng thư gốc của tỉnh (signing.trust_roots)."
