"""The file's layout: sheets, columns and how values are written in them."""

from members.spreadsheets import NO, YES, Column

from ..sheet_rules import Kind

SHEET = "Bảng chấm điểm"
SETTINGS_SHEET = "Thiết lập"

#: How each criterion kind is written in the file.
KIND_LABELS = {
    Kind.POINTS: "Điểm",
    Kind.PASS_FAIL: "Đạt/Không đạt",
    Kind.COUNT: "Đếm",
    Kind.BONUS: "Cộng",
    Kind.DEDUCTION: "Trừ",
}
_EVIDENCE_LABELS = {True: YES, False: NO}

COLUMNS = [
    Column("code", "Mã", text=True),
    Column("title", "Nội dung"),
    Column("kind", "Loại", choices=tuple(KIND_LABELS.values())),
    Column("max_points", "Điểm tối đa"),
    Column("points_per_item", "Điểm mỗi lần"),
    Column("evidence_required", "Cần minh chứng", choices=(YES, NO)),
    Column("guidance", "Hướng dẫn"),
]
SETTINGS_COLUMNS = [
    Column("base_total", "Tổng điểm chuẩn"),
    Column("bonus_cap", "Trần điểm cộng"),
    Column("deduction_cap", "Trần điểm trừ"),
]
_HEADERS = {column.key: column.header for column in COLUMNS}
_SETTINGS_HEADERS = {column.key: column.header for column in SETTINGS_COLUMNS}
#: The settings are read from this row of “Thiết lập” (row 1 holds the headers).
_SETTINGS_ROW = 2
