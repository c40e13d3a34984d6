"""Demo deadlines and reminders, through the real services (issue 7).

- The board set the province's calendar at the start of the past year (2025),
  so it governs the past year and the current one: covenant signing 31/03 (the
  province signs its covenants in March), mid-year review 31/07, year-end
  self-scoring 30/11 and the year-end dossier 10/12 (domain rule 26).
- Bloc 3 (Nội chính) brought its 2026 signing deadline forward to 20/03 for its
  signing conference; the change is in the year's calendar history. Four of its
  seven agencies have signed, so the board's dashboard shows the bloc late.
- The daily reminder run (``send_reminders``) has run once for today: the
  unsigned agencies' leaders and bloc 3's secretariat got the escalation, and
  whatever else is due today (bloc 2's self-scoring a week ahead, when today
  is late November) is logged too. Bloc 6's dossier deadline, 10/12, shows on
  the secretariat's overview with the days left.

Dates are fixed in the demo's years, never computed from the wall clock; only
the reminder run is for the real today, the day the pages compute their
notices for, so the log and the notices agree. Everything is found by its
natural key on a second run, and the reminder run is skipped once the demo has
reminders, so running ``seed_demo`` again changes nothing.
"""

import datetime

from django.utils import timezone

from .deadlines.reminders import send_reminders
from .deadlines.services import province_deadline_set, year_deadline_set
from .models import BlocYear, BlocYearDeadline, DeadlineChange, DeadlineKind, ReminderLog

#: The province's calendar: (month, day) per task.
PROVINCE_CALENDAR = {
    DeadlineKind.SIGNING: (3, 31),
    DeadlineKind.MID_YEAR: (7, 31),
    DeadlineKind.SELF_SCORING: (11, 30),
    DeadlineKind.DOSSIER: (12, 10),
}
CALENDAR_YEAR = 2025
CALENDAR_SET_ON = (1, 6)

#: (bloc number, year, task, (month, day) of the tighter date, (month, day) set on).
TIGHTENED = (3, 2026, DeadlineKind.SIGNING, (3, 20), (1, 22))


def _moment(year, month, day, hour=9):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=timezone.get_current_timezone())


def seed_calendar(context):
    """The board sets the province's four dates once; the trail is dated then."""
    province, board = context["province"], context["users"]["board"]
    if DeadlineChange.objects.filter(province=province, bloc_year__isnull=True).exists():
        return
    for kind, (month, day) in PROVINCE_CALENDAR.items():
        province_deadline_set(province=province, kind=kind, month=month, day=day, actor=board)
    DeadlineChange.objects.filter(province=province, bloc_year__isnull=True).update(
        at=_moment(CALENDAR_YEAR, *CALENDAR_SET_ON)
    )


def tighten_one_year(context):
    """Bloc 3's secretariat (the chair agency's leader) brings signing forward."""
    number, year, kind, (month, day), (set_month, set_day) = TIGHTENED
    bloc_year = BlocYear.objects.select_related("bloc").get(
        bloc__province=context["province"], bloc__number=number, year=year
    )
    if BlocYearDeadline.objects.filter(bloc_year=bloc_year, kind=kind).exists():
        return
    secretariat = next(
        u
        for u in context["users"].values()
        if u.agency_id == bloc_year.chair.pk and u.is_agency_leader
    )
    year_deadline_set(
        bloc_year=bloc_year,
        kind=kind,
        date=datetime.date(year, month, day),
        actor=secretariat,
    )
    DeadlineChange.objects.filter(bloc_year=bloc_year, kind=kind).update(
        at=_moment(year, set_month, set_day)
    )


def run_reminders_once(context):
    """Today's reminder run, unless the demo already has reminders (a rerun)."""
    if ReminderLog.objects.filter(bloc_year__bloc__province=context["province"]).exists():
        return
    sent = send_reminders(today=timezone.localdate())
    context["log"](f"  deadlines: {len(sent)} reminder(s) sent for today")


def wrap_up(context):
    """Run last: the reminders read every app's finished state (signatures,
    score sheets, conferences)."""
    seed_calendar(context)
    tighten_one_year(context)
    run_reminders_once(context)
    context["log"]("  deadlines: province calendar set, bloc 3's signing date brought forward")
