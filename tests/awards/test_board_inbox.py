"""The board's proposals inbox and decision page: the province's board only,
every submitted proposal grouped by award with votes and scores, the
province totals, the decision recorded from the page (errors next to their
field, nothing typed lost), and the decision shown on the bloc's page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards.board import decision_record
from awards.models import AwardKind, AwardProposal, DecisionOutcome, ProposalDecision
from blocs.models import MemberRole
from blocs.stages import Stage
from tests.awards.factories import conference_year
from tests.awards.test_board_decisions import submitted_year
from tests.blocs.factories import BlocFactory
from tests.covenants.factories_score import leader_of, officer_of
from tests.members.factories import BoardUserFactory
from tests.utils import cold, vi

pytestmark = pytest.mark.django_db


def _inbox(year):
    return reverse("awards:board_inbox", args=[year.bloc.province.code, year.year])


def _decide(proposal):
    year = proposal.bloc_year
    return reverse("awards:board_decide", args=[year.bloc.province.code, year.year, proposal.pk])


def _flag(year):
    return AwardProposal.objects.get(bloc_year=year, award=AwardKind.FLAG)


def _certificate(year):
    return AwardProposal.objects.get(bloc_year=year, award=AwardKind.CERTIFICATE)


def test_only_the_board_of_the_province_opens_the_inbox_and_the_decision_page(client):
    year = submitted_year()
    board = BoardUserFactory(board_province=year.bloc.province)
    for user, status in (
        (board, 200),
        (BoardUserFactory(), 403),
        (officer_of(year.chair), 403),
        (leader_of(_flag(year).agency), 403),
    ):
        client.force_login(user)
        assert client.get(_inbox(year)).status_code == status
        assert client.get(_decide(_flag(year))).status_code == status
    client.force_login(BoardUserFactory())
    response = client.post(
        _decide(_flag(year)), {"outcome": "approved", "number": "1/QĐ", "decided_on": "2026-01-05"}
    )
    assert response.status_code == 403
    assert not ProposalDecision.objects.exists()


def test_the_inbox_groups_by_award_with_votes_scores_and_the_totals(client):
    first = submitted_year()
    province = first.bloc.province
    second = submitted_year(bloc=BlocFactory(province=province), year=first.year)
    waiting = conference_year(bloc=BlocFactory(province=province), year=first.year)
    board = BoardUserFactory(board_province=province)
    decision_record(
        proposal=_flag(first),
        actor=board,
        outcome=DecisionOutcome.APPROVED,
        number="15/QĐ-UBND",
        decided_on=timezone.localdate(),
    )
    decision_record(
        proposal=_certificate(second),
        actor=board,
        outcome=DecisionOutcome.NOT_APPROVED,
        reason="Hồ sơ thiếu",
        decided_on=timezone.localdate(),
    )
    client.force_login(board)

    html = client.get(_inbox(first)).content.decode()

    flags = html.split('id="inbox-flag"')[1].split("</table>")[0]
    certificates = html.split('id="inbox-certificate"')[1].split("</table>")[0]
    assert _flag(first).agency.name in flags
    assert _flag(second).agency.name in flags
    assert _certificate(first).agency.name in certificates
    assert "4/5" in certificates
    assert "15/QĐ-UBND" in flags
    assert "Hồ sơ thiếu" in certificates
    assert vi("Not decided yet") in flags
    by_award = html.split('id="totals-award"')[1].split("</table>")[0]
    flag_row = by_award.split('data-award="flag"')[1].split("</tr>")[0]
    cells = [c.split(">")[1] for c in flag_row.split("<td")[1:]]
    assert cells[:4] == ["2</td", "1</td", "0</td", "1</td"]  # proposed, approved, refused, open
    by_bloc = html.split('id="totals-bloc"')[1].split("</table>")[0]
    first_row = by_bloc.split(f'data-bloc="{first.bloc_id}"')[1].split("</tr>")[0]
    assert "1/1" in first_row
    assert "0/1" in first_row
    assert waiting.bloc.name in html.split('id="waiting"')[1].split("</div>")[0]
    assert waiting.memberships.get(role=MemberRole.CHAIR).agency.name not in flags
    assert reverse("awards:board_inbox", args=[province.code, first.year]) in html


def test_the_board_decides_from_the_page_and_errors_come_back_next_to_the_field(client):
    year = submitted_year()
    client.force_login(BoardUserFactory(board_province=year.bloc.province))
    today = timezone.localdate().isoformat()

    response = client.post(
        _decide(_flag(year)),
        {"outcome": "not_approved", "number": "9/QĐ", "decided_on": today, "reason": ""},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["reason"] == [vi("Give the reason why the proposal is not approved.")]
    assert form["number"].value() == "9/QĐ"  # nothing typed is lost
    assert not ProposalDecision.objects.exists()

    response = client.post(
        _decide(_flag(year)),
        {"outcome": "approved", "number": "1234/QĐ-UBND", "decided_on": today, "reason": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == _inbox(year)
    assert ProposalDecision.objects.get().number == "1234/QĐ-UBND"
    page = client.get(_decide(_flag(year))).content.decode()
    assert vi("Change the decision") in page


def test_before_submission_the_page_says_why_no_decision_is_possible(client):
    year = submitted_year(stage=Stage.CONFERENCE)
    client.force_login(BoardUserFactory(board_province=year.bloc.province))

    page = client.get(_decide(_flag(year))).content.decode()
    response = client.post(
        _decide(_flag(year)),
        {"outcome": "approved", "number": "1/QĐ", "decided_on": timezone.localdate().isoformat()},
    )

    assert 'id="cannot-decide"' in page
    assert response.status_code == 200
    assert not ProposalDecision.objects.exists()


def test_the_bloc_and_its_members_see_the_decision_on_the_proposals_page(client):
    year = submitted_year()
    decision_record(
        proposal=_flag(year),
        actor=BoardUserFactory(board_province=year.bloc.province),
        outcome=DecisionOutcome.APPROVED,
        number="77/QĐ-UBND",
        decided_on=timezone.localdate(),
    )
    member = leader_of(year.memberships.filter(role=MemberRole.MEMBER).last().agency)
    client.force_login(member)
    url = reverse("awards:proposals", args=[year.bloc_id, year.year])

    html = client.get(url).content.decode()

    assert "77/QĐ-UBND" in html
    assert vi("Approved") in html
    assert vi("Not decided yet") in html  # the certificate
    assert 'href="' + _decide(_flag(year)) not in html  # read-only there

    cold()
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for member in year.memberships.filter(role=MemberRole.MEMBER).order_by("pk")[2:]:
        AwardProposal.objects.create(bloc_year=year, agency=member.agency, award="certificate")
    cold()
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)  # the decisions come with the proposals


def test_the_province_dashboard_links_the_inbox(client):
    year = submitted_year()
    client.force_login(BoardUserFactory(board_province=year.bloc.province))

    html = client.get(year.bloc.province.get_absolute_url()).content.decode()

    assert _inbox(year) in html
