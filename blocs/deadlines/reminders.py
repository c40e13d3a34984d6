"""The daily reminder run: mail who is still due before a deadline, escalate
after it.

``REMINDER_DAYS_BEFORE`` days before the deadline (default 7 and 1) the
agency's emulation officers and leader are reminded of its own pending
items, or the secretariat for the bloc's own tasks. Once the deadline has
passed, the agency leader and the secretariat are mailed every day while
something is still due (the chair agency's leader for the bloc's tasks).
A ``ReminderLog`` row per person, task, agency, stage and day — unique in the
database — is written before a mail goes out, so a second run on the same
day sends nothing again.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from members.emails import send_to_person
from members.models import AgencyRole, User

from ..models import MemberRole, ReminderLog, ReminderStage, SecretariatDelegation
from .selectors import deadlines_for, open_years

logger = logging.getLogger(__name__)

DEFAULT_DAYS_BEFORE = (7, 1)


def days_before() -> tuple[int, ...]:
    return tuple(getattr(settings, "REMINDER_DAYS_BEFORE", DEFAULT_DAYS_BEFORE))


def reminder_stage(days_left: int) -> str | None:
    """BEFORE on the configured days, OVERDUE every day after, else nothing."""
    if days_left < 0:
        return ReminderStage.OVERDUE
    if days_left in days_before():
        return ReminderStage.BEFORE
    return None


@dataclass
class Mail:
    """One person's reminder about one task of one bloc-year."""

    recipient: User
    deadline: object  # selectors.YearDeadline
    stage: str
    #: agency (or None) -> its pending messages
    items: dict = field(default_factory=dict)


def _people(bloc_year):
    """The year's chair agency staff by role, and the active delegates."""
    chair_id = next(
        (m.agency_id for m in bloc_year.memberships.all() if m.role == MemberRole.CHAIR), None
    )
    delegates = [
        d.user
        for d in SecretariatDelegation.objects.filter(
            bloc_year=bloc_year, revoked_at__isnull=True
        ).select_related("user")
    ]
    return chair_id, delegates


def _users(agency_id, roles):
    if agency_id is None:
        return []
    return list(
        User.objects.filter(agency_id=agency_id, agency_role__in=roles, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def _secretariat(bloc_year, *, with_leader: bool):
    chair_id, delegates = _people(bloc_year)
    roles = [AgencyRole.OFFICER, AgencyRole.LEADER] if with_leader else [AgencyRole.OFFICER]
    people = {u.pk: u for u in _users(chair_id, roles)}
    people.update({u.pk: u for u in delegates if u.is_active and u.email})
    return list(people.values())


def plan(*, today) -> list[Mail]:
    """Every mail due today, before checking what was already sent."""
    years = list(open_years().prefetch_related("memberships"))
    mails: dict[tuple, Mail] = {}
    for deadlines in deadlines_for(years, today=today).values():
        for deadline in deadlines:
            stage = reminder_stage(deadline.days_left)
            if stage is None or not deadline.pending:
                continue
            by_agency = defaultdict(list)
            for agency, message in deadline.pending:
                by_agency[agency].append(message)
            overdue = stage == ReminderStage.OVERDUE
            secretariat = _secretariat(deadline.bloc_year, with_leader=overdue)
            for agency, messages in by_agency.items():
                if agency is None:
                    recipients = secretariat
                elif overdue:
                    recipients = _users(agency.pk, [AgencyRole.LEADER]) + secretariat
                else:
                    recipients = _users(agency.pk, [AgencyRole.OFFICER, AgencyRole.LEADER])
                for user in recipients:
                    key = (user.pk, deadline.bloc_year.pk, deadline.kind, stage)
                    mail = mails.setdefault(key, Mail(user, deadline, stage))
                    mail.items[agency] = messages
    return list(mails.values())


def send_reminders(*, today) -> list[Mail]:
    """Log and send today's reminders; those already logged today are skipped."""
    sent = []
    for mail in plan(today=today):
        deadline = mail.deadline
        with transaction.atomic():
            fresh = {}
            for agency, messages in mail.items.items():
                _log, created = ReminderLog.objects.get_or_create(
                    bloc_year=deadline.bloc_year,
                    kind=deadline.kind,
                    agency=agency,
                    recipient=mail.recipient,
                    stage=mail.stage,
                    sent_on=today,
                    defaults={"deadline": deadline.date},
                )
                if created:
                    fresh[agency] = messages
            if fresh:
                mail.items = fresh
                transaction.on_commit(lambda mail=mail: _send(mail))
                sent.append(mail)
    return sent


def _send(mail: Mail) -> None:
    deadline = mail.deadline
    bloc_year = deadline.bloc_year
    url = getattr(settings, "SITE_URL", "").rstrip("/") + reverse(
        "blocs:year_deadlines", kwargs={"pk": bloc_year.bloc_id, "year": bloc_year.year}
    )
    try:
        send_to_person(
            mail.recipient,
            subject_template="blocs/emails/reminder_subject.txt",
            body_template="blocs/emails/reminder_body.txt",
            context={
                "bloc_year": bloc_year,
                "deadline": deadline,
                "kind_label": deadline.label,
                "overdue": mail.stage == ReminderStage.OVERDUE,
                "items": [(agency, msgs) for agency, msgs in mail.items.items()],
                "url": url,
            },
        )
    except OSError:
        # The log row stays: a mail-server outage must not turn into a flood
        # of duplicates tomorrow; the in-app notices still show the task.
        logger.exception("Could not send a reminder to %s", mail.recipient.email)
