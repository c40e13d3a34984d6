"""The people file written from the database, and the blank template."""

from ..models import Agency, Province, User
from ..spreadsheets import (
    YES,
    write_workbook,
)
from .layout import (
    ACTIVE_LABELS,
    AGENCY_COLUMNS,
    AGENCY_SHEET,
    KIND_LABELS,
    OFFICIAL_COLUMNS,
    OFFICIAL_SHEET,
    ROLE_LABELS,
)

# Exporting -----------------------------------------------------------------


def _agency_row(agency: Agency) -> list:
    return [
        agency.code,
        agency.name,
        agency.short_name,
        KIND_LABELS.get(agency.kind, agency.kind),
        ACTIVE_LABELS[agency.is_active],
    ]


def export_people(*, province: Province) -> bytes:
    """The province's active agencies and their active officials, in the import layout.

    Board and administrator accounts and people without an email are left
    out: an import could not match them, so the file would not round-trip.
    """
    agencies = Agency.objects.filter(province=province, is_active=True).alphabetical()
    officials = (
        User.objects.filter(
            agency__province=province,
            agency__is_active=True,
            is_active=True,
            is_superuser=False,
            board_province__isnull=True,
        )
        .exclude(agency_role="")
        .exclude(email="")
        .select_related("agency")
        .order_by("agency__code", "full_name", "pk")
    )
    return write_workbook(
        [
            (AGENCY_SHEET, AGENCY_COLUMNS, [_agency_row(agency) for agency in agencies]),
            (
                OFFICIAL_SHEET,
                OFFICIAL_COLUMNS,
                [
                    [
                        user.full_name,
                        user.position,
                        user.email,
                        user.phone,
                        user.agency.code,
                        ROLE_LABELS.get(user.agency_role, user.agency_role),
                    ]
                    for user in officials
                ],
            ),
        ]
    )


def people_template() -> bytes:
    """The empty layout with one example row per sheet."""
    return write_workbook(
        [
            (AGENCY_SHEET, AGENCY_COLUMNS, [["SYT", "Sở Y tế", "Sở Y tế", "Sở", YES]]),
            (
                OFFICIAL_SHEET,
                OFFICIAL_COLUMNS,
                [
                    [
                        "Nguyễn Thị Lan",
                        "Chánh Văn phòng",
                        "lan.nt@syt.example.vn",
                        "0912345678",
                        "SYT",
                        "Cán bộ thi đua",
                    ]
                ],
            ),
        ]
    )
