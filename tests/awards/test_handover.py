"""The rotating flag's handover and the next year: outgoing and incoming
chairs taken from the data, refused before the results are confirmed, and
the next bloc-year opened by the board's real ``close_year`` transition with
the elected officers, the members and draft copies of covenant and sheet."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from awards.models import (
    AchievementReport,
    AwardProposal,
    Conference,
    ConferenceEvent,
    FlagHandover,
    ReportStatus,
)
from awards.next_year import next_year_open
from awards.outcomes import handover_record, results_confirm
from blocs.models import BlocYear, MemberRole
from blocs.permissions import is_secretariat
from blocs.services import TRANSITION_SERVICES
from blocs.stages import Stage
from covenants.models import Covenant, CovenantStatus, ScoringTemplate, TemplateStatus
from tests.awards.factories import conference_year
from tests.awards.factories_polls import full_results
from tests.blocs.factories import BlocYearFactory
from tests.covenants.factories_score import leader_of, officer_of
from tests.members.factories import BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def _confirmed(members=5):
    """A year with its results confirmed; (year, secretariat, next chair, next vice)."""
    year = conference_year(members=members)
    _flag, _certified, next_chair, next_vice = full_results(year)
    secretariat = officer_of(year.chair)
    results_confirm(bloc_year=year, actor=secretariat, reasons={}, decisions={})
    return year, secretariat, next_chair, next_vice


def _board(year):
    return BoardUserFactory(board_province=year.bloc.province)


def _check_reports(year, by):
    for proposal in AwardProposal.objects.filter(bloc_year=year):
        AchievementReport.objects.create(
            proposal=proposal,
            status=ReportStatus.CHECKED,
            signed_file="achievements/signed.pdf",
            signed_name="signed.pdf",
            checked_at=timezone.now(),
            checked_by=by,
        )


def _today():
    return timezone.localdate()


# The handover --------------------------------------------------------------------------


def test_the_handover_is_refused_before_the_results_are_confirmed():
    year = conference_year(members=5)
    full_results(year)
    with pytest.raises(ValidationError, match="results are confirmed"):
        handover_record(bloc_year=year, actor=officer_of(year.chair), handed_on=_today())
    assert not FlagHandover.objects.exists()


def test_the_flag_passes_from_this_years_chair_to_the_elected_one():
    year, secretariat, next_chair, _vice = _confirmed()
    outgoing = year.chair

    handover = handover_record(
        bloc_year=year, actor=secretariat, handed_on=_today(), note="Tại hội nghị tổng kết"
    )

    assert (handover.outgoing, handover.incoming) == (outgoing, next_chair)
    assert handover.recorded_by == secretariat
    event = ConferenceEvent.objects.get(bloc_year=year, action="flag_handed_over")
    assert f"{outgoing.name} → {next_chair.name}" in event.note

    earlier = _today() - datetime.timedelta(days=1)
    board = _board(year)
    corrected = handover_record(bloc_year=year, actor=board, handed_on=earlier)
    assert corrected.pk == handover.pk
    assert corrected.handed_on == earlier
    assert corrected.recorded_by == board


def test_who_may_record_when_and_which_date():
    year, secretariat, _chair, _vice = _confirmed()
    member = leader_of(year.memberships.filter(role=MemberRole.MEMBER).first().agency)
    with pytest.raises(PermissionDenied):
        handover_record(bloc_year=year, actor=member, handed_on=_today())
    with pytest.raises(ValidationError) as error:
        handover_record(
            bloc_year=year, actor=secretariat, handed_on=_today() + datetime.timedelta(days=2)
        )
    assert "handed_on" in error.value.message_dict
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        handover_record(bloc_year=year, actor=secretariat, handed_on=_today())


def test_the_database_checks_the_flag_passes_to_another_agency():
    year, secretariat, _chair, _vice = _confirmed()
    Conference.objects.filter(bloc_year=year).update(next_chair=year.chair)
    with pytest.raises(ValidationError, match="passes to another agency"):
        handover_record(bloc_year=year, actor=secretariat, handed_on=_today())


# The next year -------------------------------------------------------------------------


def _close(year, secretariat):
    """Submit (reports checked), hand over, and let the board close the year."""
    _check_reports(year, secretariat)
    TRANSITION_SERVICES["submit_proposals"](bloc_year=year, actor=secretariat)
    handover_record(bloc_year=year, actor=secretariat, handed_on=_today())
    board = _board(year)
    TRANSITION_SERVICES["close_year"](bloc_year=year, actor=board)
    return board


def test_closing_the_year_opens_the_next_with_the_elected_officers_and_drafts():
    year, secretariat, next_chair, next_vice = _confirmed(members=6)
    members = set(year.memberships.filter(left_on__isnull=True).values_list("agency", flat=True))

    _close(year, secretariat)

    year.refresh_from_db()
    assert year.stage == Stage.CLOSED
    following = BlocYear.objects.get(bloc=year.bloc, year=year.year + 1)
    assert following.stage == Stage.SETUP
    roles = {m.agency_id: m.role for m in following.memberships.all()}
    assert set(roles) == members
    assert roles[next_chair.pk] == MemberRole.CHAIR
    assert roles[next_vice.pk] == MemberRole.VICE_CHAIR
    covenant = Covenant.objects.get(bloc_year=following)
    old_covenant = Covenant.objects.get(bloc_year=year)
    assert covenant.status == CovenantStatus.DRAFT
    assert [c.text for c in covenant.commitments.order_by("order")] == [
        c.text for c in old_covenant.commitments.order_by("order")
    ]
    template = ScoringTemplate.objects.get(bloc_year=following)
    assert template.status == TemplateStatus.DRAFT
    # The secretariat role moved with the chair.
    assert is_secretariat(officer_of(next_chair), following)
    assert not is_secretariat(secretariat, following)
    assert ConferenceEvent.objects.filter(bloc_year=year, action="next_year_opened").exists()


def test_a_next_year_still_in_set_up_is_completed():
    year, secretariat, next_chair, next_vice = _confirmed()
    following = BlocYearFactory(bloc=year.bloc, year=year.year + 1)

    _close(year, secretariat)

    roles = {m.agency_id: m.role for m in following.memberships.all()}
    assert roles == {next_chair.pk: MemberRole.CHAIR, next_vice.pk: MemberRole.VICE_CHAIR}
    assert Covenant.objects.filter(bloc_year=following).exists()


def test_a_next_year_already_under_way_is_left_as_it_is():
    year, secretariat, _chair, _vice = _confirmed()
    following = BlocYearFactory(bloc=year.bloc, year=year.year + 1, stage=Stage.SIGNING)

    _close(year, secretariat)

    year.refresh_from_db()
    assert year.stage == Stage.CLOSED
    assert not following.memberships.exists()
    assert not Covenant.objects.filter(bloc_year=following).exists()


def test_only_the_board_opens_the_next_year_after_submission():
    year, secretariat, _chair, _vice = _confirmed()
    with pytest.raises(PermissionDenied):
        next_year_open(bloc_year=year, actor=secretariat)
    with pytest.raises(ValidationError, match="once the proposals are submitted"):
        next_year_open(bloc_year=year, actor=_board(year))
    assert not BlocYear.objects.filter(bloc=year.bloc, year=year.year + 1).exists()


# The page ------------------------------------------------------------------------------


def _url(year):
    return reverse("awards:handover", args=[year.bloc_id, year.year])


def test_the_page_waits_for_the_results(client):
    year = conference_year(members=5)
    full_results(year)
    client.force_login(officer_of(year.chair))
    html = client.get(_url(year)).content.decode()
    assert (
        vi(
            "The handover is recorded once the conference results are confirmed and next year's "
            "chair is known."
        )
        in html
    )
    assert 'name="handed_on"' not in html
    assert client.post(_url(year), {"handed_on": _today().isoformat()}).status_code == 403


def test_the_page_records_the_handover_then_points_to_the_board_and_next_year(client):
    year, secretariat, next_chair, _vice = _confirmed()
    client.force_login(secretariat)
    html = client.get(_url(year)).content.decode()
    assert next_chair.name in html
    assert year.chair.name in html

    response = client.post(_url(year), {"handed_on": "", "note": "Tại hội nghị"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert 'value="Tại hội nghị"' in response.content.decode() or "Tại hội nghị" in (
        response.content.decode()
    )

    response = client.post(
        _url(year), {"handed_on": _today().isoformat(), "note": "Tại hội nghị"}, follow=True
    )
    html = response.content.decode()
    assert FlagHandover.objects.get(bloc_year=year).incoming == next_chair
    assert vi("The handover of the rotating flag is recorded.") in html
    assert 'id="board-closes"' in html

    _check_reports(year, secretariat)
    TRANSITION_SERVICES["submit_proposals"](bloc_year=year, actor=secretariat)
    TRANSITION_SERVICES["close_year"](bloc_year=year, actor=_board(year))
    html = client.get(_url(year)).content.decode()
    following = BlocYear.objects.get(bloc=year.bloc, year=year.year + 1)
    assert vi("The board has closed the year: its records are read-only.") in html
    assert following.get_absolute_url() in html
    assert 'name="handed_on"' not in html
