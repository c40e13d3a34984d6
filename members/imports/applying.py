"""Planning the whole people file, and applying it in one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit
from ..models import Province, User
from ..permissions import can_manage_agencies
from ..spreadsheets import (
    ImportPlan,
    ImportRejected,
    open_workbook,
    read_sheet,
)
from .agencies import _plan_agencies
from .layout import (
    AGENCY_COLUMNS,
    AGENCY_SHEET,
    OFFICIAL_COLUMNS,
    OFFICIAL_SHEET,
    _as_cells,
    _PeopleWork,
    _Write,
)
from .officials import _plan_officials


def _plan(content: bytes, *, province) -> _PeopleWork:
    workbook = open_workbook(content)
    agency_rows = read_sheet(workbook, AGENCY_SHEET, AGENCY_COLUMNS)
    official_rows = read_sheet(workbook, OFFICIAL_SHEET, OFFICIAL_COLUMNS)
    work = _PeopleWork()
    known = _plan_agencies(agency_rows, province=province, work=work)
    # An empty officials sheet says nothing about officials; it does not mean
    # "everyone left" (a file made to add agencies would otherwise empty the province).
    if official_rows:
        _plan_officials(official_rows, province=province, known=known, work=work)
    return work


def plan_people_import(content: bytes, *, province: Province) -> ImportPlan:
    """What importing ``content`` would change, or the cells that are wrong.

    Reads only; raises :class:`~members.spreadsheets.SpreadsheetError` when the
    file is not the documented layout at all.
    """
    return _plan(content, province=province).plan


def _save(write: _Write, plan: ImportPlan) -> bool:
    instance = write.instance
    if isinstance(instance, User) and instance.agency is not None:
        # The agency may have been created a moment ago; take its new key.
        instance.agency = instance.agency
    if write.fields is None:
        exclude = None
    else:
        exclude = [f.name for f in instance._meta.fields if f.name not in write.fields]
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        for column, message in _as_cells(exc, write.headers):
            plan.add_error(write.sheet, write.row, column, message)
        return False
    if write.fields is None:
        instance.save()
    else:
        instance.save(update_fields=list(write.fields))
    return True


def _write_order(write: _Write) -> int:
    if write.fields is None:
        return 2
    return 0 if "is_active" in write.fields and not write.instance.is_active else 1


@audit.service
def apply_people_import(
    content: bytes, *, province: Province, actor
) -> tuple[ImportPlan, list[User]]:
    """Apply the file in one transaction and return the plan and the new officials.

    The caller invites the new officials (they have no password yet).
    Raises :class:`~members.spreadsheets.ImportRejected` (a ``ValidationError``)
    and saves nothing if any cell is wrong, including errors the models only
    find while saving.
    """
    if not can_manage_agencies(actor, province.pk):
        raise PermissionDenied(_("Only the provincial board imports agencies and officials."))
    with transaction.atomic():
        # One import per province at a time: the second one plans on the first's result.
        Province.objects.select_for_update().get(pk=province.pk)
        work = _plan(content, province=province)
        plan = work.plan
        if not plan.is_valid:
            raise ImportRejected(plan)
        # Deactivations first, so a new agency may take the name an old one frees.
        for write in sorted(work.agencies, key=_write_order):
            _save(write, plan)
        created = []
        for write in sorted(work.officials, key=_write_order):
            if _save(write, plan) and write.fields is None:
                created.append(write.instance)
        if not plan.is_valid:
            raise ImportRejected(plan)
    return plan, created
