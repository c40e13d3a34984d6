"""Building people files for the import tests, and measuring what changed."""

from collections import Counter

from members.imports import (
    AGENCY_COLUMNS,
    AGENCY_SHEET,
    OFFICIAL_COLUMNS,
    OFFICIAL_SHEET,
)
from members.models import Agency, User
from members.spreadsheets import write_workbook

SYT = ["SYT", "Sở Y tế", "Sở Y tế", "Sở", "Có"]
LAN = ["Nguyễn Thị Lan", "Chuyên viên", "lan@syt.vn", "0912345678", "SYT", "Cán bộ thi đua"]


def people_file(agencies=(SYT,), officials=(LAN,)) -> bytes:
    return write_workbook(
        [
            (AGENCY_SHEET, AGENCY_COLUMNS, [list(row) for row in agencies]),
            (OFFICIAL_SHEET, OFFICIAL_COLUMNS, [list(row) for row in officials]),
        ]
    )


def snapshot() -> dict:
    """Every agency and user, by kind and key, with the fields an import may touch."""
    return {
        "agency": {
            a["pk"]: a
            for a in Agency.objects.values(
                "pk", "code", "name", "short_name", "kind", "is_active", "ended_on"
            )
        },
        "official": {
            u["pk"]: u
            for u in User.objects.values(
                "pk",
                "username",
                "email",
                "full_name",
                "position",
                "phone",
                "agency_id",
                "agency_role",
                "is_active",
            )
        },
    }


def what_changed(before: dict, after: dict) -> Counter:
    """The rows a database diff shows, counted like a plan's changes."""
    counts = Counter()
    for kind in before:
        for pk, row in after[kind].items():
            old = before[kind].get(pk)
            if old is None:
                counts[kind, "create"] += 1
            elif row != old:
                if old["is_active"] and not row["is_active"]:
                    counts[kind, "deactivate"] += 1
                elif row["is_active"] and not old["is_active"]:
                    counts[kind, "reactivate"] += 1
                else:
                    counts[kind, "update"] += 1
        assert before[kind].keys() <= after[kind].keys(), "an import never deletes"
    return counts


def planned(plan) -> Counter:
    return Counter((change.kind, change.action) for change in plan.real_changes())
