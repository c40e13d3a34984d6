import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from blocs.models import (
    Bloc,
    BlocYear,
    BlocYearDeadline,
    DeadlineChange,
    DeadlineKind,
    MemberRole,
    ReminderLog,
    ReminderStage,
    StageChange,
)
from blocs.permissions import is_secretariat
from blocs.stages import Stage
from covenants.models import (
    Evidence,
    MidYearReview,
    Period,
    RankingPublication,
    ScoreEvent,
    ScoreSheet,
    SheetStatus,
)
from members import audit
from members.models import Agency, User
from tests.utils import log_in, vi

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _snapshot():
    return (
        Agency.objects.count(),
        User.objects.count(),
        BlocYear.objects.count(),
        StageChange.objects.count(),
        sorted(BlocYear.objects.values_list("year", "stage")),
        ScoreSheet.objects.count(),
        ScoreEvent.objects.count(),
        Evidence.objects.count(),
        DeadlineChange.objects.count(),
        ReminderLog.objects.count(),
        # Running it again writes no version either.
        sum(audit.historical_model(model).objects.count() for model in audit.audited_models()),
    )


def test_seed_demo_is_idempotent_and_shows_every_stage_kind():
    first = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == first

    stages = {stage for _year, stage in first[4]}
    assert {Stage.CLOSED, Stage.CONFERENCE, Stage.SCORING, Stage.SIGNING, Stage.SETUP} <= stages
    for bloc in Bloc.objects.all():
        sizes = [by.memberships.count() for by in bloc.years.all()]
        assert all(7 <= size <= 12 for size in sizes), sizes


def test_demo_accounts_log_in_and_have_their_roles(client):
    for username in ("admin", "board", "secretariat", "leader"):
        assert log_in(client, username=username, password="thidua-demo"), username

    current = BlocYear.objects.get(bloc__number=6, year=2026)
    secretariat = User.objects.get(username="secretariat")
    assert is_secretariat(secretariat, current)
    assert User.objects.get(username="board").board_province is not None
    leader = User.objects.get(username="leader")
    assert leader.is_agency_leader
    assert current.memberships.filter(agency=leader.agency, role=MemberRole.MEMBER).exists()
    # one leader account per agency
    assert set(Agency.objects.values_list("pk", flat=True)) == set(
        User.objects.filter(agency_role="leader").values_list("agency", flat=True)
    )


def test_past_years_keep_the_merged_agencies_names():
    year_2024 = BlocYear.objects.get(bloc__number=6, year=2024)
    names = set(year_2024.memberships.values_list("agency__name", flat=True))
    assert "Sở Lao động – Thương binh và Xã hội" in names
    old = Agency.objects.get(name="Sở Lao động – Thương binh và Xã hội")
    assert not old.is_active
    assert old.successor.name == "Sở Nội vụ"


def test_the_demo_has_an_applied_example_import_and_a_delegation():
    from blocs.models import SecretariatDelegation
    from members.models import ImportBatch

    batch = ImportBatch.objects.get(file_name="vi-du-co-quan-can-bo.xlsx")
    assert batch.status == "applied"
    assert batch.summary["create"] == 6
    invited = User.objects.get(email="hong.mt@demo.example")
    assert not invited.has_usable_password()
    assert SecretariatDelegation.objects.filter(user=invited, revoked_at__isnull=True).exists()


