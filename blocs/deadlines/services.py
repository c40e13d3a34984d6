"""Changing the calendar: the board sets the province's dates, the board or
the secretariat tightens a bloc-year's.

Each service locks the row it changes, checks the permission on the locked
row, validates, changes, and writes a ``DeadlineChange`` so the calendar's
history shows who moved which date.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from members import audit
from members.models import Province

from .. import permissions
from ..models import BlocYear, BlocYearDeadline, DeadlineChange, DeadlineKind, ProvinceDeadline
from .selectors import province_date


def can_set_province_deadlines(user, province_id) -> bool:
    return permissions.is_board_for(user, province_id)


def can_tighten_deadlines(user, bloc_year: BlocYear) -> bool:
    """Board or secretariat, never in a closed year."""
    return permissions.can_edit_bloc_year(user, bloc_year)


def _check_kind(kind):
    if kind not in DeadlineKind.values:
        raise ValidationError({"kind": _("Unknown task.")}, code="kind")


@audit.service
@transaction.atomic
def province_deadline_set(*, province: Province, kind: str, month: int, day: int, actor):
    province = Province.objects.select_for_update().get(pk=province.pk)
    if not can_set_province_deadlines(actor, province.pk):
        raise PermissionDenied(_("Only the province's board sets its calendar."))
    _check_kind(kind)
    row = ProvinceDeadline.objects.filter(province=province, kind=kind).first()
    before = f"{row.day:02d}/{row.month:02d}" if row else ""
    row = row or ProvinceDeadline(province=province, kind=kind)
    row.month, row.day = month, day
    row.full_clean()
    row.save()
    DeadlineChange.objects.create(
        province=province, kind=kind, before=before, after=f"{day:02d}/{month:02d}", actor=actor
    )
    return row


def _lock_year(bloc_year: BlocYear, actor) -> BlocYear:
    locked = BlocYear.objects.select_for_update().select_related("bloc").get(pk=bloc_year.pk)
    if locked.is_read_only:
        raise ValidationError(
            _("The year %(year)s is closed: its records can no longer change.")
            % {"year": locked.year},
            code="read_only",
        )
    if not can_tighten_deadlines(actor, locked):
        raise PermissionDenied(_("Only the board or the secretariat sets this year's deadlines."))
    return locked


@audit.service
@transaction.atomic
def year_deadline_set(*, bloc_year: BlocYear, kind: str, date: datetime.date, actor):
    """Tighten one task's deadline: earlier than or equal to the province's."""
    locked = _lock_year(bloc_year, actor)
    _check_kind(kind)
    limit = province_date(locked.bloc.province_id, kind, locked.year)
    if date.year != locked.year:
        raise ValidationError(
            {"date": _("Choose a date in %(year)s.") % {"year": locked.year}}, code="year"
        )
    if date > limit:
        raise ValidationError(
            {
                "date": _("A bloc may only bring a deadline forward: choose %(limit)s or earlier.")
                % {"limit": formats.date_format(limit, "SHORT_DATE_FORMAT")}
            },
            code="later_than_province",
        )
    row = BlocYearDeadline.objects.filter(bloc_year=locked, kind=kind).first()
    before = row.date.isoformat() if row else ""
    row = row or BlocYearDeadline(bloc_year=locked, kind=kind)
    row.date = date
    row.full_clean()
    row.save()
    DeadlineChange.objects.create(
        province_id=locked.bloc.province_id,
        bloc_year=locked,
        kind=kind,
        before=before,
        after=date.isoformat(),
        actor=actor,
    )
    return row


@audit.service
@transaction.atomic
def year_deadline_clear(*, bloc_year: BlocYear, kind: str, actor) -> None:
    """Drop the bloc-year's own date: the province's applies again."""
    locked = _lock_year(bloc_year, actor)
    _check_kind(kind)
    row = BlocYearDeadline.objects.filter(bloc_year=locked, kind=kind).first()
    if row is None:
        return
    DeadlineChange.objects.create(
        province_id=locked.bloc.province_id,
        bloc_year=locked,
        kind=kind,
        before=row.date.isoformat(),
        after="",
        actor=actor,
    )
    row.delete()
