"""Reads for deadlines: the effective date of each task and who is still due.

Effective deadline = the bloc-year's own date if set, else the province's,
else the default (domain §1.5). A bloc-year may only tighten, so the
earlier of its date and the province's is taken even if the board later
moved the province's date forward. Every function loads whole sets of
bloc-years in a fixed number of queries (two for the dates, plus each
checker's own fixed count).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from ..models import (
    DEFAULT_DEADLINES,
    BlocYear,
    BlocYearDeadline,
    DeadlineKind,
    ProvinceDeadline,
)
from ..models_deadlines import day_in_year
from ..stages import READ_ONLY_STAGES, Stage
from . import pending_many

#: The stage in which each task is due; reminders look at no other stage.
TASK_STAGES: dict[str, frozenset] = {
    DeadlineKind.SIGNING: frozenset({Stage.SIGNING}),
    DeadlineKind.MID_YEAR: frozenset({Stage.IN_PROGRESS}),
    DeadlineKind.SELF_SCORING: frozenset({Stage.SCORING}),
    DeadlineKind.DOSSIER: frozenset({Stage.SCORING, Stage.CONFERENCE}),
}


@dataclass
class CalendarEntry:
    kind: str
    month: int
    day: int
    is_default: bool

    @property
    def label(self):
        return DeadlineKind(self.kind).label


@dataclass
class YearDeadline:
    """One task's deadline in one bloc-year, with who is still due today."""

    bloc_year: BlocYear
    kind: str
    date: datetime.date
    province_date: datetime.date
    is_tightened: bool
    today: datetime.date
    pending: list = field(default_factory=list)

    @property
    def label(self):
        return DeadlineKind(self.kind).label

    @property
    def days_left(self) -> int:
        return (self.date - self.today).days

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def is_current(self) -> bool:
        """The year is in the stage where this task is due."""
        return self.bloc_year.stage in TASK_STAGES[self.kind]

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0 and bool(self.pending)

    def pending_for(self, agency_id) -> list:
        return [(agency, msg) for agency, msg in self.pending if agency and agency.pk == agency_id]


def province_calendar(province_id) -> list[CalendarEntry]:
    """The four tasks with the province's day and month (or the default)."""
    rows = {
        d.kind: d for d in ProvinceDeadline.objects.filter(province_id=province_id).order_by("pk")
    }
    entries = []
    for kind in DeadlineKind.values:
        if kind in rows:
            entries.append(CalendarEntry(kind, rows[kind].month, rows[kind].day, False))
        else:
            month, day = DEFAULT_DEADLINES[kind]
            entries.append(CalendarEntry(kind, month, day, True))
    return entries


def province_date(province_id, kind: str, year: int) -> datetime.date:
    """The province's date for ``kind`` in ``year`` (one query)."""
    row = ProvinceDeadline.objects.filter(province_id=province_id, kind=kind).first()
    month, day = (row.month, row.day) if row else DEFAULT_DEADLINES[kind]
    return day_in_year(year, month, day)


def deadlines_for(bloc_years, *, today=None, with_pending=True) -> dict[int, list[YearDeadline]]:
    """Every task's deadline for each bloc-year (bloc__province must be loaded)."""
    today = today or timezone.localdate()
    bloc_years = list(bloc_years)
    if not bloc_years:
        return {}
    province_ids = {by.bloc.province_id for by in bloc_years}
    calendar = {
        (d.province_id, d.kind): (d.month, d.day)
        for d in ProvinceDeadline.objects.filter(province_id__in=province_ids)
    }
    own = {
        (d.bloc_year_id, d.kind): d.date
        for d in BlocYearDeadline.objects.filter(bloc_year__in=bloc_years)
    }
    pending = {}
    if with_pending:
        pending = {kind: pending_many(kind, bloc_years) for kind in DeadlineKind.values}
    result = defaultdict(list)
    for by in bloc_years:
        for kind in DeadlineKind.values:
            month, day = calendar.get((by.bloc.province_id, kind), DEFAULT_DEADLINES[kind])
            base = day_in_year(by.year, month, day)
            tight = own.get((by.pk, kind))
            date = min(tight, base) if tight else base
            result[by.pk].append(
                YearDeadline(
                    bloc_year=by,
                    kind=kind,
                    date=date,
                    province_date=base,
                    is_tightened=tight is not None,
                    today=today,
                    pending=pending.get(kind, {}).get(by.pk, []),
                )
            )
    return dict(result)


def year_deadlines(bloc_year, *, today=None) -> list[YearDeadline]:
    return deadlines_for([bloc_year], today=today).get(bloc_year.pk, [])


def open_years(**filters):
    """Bloc-years the reminders and notices look at: not set up, not closed."""
    return (
        BlocYear.objects.filter(**filters)
        .exclude(stage__in=[*READ_ONLY_STAGES, Stage.SETUP])
        .select_related("bloc__province")
        .order_by("bloc__province_id", "bloc__number", "year")
    )


def province_late(province, *, today=None, years=None) -> list[YearDeadline]:
    """What is late across the province's blocs, oldest deadline first.

    ``years``: the province's bloc-years when the page has them loaded (with
    their bloc); the open ones are picked from them, saving a query."""
    if years is None:
        years = list(open_years(bloc__province=province))
    else:
        years = [by for by in years if by.stage not in (*READ_ONLY_STAGES, Stage.SETUP)]
    late = [
        deadline
        for deadlines in deadlines_for(years, today=today).values()
        for deadline in deadlines
        if deadline.is_overdue
    ]
    late.sort(key=lambda d: (d.date, d.bloc_year.bloc.number))
    return late
