"""A closed bloc-year is read-only: every service that writes to a year
refuses it with a message that says the year is closed (in the reader's
language), and nothing anywhere changes — every row of every table,
history included, is compared before and after.

One closed year holds a row of each kind the services write (covenant,
signatures, attachment, scoring sheet, score sheets with evidence, mid-year
review, deadlines, delegation, conference, polls, proposals, achievement
report, handover). Two writes are allowed on purpose and tested as such: the
board's decisions on the proposals (the decree often arrives after the year
is closed, ``awards/board.py``) and opening the next year (the closing's own
effect, ``awards/next_year.py``), which write nothing of the closed year but
its conference trail.

Province-wide writes (agencies, people, the province's calendar and voting
defaults) are not the year's, and issuing a document of a closed year only
renders its unchanged records again (``members.documents.issue_pdf``).
"""

import datetime
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from awards import board, next_year
from awards.core import rules_for
from awards.models import AwardKind, AwardProposal, ConferenceEvent, Poll, PollKind, ReportStatus
from blocs.models import BlocYear, BlocYearDeadline, DeadlineKind, MemberRole, SecretariatDelegation
from blocs.stages import Stage
from covenants import sheet_services
from covenants.models import CovenantAttachment, Evidence, Period, ScoreSheet
from members.models import AgencyRole
from tests.awards.factories import hand_over
from tests.awards.factories_documents import confirm, documents_year, report_for
from tests.closed_year_writes import PDF, WRITES
from tests.covenants.factories_score import hold_mid_year, leader_of, officer_of
from tests.members.factories import AgencyFactory, AgencyStaffFactory, BoardUserFactory

#: "has ended": the words of every closed-year refusal in Vietnamese (the catalog's).
CLOSED = "đã kết thúc"


def _closed_world():
    bloc_year = documents_year(members=5)
    province = bloc_year.bloc.province
    memberships = {m.role: m for m in bloc_year.memberships.select_related("agency")}
    chair = memberships[MemberRole.CHAIR].agency
    vice = memberships[MemberRole.VICE_CHAIR].agency
    member = memberships[MemberRole.MEMBER]
    w = SimpleNamespace(bloc_year=bloc_year, chair=chair, vice=vice, member=member)
    w.secretariat = officer_of(chair)
    w.chair_leader = leader_of(chair)
    w.leader = leader_of(member.agency)
    w.board = BoardUserFactory(board_province=province)
    w.outsider = AgencyStaffFactory(
        agency=AgencyFactory(province=province), agency_role=AgencyRole.OFFICER
    )
    w.newcomer = AgencyFactory(province=province)
    hold_mid_year(bloc_year, by=w.secretariat)
    rules_for(bloc_year)
    w.covenant = bloc_year.covenant
    w.template = sheet_services.current_template(bloc_year)
    w.sheet = ScoreSheet.objects.get(
        bloc_year=bloc_year, agency=member.agency, period=Period.YEAR_END
    )
    w.line = w.sheet.lines.first()
    w.evidence = Evidence.objects.create(
        line=w.line,
        file="evidence/closed.pdf",
        original_name="closed.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=w.leader,
    )
    CovenantAttachment.objects.create(covenant=w.covenant, title="Quy chế", file="c/q.pdf")
    w.delegation = SecretariatDelegation.objects.create(
        bloc_year=bloc_year, user=w.outsider, granted_by=w.chair_leader
    )
    BlocYearDeadline.objects.create(
        bloc_year=bloc_year, kind=DeadlineKind.SIGNING, date=datetime.date(bloc_year.year, 3, 1)
    )
    confirm(bloc_year, by=w.secretariat)
    w.proposal = AwardProposal.objects.get(bloc_year=bloc_year, award=AwardKind.FLAG)
    w.report = report_for(w.proposal, status=ReportStatus.CHECKED)
    w.poll = Poll.objects.get(bloc_year=bloc_year, kind=PollKind.FLAG)
    hand_over(bloc_year, by=w.secretariat)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED)
    w.bloc_year = BlocYear.objects.select_related("bloc").get(pk=bloc_year.pk)
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module; each test's writes are rolled back after it."""
    with django_db_blocker.unblock():
        yield _closed_world()
        call_command("flush", interactive=False, verbosity=0)


def _dump() -> dict:
    """Every row of every table (history and many-to-many tables included)."""
    return {
        model._meta.label: sorted(
            model._base_manager.values_list(*[f.attname for f in model._meta.concrete_fields]),
            key=repr,
        )
        for model in apps.get_models(include_auto_created=True)
    }


def _refusal(write, world) -> str:
    with pytest.raises((ValidationError, PermissionDenied)) as refused:
        write(world)
    error = refused.value
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "write"), WRITES, ids=[name for name, _write in WRITES])
def test_a_closed_year_refuses_every_write_and_nothing_changes(world, name, write):
    before = _dump()
    with translation.override("vi"):
        message = _refusal(write, world)
    # Every closed-year refusal says, in Vietnamese, that the year "has ended".
    assert CLOSED in message, message
    after = _dump()
    assert [label for label in before if before[label] != after[label]] == []


@pytest.mark.django_db
def test_the_board_still_decides_on_a_closed_years_proposals(world):
    """The documented exception: the decree often comes after the closing."""
    decision = board.decision_record(
        proposal=world.proposal,
        actor=world.board,
        outcome="approved",
        number="123/QĐ-UBND",
        decided_on=timezone.localdate(),
    )
    assert decision.history.get().history_user == world.board


@pytest.mark.django_db
def test_opening_the_next_year_adds_rows_and_changes_none(world):
    """The closing's own effect may run again: it completes the next year and
    notes it on the closed year's trail, without changing any existing row."""
    before = _dump()
    following = next_year.next_year_open(bloc_year=world.bloc_year, actor=world.board)
    assert following.year == world.bloc_year.year + 1
    after = _dump()
    changed = [
        label
        for label, rows in before.items()
        if not {repr(row) for row in rows} <= {repr(row) for row in after[label]}
    ]
    assert changed == []
    event = ConferenceEvent.objects.get(bloc_year=world.bloc_year, action="next_year_opened")
    assert event.actor == world.board
