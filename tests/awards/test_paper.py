"""Paper polls: the counting committee's counts are checked (each rule
named next to its field, nothing saved on error), then the poll closes with
the tally; the printable ballots are real PDFs read back with pypdf, the
Vietnamese names exact and the sheets numbered 1..n."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from awards.ballots import ballots_pdf
from awards.models import ConferenceEvent, Poll, PollCandidate, PollKind, PollMode, PollStatus
from awards.paper import paper_count_enter
from awards.voting import poll_create
from blocs.models import MemberRole
from members.models import Agency
from tests.awards.voting_factories import open_poll, register, voting_year
from tests.utils import vi

pytestmark = pytest.mark.django_db

NAMES = [
    "Sở Văn hóa, Thể thao và Du lịch",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Sở Giáo dục và Đào tạo",
    "Trường Cao đẳng Cộng đồng",
    "Bảo tàng tỉnh",
]


@pytest.fixture
def paper_year():
    bloc_year, secretariat, leaders = voting_year(members=5)
    for membership, name in zip(
        bloc_year.memberships.order_by("pk").select_related("agency"), NAMES, strict=True
    ):
        Agency.objects.filter(pk=membership.agency_id).update(name=name)
    absent = bloc_year.memberships.order_by("pk").last().agency_id
    register(bloc_year, secretariat, absent=[absent])
    return bloc_year, secretariat, leaders


@pytest.fixture
def paper_poll(paper_year):
    bloc_year, secretariat, _leaders = paper_year
    return open_poll(bloc_year, secretariat, mode=PollMode.PAPER)


def _candidates(poll):
    return list(PollCandidate.objects.filter(poll=poll).order_by("rank"))


def _enter(poll, actor, *, issued=4, returned=4, invalid=0, spoiled=0, votes=None):
    return paper_count_enter(
        poll=poll,
        actor=actor,
        issued=issued,
        returned=returned,
        invalid=invalid,
        spoiled=spoiled,
        votes=votes or {},
    )


def _refused(poll, actor, **counts) -> dict:
    with pytest.raises(ValidationError) as error:
        _enter(poll, actor, **counts)
    poll.refresh_from_db()
    assert poll.status == PollStatus.OPEN
    assert (poll.ballots_issued, poll.ballots_returned, poll.ballots_invalid) == (0, 0, 0)
    assert not PollCandidate.objects.filter(poll=poll, votes__gt=0).exists()
    return error.value.message_dict


def test_counts_are_accepted_and_close_the_poll(paper_year, paper_poll):
    _bloc_year, secretariat, _leaders = paper_year
    first, second = _candidates(paper_poll)[:2]
    poll = _enter(
        paper_poll,
        secretariat,
        issued=4,
        returned=4,
        invalid=1,
        votes={first.agency_id: 2, second.agency_id: 1},
    )
    poll.refresh_from_db()
    assert poll.status == PollStatus.CLOSED
    assert (poll.ballots_issued, poll.ballots_returned, poll.ballots_valid) == (4, 4, 3)
    # More than half of all 5 members: 3 votes; nobody has them, a further round follows.
    assert poll.outcome["elected"] == []
    assert poll.outcome["results"][0]["votes"] == 2
    assert PollCandidate.objects.get(pk=first.pk).votes == 2
    actions = set(ConferenceEvent.objects.values_list("action", flat=True))
    assert {"paper_count_entered", "poll_closed"} <= actions


def test_issued_must_equal_returned_plus_spoiled(paper_year, paper_poll):
    errors = _refused(paper_poll, paper_year[1], issued=5, returned=4)
    assert errors == {
        "issued": ["Ballots issued (5) must equal ballots returned (4) plus spoiled ballots (0)."]
    }
    # One ballot spoiled and replaced: 5 issued = 4 returned + 1 spoiled.
    poll = _enter(paper_poll, paper_year[1], issued=5, returned=4, spoiled=1)
    assert (poll.ballots_issued, poll.ballots_returned, poll.ballots_spoiled) == (5, 4, 1)


def test_more_ballots_returned_than_members_present_is_refused(paper_year, paper_poll):
    """Valid ballots can never outnumber the members present."""
    errors = _refused(paper_poll, paper_year[1], issued=5, returned=5)
    assert errors == {
        "returned": ["More ballots returned than members present (4): one ballot per member."]
    }


def test_more_invalid_than_returned_is_refused(paper_year, paper_poll):
    errors = _refused(paper_poll, paper_year[1], issued=4, returned=2, invalid=3, spoiled=2)
    assert errors == {"invalid": ["More invalid ballots than ballots returned (2)."]}


def test_a_candidate_with_more_votes_than_valid_ballots_is_refused(paper_year, paper_poll):
    first = _candidates(paper_poll)[0]
    errors = _refused(
        paper_poll, paper_year[1], issued=4, returned=4, invalid=1, votes={first.agency_id: 4}
    )
    assert errors == {f"votes_{first.agency_id}": ["More votes than valid ballots (3)."]}


def test_more_approvals_than_valid_ballots_times_places_are_refused(paper_year, paper_poll):
    first, second = _candidates(paper_poll)[:2]
    errors = _refused(
        paper_poll,
        paper_year[1],
        issued=4,
        returned=4,
        votes={first.agency_id: 3, second.agency_id: 2},
    )
    assert errors == {
        "__all__": [
            "5 votes in all on 4 valid ballots for 1 place(s): a valid ballot approves at most "
            "one candidate per place, so at most 4."
        ]
    }


def test_counts_must_be_whole_numbers_for_candidates_only(paper_year, paper_poll):
    first = _candidates(paper_poll)[0]
    absent = paper_year[0].memberships.order_by("pk").last().agency_id
    errors = _refused(
        paper_poll,
        paper_year[1],
        issued=-1,
        returned="x",
        votes={first.agency_id: 1.5, absent * 1000: 1},
    )
    assert errors["issued"] == ["Enter a whole number, 0 or more."]
    assert errors["returned"] == ["Enter a whole number, 0 or more."]
    assert errors[f"votes_{first.agency_id}"] == ["Enter a whole number, 0 or more."]
    assert errors["__all__"] == ["Votes were entered for a unit that is not a candidate."]


def test_only_the_secretariat_enters_counts_of_an_open_paper_poll(paper_year, paper_poll):
    bloc_year, secretariat, leaders = paper_year
    member = leaders[bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency_id]
    with pytest.raises(PermissionDenied):
        _enter(paper_poll, member)
    _enter(paper_poll, secretariat)
    with pytest.raises(ValidationError, match="open paper poll"):
        _enter(Poll.objects.get(pk=paper_poll.pk), secretariat)


def test_an_electronic_poll_takes_no_paper_counts(paper_year):
    bloc_year, secretariat, _leaders = paper_year
    poll = open_poll(bloc_year, secretariat)
    with pytest.raises(ValidationError, match="electronic"):
        _enter(poll, secretariat)


# The printable ballots ---------------------------------------------------------------


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(BytesIO(pdf))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    return len(pages), pages


def test_the_ballots_pdf_has_a_numbered_ballot_per_member_present(paper_poll):
    poll = Poll.objects.select_related("bloc_year__bloc__province").get(pk=paper_poll.pk)
    count, pages = _text(ballots_pdf(poll, count=poll.present))
    assert count == 4
    for number, page in enumerate(pages, start=1):
        assert f"Phiếu số: {number}/4" in page
        assert "PHIẾU BẦU" in page
        assert "Suy tôn đơn vị đề nghị tặng Cờ thi đua của UBND tỉnh năm 2026" in page
        assert "Vòng 1" in page
        assert "chọn tối đa 1 đơn vị" in page
        for name in NAMES:
            assert name in page


def test_the_ballots_page_serves_the_secretariat_a_pdf(client, paper_year, paper_poll):
    bloc_year, secretariat, leaders = paper_year
    url = reverse("awards:ballots_pdf", args=[bloc_year.bloc_id, bloc_year.year, paper_poll.pk])
    client.force_login(leaders[bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency_id])
    assert client.get(url).status_code == 403
    client.force_login(secretariat)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Phi%E1%BA%BFu%20b%E1%BA%A7u" in response["Content-Disposition"]
    count, _pages = _text(response.content)
    assert count == 4


def test_a_draft_paper_poll_prints_ballots_for_the_register(client, paper_year):
    bloc_year, secretariat, _leaders = paper_year
    poll = poll_create(
        bloc_year=bloc_year, actor=secretariat, kind=PollKind.FLAG, mode=PollMode.PAPER
    )
    client.force_login(secretariat)
    url = reverse("awards:ballots_pdf", args=[bloc_year.bloc_id, bloc_year.year, poll.pk])
    count, _pages = _text(client.get(url).content)
    assert count == 4


def test_the_count_page_puts_each_error_next_to_its_field(client, paper_year, paper_poll):
    bloc_year, secretariat, _leaders = paper_year
    first = _candidates(paper_poll)[0]
    client.force_login(secretariat)
    url = reverse("awards:paper_count", args=[bloc_year.bloc_id, bloc_year.year, paper_poll.pk])
    page = client.get(url).content.decode()
    assert vi("Enter the counts") in page
    assert 'value="4"' in page  # ballots issued default to the members present
    data = {"issued": 4, "returned": 5, "invalid": 0, "spoiled": 0}
    data |= {f"votes_{c.agency_id}": 0 for c in _candidates(paper_poll)}
    data[f"votes_{first.agency_id}"] = 1
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error_1_id_returned"' in html or "is-invalid" in html
    assert (
        vi("More ballots returned than members present (%(present)s): one ballot per member.")
        % {"present": 4}
        in html
    )
    # What was typed is still there.
    assert 'name="returned" value="5"' in html
    data["returned"] = 4
    response = client.post(url, data)
    assert response.status_code == 302
    assert Poll.objects.get(pk=paper_poll.pk).status == PollStatus.CLOSED
