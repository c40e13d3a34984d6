"""Import and export of a province's agencies and officials as one Excel file.

The provincial board keeps its directory in a spreadsheet; importing it must
be safe to repeat. Agencies are matched on their ``code`` and officials on
their email (both case-insensitively), so importing the same file twice
changes nothing, and an export imports back with no change at all.

Planning reads only. Applying plans again inside the transaction (an old
preview is never trusted) and refuses the whole file if any cell is wrong.

Layout (the headers and listed values are Vietnamese whatever the UI language):

* sheet “Cơ quan”: Mã | Tên chính thức | Tên viết tắt | Loại | Hoạt động
* sheet “Cán bộ”: Họ và tên | Chức vụ | Email | Điện thoại | Mã cơ quan | Vai trò
"""

from .applying import apply_people_import, plan_people_import
from .exporting import export_people, people_template
from .layout import (
    AGENCY_COLUMNS,
    AGENCY_SHEET,
    KIND_LABELS,
    OFFICIAL_COLUMNS,
    OFFICIAL_SHEET,
    PEOPLE_SHEETS,
    ROLE_LABELS,
)

__all__ = [
    "AGENCY_COLUMNS",
    "AGENCY_SHEET",
    "KIND_LABELS",
    "OFFICIAL_COLUMNS",
    "OFFICIAL_SHEET",
    "PEOPLE_SHEETS",
    "ROLE_LABELS",
    "apply_people_import",
    "export_people",
    "people_template",
    "plan_people_import",
]
