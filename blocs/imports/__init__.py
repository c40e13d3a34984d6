"""Import and export of which agencies belong to which bloc in a year.

One sheet, one row per membership. Each (Năm, Số khối) pair is a bloc-year
and the file is authoritative for the bloc-years it lists: members missing
from the file are removed (only while the year is in set-up). Bloc-years
the file does not mention are left alone.

Every write goes through :mod:`blocs.services` with the importing user as
actor, so an import can do exactly what that user could do by hand.

Layout: sheet “Thành viên khối”: Năm | Số khối | Mã cơ quan | Vai trò trong
khối | Ngày tham gia | Ngày rời khối.
"""

from .applying import apply_bloc_members_import
from .exporting import bloc_members_template, export_bloc_members
from .layout import BLOC_MEMBER_COLUMNS, BLOC_MEMBERS, ROLE_LABELS, SHEET
from .planning import plan_bloc_members_import

__all__ = [
    "BLOC_MEMBERS",
    "BLOC_MEMBER_COLUMNS",
    "ROLE_LABELS",
    "SHEET",
    "apply_bloc_members_import",
    "bloc_members_template",
    "export_bloc_members",
    "plan_bloc_members_import",
]