def test_past_years_are_scored_and_ranked_with_their_documents(client):
    past = BlocYear.objects.get(bloc__number=6, year=2025)
    sheets = ScoreSheet.objects.filter(bloc_year=past, period=Period.YEAR_END)
    assert sheets.exists()
    assert set(sheets.values_list("status", flat=True)) == {SheetStatus.FINAL}
    assert sheets.exclude(reviewer_agency=None).count() == sheets.count()  # cross review
    assert ScoreEvent.objects.filter(sheet__bloc_year=past, field="final").exclude(note="").exists()
    assert RankingPublication.objects.filter(bloc_year=past, period=Period.YEAR_END).exists()
    assert MidYearReview.objects.get(bloc_year=past).is_held

    assert log_in(client, username="leader", password="thidua-demo")
    base = f"/blocs/{past.bloc_id}/{past.year}"
    for url in (f"{base}/scores/year_end/ranking/pdf/", f"{base}/mid-year/pdf/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"


def test_a_current_year_is_being_scored():
    current = BlocYear.objects.get(bloc__number=2, year=2026)
    assert current.stage == Stage.SCORING
    sheets = ScoreSheet.objects.filter(bloc_year=current, period=Period.YEAR_END)
    statuses = set(sheets.values_list("status", flat=True))
    assert statuses == {SheetStatus.DRAFT, SheetStatus.SUBMITTED, SheetStatus.FINAL}
    # Lines fed by the initiatives register are filled on every sheet; the
    # member's own work shows in the explanations.
    drafts = sheets.filter(status=SheetStatus.DRAFT)
    half_done = [s for s in drafts if s.lines.exclude(explanation="").exists()]
    assert len(half_done) == 1
    assert drafts.count() == 2
    assert half_done[0].lines.filter(self_value=None).exists()
    assert Evidence.objects.filter(line__sheet=half_done[0]).exists()
    assert sheets.filter(review_submitted_at__isnull=False, status=SheetStatus.SUBMITTED).exists()
    assert not RankingPublication.objects.filter(bloc_year=current).exists()


def test_past_conferences_are_complete_with_their_documents(client):
    from awards.models import AwardKind, AwardProposal, FlagHandover, Poll, ReportStatus

    past = BlocYear.objects.get(bloc__number=6, year=2025)
    proposals = AwardProposal.objects.filter(bloc_year=past)
    assert proposals.filter(award=AwardKind.FLAG).count() == 1
    assert proposals.filter(award=AwardKind.CERTIFICATE).exists()
    assert all(p.achievement_report.status == ReportStatus.CHECKED for p in proposals)
    assert set(Poll.objects.filter(bloc_year=past).values_list("status", flat=True)) == {"closed"}
    decisions = {p.decision.outcome for p in proposals.select_related("decision")}
    assert decisions == {"approved", "not_approved"}
    handover = FlagHandover.objects.get(bloc_year=past)
    following = BlocYear.objects.get(bloc=past.bloc, year=2026)
    assert handover.incoming == following.chair

    assert log_in(client, username="leader", password="thidua-demo")
    base = f"/blocs/{past.bloc_id}/{past.year}"
    for url in (
        f"{base}/conference/minutes.pdf",
        f"{base}/conference/counting-minutes.pdf",
        f"{base}/proposals/submission.pdf",
        f"{base}/conference/summary-report.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"


def test_the_current_conference_is_voting_and_the_leader_has_a_ballot():
    from awards.models import BallotParticipation, Poll, PollKind

    current = BlocYear.objects.get(bloc__number=6, year=2026)
    assert current.stage == Stage.CONFERENCE
    polls = {p.kind: p for p in Poll.objects.filter(bloc_year=current)}
    assert polls[PollKind.FLAG].is_closed
    assert polls[PollKind.CERTIFICATE].is_open
    leader = User.objects.get(username="leader")
    assert not BallotParticipation.objects.filter(
        poll=polls[PollKind.CERTIFICATE], agency=leader.agency
    ).exists()
    assert BallotParticipation.objects.filter(poll=polls[PollKind.CERTIFICATE]).exists()


def test_a_covenant_is_being_signed():
    from covenants.models import Signature

    signing = BlocYear.objects.get(bloc__number=3, year=2026)
    assert signing.stage == Stage.SIGNING
    signed = Signature.objects.filter(covenant__bloc_year=signing, voided_at=None).count()
    assert 0 < signed < signing.memberships.count()


def _notices(response) -> str:
    """The deadline notices' card of a page."""
    page = response.content.decode()
    start = page.index('id="deadline-notices"')
    return page[start : page.index("</section>", start)]


def test_the_province_calendar_and_a_tightened_date_have_their_trail():
    board = User.objects.get(username="board")
    calendar = DeadlineChange.objects.filter(bloc_year=None)
    assert {(c.kind, c.after) for c in calendar} == {
        (DeadlineKind.SIGNING, "31/03"),
        (DeadlineKind.MID_YEAR, "31/07"),
        (DeadlineKind.SELF_SCORING, "30/11"),
        (DeadlineKind.DOSSIER, "10/12"),
    }
    assert {c.actor for c in calendar} == {board}
    signing = BlocYear.objects.get(bloc__number=3, year=2026)
    own = BlocYearDeadline.objects.get()
    assert (own.bloc_year, own.kind, own.date) == (
        signing,
        DeadlineKind.SIGNING,
        datetime.date(2026, 3, 20),
    )
    change = DeadlineChange.objects.get(bloc_year=signing)
    assert is_secretariat(change.actor, signing)
    assert change.after == "2026-03-20"


def test_the_board_sees_the_late_bloc_and_its_escalation_is_logged(client):
    from covenants.models import Covenant
    from covenants.services import unsigned_agencies

    signing = BlocYear.objects.select_related("bloc__province").get(bloc__number=3, year=2026)
    unsigned = set(unsigned_agencies(Covenant.objects.get(bloc_year=signing)))
    assert len(unsigned) == 3

    assert log_in(client, username="board", password="thidua-demo")
    late = _notices(client.get(signing.bloc.province.get_absolute_url()))
    assert str(signing) in late
    assert f"{vi('Covenant signing')} (20/03/2026" in late
    assert vi("still due: %(counter)s") % {"counter": 3} in late

    escalations = ReminderLog.objects.filter(
        bloc_year=signing, kind=DeadlineKind.SIGNING, stage=ReminderStage.OVERDUE
    ).select_related("recipient")
    assert {log.agency for log in escalations} == unsigned
    leaders = {log.recipient for log in escalations if log.recipient.agency_id == log.agency_id}
    assert {u.agency for u in leaders} == unsigned
    assert all(u.is_agency_leader for u in leaders)
    # The bloc's secretariat hears about every one of them.
    chair_leader = User.objects.get(agency=signing.chair, agency_role="leader")
    assert {log.agency for log in escalations if log.recipient == chair_leader} == unsigned


def test_the_secretariat_sees_its_dossier_deadline_ahead(client):
    from blocs.deadlines.selectors import year_deadlines

    current = BlocYear.objects.get(bloc__number=6, year=2026)
    dossier = next(d for d in year_deadlines(current) if d.kind == DeadlineKind.DOSSIER)
    assert dossier.date == datetime.date(2026, 12, 10)
    assert not dossier.is_tightened

    assert log_in(client, username="secretariat", password="thidua-demo")
    notices = _notices(client.get(current.get_absolute_url()))
    assert f"{vi('Year-end dossier to the province')}</span>:" in notices
    assert "10/12/2026" in notices
    assert vi("The proposals and dossier have not been submitted to the province yet.") in notices
    # Late November in the demo's world: days left; the page counts from the real today.
    days = dossier.days_left
    if days > 0:
        badge = vi("%(days)s day(s) left") % {"days": days}
    elif days == 0:
        badge = vi("due today")
    else:
        badge = vi("overdue by %(days)s day(s)") % {"days": -days}
    assert badge in notices


def test_running_the_reminders_again_the_same_day_sends_nothing(mailoutbox):
    logs = ReminderLog.objects.count()
    assert logs
    [day] = set(ReminderLog.objects.values_list("sent_on", flat=True))
    out = StringIO()
    call_command("send_reminders", today=day.isoformat(), stdout=out)
    assert out.getvalue().startswith("0 reminder(s) sent")
    assert ReminderLog.objects.count() == logs
    assert mailoutbox == []
