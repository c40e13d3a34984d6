"""The daily reminders: timing, escalation to the leader, idempotence, language."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from blocs.deadlines.reminders import send_reminders
from blocs.models import BlocYear, MemberRole, ReminderLog, ReminderStage
from blocs.stages import Stage
from members.models import AgencyRole
from tests.members.factories import AgencyStaffFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def signing_year(bloc_year):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SIGNING)
    bloc_year.refresh_from_db()
    return bloc_year


@pytest.fixture
def member(signing_year):
    return signing_year.memberships.filter(role=MemberRole.MEMBER).first().agency


@pytest.fixture
def people(member, secretariat_user):
    return {
        "officer": AgencyStaffFactory(agency=member, agency_role=AgencyRole.OFFICER),
        "leader": AgencyStaffFactory(
            agency=member, agency_role=AgencyRole.LEADER, preferred_language="en"
        ),
        "staff": AgencyStaffFactory(agency=member, agency_role=AgencyRole.STAFF),
        "secretariat": secretariat_user,
    }


def _run(today, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return send_reminders(today=today)


def _to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_seven_and_one_day_before_officers_and_leader_are_reminded(
    people, django_capture_on_commit_callbacks
):
    _run(D(2026, 4, 23), django_capture_on_commit_callbacks)
    assert _to(people["officer"].email)
    assert _to(people["leader"].email)
    assert not _to(people["staff"].email)
    # The secretariat is not mailed before the deadline about a member's task.
    assert not _to(people["secretariat"].email) or all(
        people["secretariat"].agency.name in m.body for m in _to(people["secretariat"].email)
    )
    mail.outbox.clear()
    _run(D(2026, 4, 25), django_capture_on_commit_callbacks)  # 5 days before: nothing
    assert mail.outbox == []
    _run(D(2026, 4, 29), django_capture_on_commit_callbacks)
    assert _to(people["officer"].email)


def test_after_the_deadline_the_leader_and_secretariat_are_mailed_not_the_officer(
    people, member, django_capture_on_commit_callbacks
):
    _run(D(2026, 5, 2), django_capture_on_commit_callbacks)
    assert _to(people["leader"].email)
    assert not _to(people["officer"].email)
    secretariat_mails = _to(people["secretariat"].email)
    assert len(secretariat_mails) == 1  # one mail listing every late member
    assert member.name in secretariat_mails[0].body
    assert ReminderLog.objects.filter(
        recipient=people["leader"], stage=ReminderStage.OVERDUE
    ).exists()


def test_running_twice_the_same_day_sends_nothing_twice(people, django_capture_on_commit_callbacks):
    first = _run(D(2026, 5, 2), django_capture_on_commit_callbacks)
    count, logs = len(mail.outbox), ReminderLog.objects.count()
    assert first
    assert count
    second = _run(D(2026, 5, 2), django_capture_on_commit_callbacks)
    assert second == []
    assert len(mail.outbox) == count
    assert ReminderLog.objects.count() == logs
    # The next day escalates again, once.
    _run(D(2026, 5, 3), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2 * count


def test_the_command_is_idempotent(people, django_capture_on_commit_callbacks):
    out = io.StringIO()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--today", "2026-05-02", stdout=out)
        if _ == 0:
            count = len(mail.outbox)
    assert count
    assert len(mail.outbox) == count
    assert "0 reminder(s)" in out.getvalue()


def test_each_person_reads_the_reminder_in_their_language(
    people, django_capture_on_commit_callbacks
):
    _run(D(2026, 4, 23), django_capture_on_commit_callbacks)
    english = _to(people["leader"].email)[0]
    vietnamese = _to(people["officer"].email)[0]
    assert "Reminder" in english.subject
    assert "The covenant is not signed yet." in english.body
    assert "Reminder" not in vietnamese.subject
    assert "The covenant is not signed yet." not in vietnamese.body


def test_nothing_is_sent_once_everything_is_done_or_the_year_is_closed(
    people, signing_year, django_capture_on_commit_callbacks
):
    BlocYear.objects.filter(pk=signing_year.pk).update(stage=Stage.CLOSED)
    _run(D(2026, 5, 2), django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_bloc_tasks_go_to_the_secretariat(
    bloc_year, secretariat_user, django_capture_on_commit_callbacks
):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CONFERENCE)
    _run(D(2026, 12, 3), django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[secretariat_user.email]]
