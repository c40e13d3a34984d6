"""Building bloc-members files for the import tests, and measuring what changed."""

import datetime
from collections import Counter

from blocs.imports import (
    BLOC_MEMBER_COLUMNS,
    SHEET,
)
from blocs.models import BlocYear, Membership
from members.models import Agency
from members.spreadsheets import write_workbook

CODES = ("SYT", "STC", "SNV", "SXD", "SCT")
BASE = [
    [2026, 1, "SYT", "Khối trưởng", None, None],
    [2026, 1, "STC", "Khối phó", None, None],
    [2026, 1, "SNV", "Thành viên", None, None],
]

SXD = [2026, 1, "SXD", "", None, None]


def members_file(rows) -> bytes:
    return write_workbook([(SHEET, BLOC_MEMBER_COLUMNS, [list(row) for row in rows])])


def snapshot() -> dict:
    return {
        "bloc_year": {
            b["pk"]: b for b in BlocYear.objects.values("pk", "bloc_id", "year", "stage")
        },
        "membership": {
            m["pk"]: m
            for m in Membership.objects.values(
                "pk", "bloc_year_id", "agency_id", "role", "joined_on", "left_on"
            )
        },
    }


def what_changed(before: dict, after: dict) -> Counter:
    counts = Counter()
    for kind in before:
        for pk, row in after[kind].items():
            if pk not in before[kind]:
                counts[kind, "create"] += 1
            elif row != before[kind][pk]:
                counts[kind, "update"] += 1
        counts[kind, "remove"] += len(before[kind].keys() - after[kind].keys())
    return +counts


def planned(plan) -> Counter:
    return Counter((change.kind, change.action) for change in plan.real_changes())


def _set_stage(bloc_year, stage):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=stage)


def ended_agency(province, year_2026):
    """An agency of the province that ended on 30/06/2025."""
    Agency.objects.create(
        province=province,
        code="SCU",
        name="Sở Cũ",
        short_name="SCU",
        is_active=False,
        ended_on=datetime.date(2025, 6, 30),
    )
