"""F1 / ?: every key of the board and the form, in Vietnamese."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from bluezone_tui.base.safe_text import printable
from bluezone_tui.export import board_formats

# what `x` writes, read from the one formats table: a format added there is named here
_EXPORTED = " ".join(fmt.suffix.lstrip(".") for fmt in board_formats())

KEYS = (
    ("Bảng theo dõi", ""),
    ("/", "tìm đơn vị theo tên, tên ngắn hoặc mã (không cần dấu)"),
    ("", "nhiều đơn vị khớp: ↑ ↓ Tab để chọn, Enter để mở, Esc để thôi"),
    ("↑ ↓ PgUp PgDn", "di chuyển"),
    ("Enter", "mở biểu mẫu nhập số liệu của đơn vị"),
    ("Chuột", "bấm vào dòng để chọn, bấm đúp để mở; con lăn kéo cả dòng đang chọn"),
    ("f", "lọc: chỉ đơn vị chưa xong (chưa đến hạn, trễ, thiếu, lỗi tệp, xung đột)"),
    ("s", "sắp xếp theo tỷ lệ / theo danh mục"),
    ("x", f"xuất {_EXPORTED} vào exports/"),
    ("t", "xu hướng: tỷ lệ toàn huyện, từng xã, lịch sử đơn vị"),
    ("r", "nhắc báo cáo, tin nhắn soạn sẵn"),
    ("g", "đồng bộ với kho chung (git)"),
    ("h", "lịch sử số liệu của đơn vị: ai sửa, lúc nào, số cũ → số mới"),
    ("F1 hoặc ?", "trợ giúp này"),
    ("q", "thoát"),
    ("", ""),
    ("Biểu mẫu", ""),
    ("Tab ↓ Enter", "sang ô sau (sau ô cuối về ô đầu)"),
    ("Shift+Tab ↑", "về ô trước"),
    ("", "vào một ô (bằng phím hay bấm chuột) là chọn cả số trong ô: gõ là thay số mới"),
    ("← → Home End", "sửa một phần số trong ô (hoặc bấm chuột lần nữa vào ô)"),
    ("Ctrl+A", "chọn cả số trong ô"),
    ("Alt+Backspace", "xoá một từ; Alt+D xoá đến hết từ; Alt+← Alt+→ qua một từ"),
    ("Dán nhiều dòng", "điền ô số này và các ô dưới, lần lượt; vào ô Ghi chú: nối thành một dòng"),
    ("Có / không", "gõ c (có) hoặc k (không)"),
    ("Giờ báo cáo", "15:45, 15h45, 9:45 hoặc 15:45:30; để nguyên: giờ lúc lưu"),
    ("F2 hoặc Ctrl+S", "lưu (hỏi xác nhận nếu có cảnh báo)"),
    ("", "số lũy kế giảm hoặc bị xoá: hỏi lý do, ghi vào ghi chú"),
    ("Esc", "quay lại bảng (hỏi nếu còn số chưa lưu)"),
    ("F5 / F6", "đơn vị xung đột: điền số của bên này / bên kia"),
    ("", ""),
    ("Ký hiệu", ""),
    ("✓", "đúng hạn / đã báo cáo"),
    ("!", "trễ hạn"),
    ("✗", "chưa báo cáo (đã quá hạn)"),
    ("·", "chưa đến hạn"),
    ("⚠", "lỗi tệp: xem thông báo, sửa tệp, chạy bluezone check"),
    ("⇄", "xung đột: hai nơi lưu khác nhau; Enter để xem hai bên và chọn"),
    ("*", "sau tên: chưa báo cáo hôm nay, tính theo số liệu gần nhất"),
    ("…", "tên dài bị cắt; dòng dưới bảng ghi tên đầy đủ"),
    ("", ""),
    ("Thêm đơn vị", ""),
    ("Từ bảng tính", "bluezone units import DS.xlsx --group commune"),
    ("", "bảng tính CSV, xlsx: cột Tên đơn vị, Dân số…"),
    ("Rồi", "bluezone check, rồi q và mở lại bảng"),
    ("Xem danh mục", "bluezone units list"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,f1,question_mark", "dismiss", "Đóng", key_display="Esc"),
    ]

    def __init__(self, warning: str = "") -> None:
        super().__init__()
        # what the board's line over the table says in short (git not on a branch), whole:
        # the words `bluezone status` gives, the way back included
        self.warning = warning

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            if self.warning:
                yield Static(Text(f"⚠ {printable(self.warning)}"), id="help-warning")
            yield Static("Phím tắt — Esc để đóng", id="help-title")
            yield Static(keys_table(), id="help-text")


def keys_table() -> Table:
    """Keys in one column, what they do in the next: a long line wraps under its own
    text, never back under the keys, at any width the box gets."""
    table = Table.grid(padding=(0, 1))
    table.add_column(min_width=16, no_wrap=True)
    table.add_column(ratio=1)
    for key, text in KEYS:
        if key and not text:
            table.add_row(Text(key, style="bold underline"), "")
        else:  # a line with no key goes on from the line above
            table.add_row(Text("  " + key, style="bold") if key else "", text)
    return table
