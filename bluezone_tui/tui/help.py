"""F1 / ?: every key of the board and the form, in Vietnamese."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = (
    ("Bảng theo dõi", ""),
    ("/", "tìm đơn vị theo tên (không cần dấu), Enter để mở"),
    ("↑ ↓ PgUp PgDn", "di chuyển"),
    ("Enter", "mở biểu mẫu nhập số liệu của đơn vị"),
    ("f", "lọc: chỉ đơn vị chưa xong (chưa đến hạn, trễ, thiếu, lỗi tệp)"),
    ("s", "sắp xếp theo tỷ lệ / theo danh mục"),
    ("x", "xuất txt csv xlsx docx vào exports/"),
    ("t", "xu hướng: tỷ lệ toàn huyện, từng xã, lịch sử đơn vị"),
    ("r", "nhắc báo cáo, tin nhắn soạn sẵn"),
    ("F1 hoặc ?", "trợ giúp này"),
    ("q", "thoát"),
    ("", ""),
    ("Biểu mẫu", ""),
    ("Tab ↓ Enter", "sang ô sau (sau ô cuối về ô đầu)"),
    ("Shift+Tab ↑", "về ô trước"),
    ("", "vào một ô là chọn cả số trong ô: gõ là thay số mới"),
    ("← → Home End", "sửa một phần số trong ô"),
    ("Ctrl+A", "chọn cả số trong ô"),
    ("Dán nhiều dòng", "điền ô này và các ô dưới, lần lượt"),
    ("Giờ báo cáo", "15:45, 15.45, 15h45 hoặc 9:45"),
    ("F2 hoặc Ctrl+S", "lưu (hỏi xác nhận nếu có cảnh báo)"),
    ("Esc", "quay lại bảng (hỏi nếu còn số chưa lưu)"),
    ("", ""),
    ("Ký hiệu", ""),
    ("✓", "đúng hạn / đã báo cáo"),
    ("!", "trễ hạn"),
    ("✗", "chưa báo cáo (đã quá hạn)"),
    ("·", "chưa đến hạn"),
    ("⚠", "lỗi tệp: xem thông báo, sửa tệp, chạy bluezone check"),
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

    def compose(self) -> ComposeResult:
        lines = []
        for key, text in KEYS:
            if key and not text:
                lines.append(f"[b u]{key}[/]")
            elif text:  # a line with no key goes on from the line above
                lines.append(f"  [b]{key:<16}[/b] {text}")
            else:
                lines.append("")
        with VerticalScroll(id="help-box"):
            yield Static("Phím tắt — Esc để đóng", id="help-title")
            yield Static("\n".join(lines), id="help-text")
