"""Who reviews whom: the three modes, the rotation, the refusals, the page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from covenants.models import Period, ScoreEvent, ScoreLine, ScoreSheet
from covenants.scores import review
from members.collation import sort_key
from tests.covenants.factories_score import fill_review, officer_of, scoring_year
from tests.members.factories import AgencyFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db

YEAR_END = Period.YEAR_END


def _secretariat(bloc_year):
    return officer_of(bloc_year.chair)


def _sheets(bloc_year, period=YEAR_END):
    return {
        sheet.agency_id: sheet
        for sheet in ScoreSheet.objects.filter(bloc_year=bloc_year, period=period)
    }


def _url(bloc_year, period=YEAR_END):
    return reverse("covenants:score_reviewers", args=[bloc_year.bloc_id, bloc_year.year, period])


def _assign(bloc_year, mode, *, actor=None, **kwargs):
    return review.reviewers_assign(
        bloc_year=bloc_year,
        period=YEAR_END,
        actor=actor or _secretariat(bloc_year),
        mode=mode,
        **kwargs,
    )


# Rotation, pure ------------------------------------------------------------------------


class _Agency:
    def __init__(self, name):
        self.name = name
        self.pk = name


@pytest.mark.parametrize("count", [2, 3, 4, 5, 7, 11])
def test_the_rotation_never_pairs_an_agency_with_itself(count):
    agencies = [_Agency(f"Sở {chr(65 + n)}") for n in range(count)]
    for year in range(2020, 2032):
        pairs = review.rotation(agencies, year)
        assert all(agency is not reviewer for agency, reviewer in pairs)
        # Everyone reviews exactly one sheet.
        assert sorted(r.name for _a, r in pairs) == sorted(a.name for a in agencies)


@pytest.mark.parametrize("count", [3, 4, 6])
def test_the_rotation_changes_from_one_year_to_the_next(count):
    agencies = [_Agency(f"Sở {n}") for n in range(count)]
    for year in range(2024, 2030):
        this_year = dict(review.rotation(agencies, year))
        next_year = dict(review.rotation(agencies, year + 1))
        assert all(this_year[a] is not next_year[a] for a in agencies)


def test_the_rotation_follows_vietnamese_alphabetical_order():
    names = ["Sở Y tế", "Sở Đào tạo", "Sở Du lịch", "Sở Ăn uống"]
    agencies = [_Agency(name) for name in names]
    ordered = [a.name for a, _r in review.rotation(agencies, 2026)]
    assert ordered == ["Sở Ăn uống", "Sở Du lịch", "Sở Đào tạo", "Sở Y tế"]
    assert ordered == sorted(names, key=sort_key)
    step = review.rotation_step(2026, 4)  # 1 + 2026 % 3 = 2
    assert step == 2
    pairs = {a.name: r.name for a, r in review.rotation(agencies, 2026)}
    assert pairs["Sở Ăn uống"] == "Sở Đào tạo"
    assert pairs["Sở Đào tạo"] == "Sở Ăn uống"


# The service --------------------------------------------------------------------------


def test_secretariat_mode_gives_the_chairs_sheet_to_the_vice_chair(db):
    bloc_year = scoring_year(members=4)
    _assign(bloc_year, "rotate")
    _assign(bloc_year, "secretariat")
    sheets = _sheets(bloc_year)
    chair, vice = bloc_year.chair, bloc_year.vice_chair
    assert sheets[chair.pk].reviewer_agency_id == vice.pk
    assert all(s.reviewer_agency_id is None for a, s in sheets.items() if a != chair.pk)


def test_rotate_mode_assigns_cross_review_and_records_each_change(db):
    bloc_year = scoring_year(members=5)
    changed = _assign(bloc_year, "rotate")
    sheets = _sheets(bloc_year)
    agencies = [s.agency for s in sheets.values()]
    expected = {a.pk: r.pk for a, r in review.rotation(agencies, bloc_year.year)}
    assert {a: s.reviewer_agency_id for a, s in sheets.items()} == expected
    assert all(s.reviewer_agency_id != a for a, s in sheets.items())
    events = ScoreEvent.objects.filter(action="reviewer_assigned")
    assert events.count() == len(changed) > 0
    # Assigning the same again changes nothing and records nothing.
    assert _assign(bloc_year, "rotate") == []
    assert ScoreEvent.objects.filter(action="reviewer_assigned").count() == len(changed)
    event = events.filter(sheet=changed[0]).get()
    assert event.note == ScoreSheet.objects.get(pk=changed[0].pk).reviewer_agency.name


def test_rotation_differs_between_consecutive_years(db):
    first = scoring_year(members=4, year=2026)
    second = scoring_year(members=4, year=2027)
    # Same agencies both years: move the second year's memberships onto the first's.
    agencies = [m.agency for m in first.memberships.order_by("pk")]
    for membership, agency in zip(second.memberships.order_by("pk"), agencies, strict=True):
        ScoreSheet.objects.filter(bloc_year=second, agency=membership.agency).update(agency=agency)
        membership.agency = agency
        membership.save()
    _assign(first, "rotate")
    _assign(BlocYear.objects.get(pk=second.pk), "rotate")
    one = {a: s.reviewer_agency_id for a, s in _sheets(first).items()}
    two = {a: s.reviewer_agency_id for a, s in _sheets(second).items()}
    assert set(one) == set(two)
    assert all(one[a] != two[a] for a in one)


def test_manual_mode_refuses_self_review_and_non_members_naming_them(db):
    bloc_year = scoring_year(members=4)
    sheets = _sheets(bloc_year)
    first, second = list(sheets)[:2]
    stranger = AgencyFactory(province=bloc_year.bloc.province)
    with pytest.raises(ValidationError) as caught:
        _assign(bloc_year, "manual", assignments={first: first, second: stranger.pk})
    errors = caught.value.message_dict
    assert errors[str(first)] == [f"{sheets[first].agency.name} cannot review its own sheet."]
    assert sheets[second].agency.name in errors[str(second)][0]
    assert "not a current member" in errors[str(second)][0]
    assert not ScoreEvent.objects.exists()
    after = _sheets(bloc_year)
    assert all(after[a].reviewer_agency_id == s.reviewer_agency_id for a, s in sheets.items())


def test_manual_mode_refuses_an_agency_that_left_the_bloc(db):
    bloc_year = scoring_year(members=4)
    leaver = bloc_year.memberships.filter(role=MemberRole.MEMBER).first()
    leaver.left_on = "2026-06-30"
    leaver.save()
    target = bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency_id
    with pytest.raises(ValidationError, match="not a current member"):
        _assign(bloc_year, "manual", assignments={target: leaver.agency_id})


def test_manual_mode_sets_the_chosen_reviewers(db):
    bloc_year = scoring_year(members=4)
    sheets = _sheets(bloc_year)
    first, second = list(sheets)[:2]
    _assign(bloc_year, "manual", assignments={first: second, second: None})
    after = _sheets(bloc_year)
    assert after[first].reviewer_agency_id == second
    assert after[second].reviewer_agency_id is None


def test_the_database_refuses_self_review_too(db):
    bloc_year = scoring_year(members=3)
    sheet = ScoreSheet.objects.filter(bloc_year=bloc_year).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreSheet.objects.filter(pk=sheet.pk).update(reviewer_agency=sheet.agency)


def test_a_started_review_keeps_its_reviewer(db):
    bloc_year = scoring_year(members=4)
    sheets = _sheets(bloc_year)
    started = next(s for a, s in sheets.items() if a != bloc_year.chair.pk)
    ScoreLine.objects.filter(sheet=started, key="I.1").update(review_note="Đang xem")
    with pytest.raises(ValidationError) as caught:
        _assign(bloc_year, "rotate")
    assert started.agency.name in caught.value.messages[0]
    assert "has started" in caught.value.messages[0]
    assert _sheets(bloc_year)[started.agency_id].reviewer_agency_id is None
    # Sheets whose review has not started may still change by hand.
    other = next(a for a in sheets if a not in (started.agency_id, bloc_year.chair.pk))
    _assign(bloc_year, "manual", assignments={other: started.agency_id})
    # A submitted review counts as started even without values.
    fill_review(_sheets(bloc_year)[other])
    with pytest.raises(ValidationError, match="has started"):
        _assign(bloc_year, "manual", assignments={other: None})


@pytest.mark.parametrize(
    "who", ["member_leader_of_year", "board", "reviewer_agency_staff"], ids=str
)
def test_only_the_secretariat_assigns(db, who):
    from tests.members.factories import BoardUserFactory

    bloc_year = scoring_year(members=4)
    member = bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency
    actor = {
        "member_leader_of_year": lambda: officer_of(member),
        "board": lambda: BoardUserFactory(board_province=bloc_year.bloc.province),
        "reviewer_agency_staff": lambda: officer_of(bloc_year.vice_chair),
    }[who]()
    with pytest.raises(PermissionDenied):
        _assign(bloc_year, "rotate", actor=actor)


@pytest.mark.parametrize("stage", [Stage.CONFERENCE, Stage.CLOSED])
def test_assigning_is_refused_once_the_period_is_over(db, stage):
    bloc_year = scoring_year(members=4)
    secretariat = _secretariat(bloc_year)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=stage)
    bloc_year.refresh_from_db()
    with pytest.raises((PermissionDenied, ValidationError)):
        _assign(bloc_year, "rotate", actor=secretariat)
    assert not ScoreEvent.objects.exists()


def test_unreviewed_mid_year_sheets_get_no_reviewers(db):
    bloc_year = scoring_year(stage=Stage.IN_PROGRESS, members=4)
    with pytest.raises(ValidationError, match="not reviewed"):
        review.reviewers_assign(
            bloc_year=bloc_year,
            period=Period.MID_YEAR,
            actor=_secretariat(bloc_year),
            mode="rotate",
        )


# The page ------------------------------------------------------------------------------


def test_the_page_shows_each_sheets_reviewer_and_the_rotation(client, db):
    bloc_year = scoring_year(members=4)
    client.force_login(_secretariat(bloc_year))
    response = client.get(_url(bloc_year))
    html = response.content.decode()
    assert response.status_code == 200
    assert vi("Cross review this year") in html
    assert 'id="rotation-plan"' in html
    for sheet in _sheets(bloc_year).values():
        assert sheet.agency.name in html
        assert f'name="reviewer_{sheet.agency_id}"' in html
        assert f'for="id_reviewer_{sheet.agency_id}"' in html  # every select labelled


def test_the_page_saves_the_rotation(client, db):
    bloc_year = scoring_year(members=4)
    client.force_login(_secretariat(bloc_year))
    response = client.post(_url(bloc_year), {"mode": "rotate"}, follow=True)
    assert response.status_code == 200
    assert all(s.reviewer_agency_id for s in _sheets(bloc_year).values())


def test_the_page_shows_a_refusal_next_to_the_sheets_select(client, db):
    bloc_year = scoring_year(members=4)
    client.force_login(_secretariat(bloc_year))
    sheets = _sheets(bloc_year)
    first, second = [a for a in sheets if a != bloc_year.chair.pk][:2]
    ScoreLine.objects.filter(sheet=sheets[first], key="I.1").update(review_value=1)

    response = client.post(_url(bloc_year), {"mode": "rotate"})
    html = response.content.decode()
    assert response.status_code == 200
    message = vi("The review of %(agency)s's sheet has started; its reviewer can no longer change.")
    assert message % {"agency": sheets[first].agency.name} in html
    assert 'aria-invalid="true"' in html
    assert all(
        s.reviewer_agency_id == sheets[a].reviewer_agency_id for a, s in _sheets(bloc_year).items()
    )

    # By hand, the started sheet's select is disabled: only the other one changes.
    data = {"mode": "manual", f"reviewer_{first}": str(second), f"reviewer_{second}": str(first)}
    assert client.post(_url(bloc_year), data).status_code == 302
    assert _sheets(bloc_year)[second].reviewer_agency_id == first
    assert _sheets(bloc_year)[first].reviewer_agency_id is None
    html = client.get(_url(bloc_year)).content.decode()
    assert vi("Some reviews have started: their reviewer can no longer change.") in html


def test_the_page_refuses_everyone_but_the_secretariat(client, db):
    from tests.members.factories import BoardUserFactory

    bloc_year = scoring_year(members=4)
    member = bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency
    for user in (officer_of(member), BoardUserFactory(board_province=bloc_year.bloc.province)):
        client.force_login(user)
        assert client.get(_url(bloc_year)).status_code == 403
        assert client.post(_url(bloc_year), {"mode": "rotate"}).status_code == 403
    client.force_login(_secretariat(bloc_year))
    assert client.get(_url(bloc_year, "autumn")).status_code == 404


def test_a_closed_year_shows_the_page_without_the_form(client, db):
    bloc_year = scoring_year(members=4)
    secretariat = _secretariat(bloc_year)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED)
    client.force_login(secretariat)
    html = client.get(_url(bloc_year)).content.decode()
    assert 'name="mode"' not in html
    assert client.post(_url(bloc_year), {"mode": "rotate"}).status_code == 403


def test_the_pages_query_count_does_not_grow_with_the_members(client, db):
    counts = []
    for members in (3, 6):
        bloc_year = scoring_year(members=members)
        client.force_login(_secretariat(bloc_year))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(bloc_year)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
