"""Import and export of a scoring-sheet template as an Excel file.

Built on the project's engine (:mod:`members.spreadsheets`): the whole file
is read first, every problem is listed by sheet, row and column, and nothing
is saved unless the file is clean. An export imports back unchanged.

Layout (headers and listed values are Vietnamese whatever the UI language):

* sheet “Bảng chấm điểm”: Mã | Nội dung | Loại | Điểm tối đa | Điểm mỗi lần |
  Cần minh chứng | Hướng dẫn, one row per line of the sheet, in order:

  - a **group** row has a Roman numeral in Mã (I, II, …), its title and its
    maximum; Loại, Điểm mỗi lần, Cần minh chứng and Hướng dẫn stay blank
    (a group is regular, bonus or deduction as its criteria are);
  - a **criterion** row has a number (1, 2, …) and belongs to the group
    above it;
  - a **sub-criterion** row has its criterion's number, a dot and a number
    (1.1, 1.2, …) and comes right after its criterion's rows;
  - Loại is one of Điểm, Đạt/Không đạt, Đếm, Cộng, Trừ; it may be left
    blank on a criterion that has sub-criteria (it is their sum);
  - Điểm mỗi lần: points per item (required for Đếm, allowed for Cộng and
    Trừ); Cần minh chứng: Có or Không (blank is Không); Hướng dẫn: free text.
  - A trailing dot in a code (“I.”, “2.”) is ignored; numbers are written
    without a sign or thousands separator (a decimal comma is fine).

* sheet “Thiết lập”, one row: Tổng điểm chuẩn | Trần điểm cộng | Trần điểm trừ
  (the last blank for no cap).
"""

from .layout import COLUMNS, KIND_LABELS, SETTINGS_COLUMNS, SETTINGS_SHEET, SHEET
from .reading import plan_template_import, template_import
from .writing import draft_workbook, export_template, template_workbook_blank

__all__ = [
    "COLUMNS",
    "KIND_LABELS",
    "SETTINGS_COLUMNS",
    "SETTINGS_SHEET",
    "SHEET",
    "draft_workbook",
    "export_template",
    "plan_template_import",
    "template_import",
    "template_workbook_blank",
]
