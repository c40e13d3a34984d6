"""The voting rules as data: the board's province defaults, copied by a new
year; the year's own rules, changed by the secretariat or the board until
voting opens; the checks next to each field; each member's eligibility."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from awards.core import rules_for
from awards.models import ConferenceEvent, Eligibility, TaskCompletion, VotingRules
from awards.rules import eligibility_set, province_defaults_update, voting_rules_update
from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from tests.awards.factories import conference_year
from tests.awards.factories_polls import closed_poll, members_in_rank_order
from tests.blocs.factories import BlocYearFactory, MembershipFactory
from tests.covenants.factories_score import leader_of, officer_of
from tests.members.factories import BoardUserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def _values(rules, **changes) -> dict:
    return {**rules.rule_values(), **changes}


def _form_data(rules, **changes) -> dict:
    data = {}
    for name, value in _values(rules, **changes).items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    return data


def _board(bloc_year):
    return BoardUserFactory(board_province=bloc_year.bloc.province)


def _member(bloc_year):
    return leader_of(bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency)


# Province defaults ---------------------------------------------------------------------


def test_a_new_year_copies_the_provinces_defaults_and_an_older_one_keeps_its_rules():
    year = conference_year(members=5)
    old_rules = rules_for(year)
    board = _board(year)

    defaults = province_defaults_update(
        province=year.bloc.province,
        actor=board,
        data={"flag_numerator": 4, "flag_denominator": 5, "flag_strict": False, "max_rounds": 3},
    )
    assert (defaults.flag_numerator, defaults.flag_denominator) == (4, 5)

    following = BlocYearFactory(bloc=year.bloc, year=year.year + 1)
    new_rules = rules_for(following)
    assert (new_rules.flag_numerator, new_rules.flag_denominator, new_rules.flag_strict) == (
        4,
        5,
        False,
    )
    assert new_rules.max_rounds == 3
    old_rules.refresh_from_db()
    assert (old_rules.flag_numerator, old_rules.max_rounds) == (1, 2)


def test_only_the_board_of_the_province_sets_its_defaults():
    year = conference_year(members=5)
    for user in (BoardUserFactory(), officer_of(year.chair)):
        with pytest.raises(PermissionDenied):
            province_defaults_update(
                province=year.bloc.province, actor=user, data={"max_rounds": 3}
            )


def test_the_defaults_page_is_the_boards(client):
    year = conference_year(members=5)
    url = reverse("awards:province_defaults", args=[year.bloc.province_id])
    client.force_login(officer_of(year.chair))
    assert client.get(url).status_code == 403
    client.force_login(BoardUserFactory())
    assert client.get(url).status_code == 403

    client.force_login(_board(year))
    html = client.get(url).content.decode()
    assert vi("No defaults are saved yet: these are the values of the domain rules.") in html
    response = client.post(url, _form_data(rules_for(year), certificate_quota_percent="40"))
    assert response.status_code == 302
    assert year.bloc.province.voting_defaults.certificate_quota_percent == 40


# The year's rules ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["secretariat", "board"])
def test_the_secretariat_or_the_board_changes_the_years_rules(who):
    year = conference_year(members=5)
    actor = officer_of(year.chair) if who == "secretariat" else _board(year)

    rules = voting_rules_update(
        bloc_year=year, actor=actor, data={"flag_numerator": 2, "flag_denominator": 3}
    )

    assert (rules.flag_numerator, rules.flag_denominator) == (2, 3)
    event = ConferenceEvent.objects.get(bloc_year=year, action="rules_changed")
    assert event.actor == actor
    assert "flag threshold: numerator: 1 → 2" in event.note
    assert "flag threshold: denominator: 2 → 3" in event.note


def test_a_member_the_wrong_stage_and_a_closed_year_are_refused():
    year = conference_year(members=5)
    with pytest.raises(PermissionDenied):
        voting_rules_update(bloc_year=year, actor=_member(year), data={"max_rounds": 3})
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.IN_PROGRESS)
    with pytest.raises(ValidationError, match="scoring and conference stages"):
        voting_rules_update(bloc_year=year, actor=officer_of(year.chair), data={"max_rounds": 3})
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        voting_rules_update(bloc_year=year, actor=_board(year), data={"max_rounds": 3})


def test_frozen_rules_are_refused():
    year = conference_year(members=5)
    rules = rules_for(year)
    from django.utils import timezone

    rules.frozen_at = timezone.now()
    rules.save()
    with pytest.raises(ValidationError, match="frozen"):
        voting_rules_update(bloc_year=year, actor=officer_of(year.chair), data={"max_rounds": 3})
    rules.refresh_from_db()
    assert rules.max_rounds == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"flag_numerator": 3, "flag_denominator": 2}, "flag_numerator", "between 1 and"),
        ({"quorum_denominator": 0}, "quorum_denominator", "at least 1"),
        ({"election_numerator": 0}, "election_numerator", "between 1 and"),
        (
            {"certificate_numerator": 1, "certificate_denominator": 1},
            "certificate_strict",
            "can never be reached",
        ),
        ({"certificate_quota_percent": 101}, "certificate_quota_percent", "at most 100"),
        ({"max_rounds": 0}, "max_rounds", "at least 1 round"),
    ],
)
def test_bad_values_are_refused_next_to_their_field(changes, field, message):
    year = conference_year(members=5)
    with pytest.raises(ValidationError) as error:
        voting_rules_update(bloc_year=year, actor=officer_of(year.chair), data=changes)
    assert message in error.value.message_dict[field][0]
    assert rules_for(year).rule_values() == VotingRules(bloc_year=year).rule_values()
    assert not ConferenceEvent.objects.filter(bloc_year=year).exists()


def _rules_url(year):
    return reverse("awards:rules", args=[year.bloc_id, year.year])


def test_the_rules_page_shows_the_thresholds_in_words_and_saves(client):
    year = conference_year(members=5)
    client.force_login(officer_of(year.chair))
    html = client.get(_rules_url(year)).content.decode()
    # 5 members, more than half of all members: 3 votes.
    assert "trên 1/2 tổng số thành viên: cần 3 phiếu" in html
    assert 'type="submit"' in html.split("<main")[1]

    response = client.post(
        _rules_url(year), _form_data(rules_for(year), flag_numerator="4", flag_denominator="5")
    )
    assert response.status_code == 302
    assert rules_for(year).flag_numerator == 4


def test_the_rules_page_puts_errors_next_to_fields_and_keeps_the_input(client):
    year = conference_year(members=5)
    client.force_login(_board(year))
    response = client.post(
        _rules_url(year), _form_data(rules_for(year), flag_numerator="7", max_rounds="0")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert vi("There is at least 1 round.") in html
    assert (
        vi("The numerator must be between 1 and the denominator (%(denominator)s).")
        % {"denominator": 2}
        in html
    )
    assert 'name="flag_numerator" value="7"' in html
    assert rules_for(year).flag_numerator == 1


def test_members_read_the_rules_and_frozen_rules_say_since_when(client):
    from django.utils import timezone

    year = conference_year(members=5)
    client.force_login(_member(year))
    response = client.get(_rules_url(year))
    assert response.status_code == 200
    assert 'type="submit"' not in response.content.decode().split("<main")[1]
    assert client.post(_rules_url(year), _form_data(rules_for(year))).status_code == 403

    rules = rules_for(year)
    rules.frozen_at = timezone.now()
    rules.save()
    client.force_login(officer_of(year.chair))
    html = client.get(_rules_url(year)).content.decode()
    assert (
        vi("Frozen at %(at)s, when voting opened: every poll applies these rules.").split("%(at)s")[
            0
        ]
        in html
    )
    assert 'type="submit"' not in html.split("<main")[1]
    html = client.post(_rules_url(year), _form_data(rules, max_rounds="3")).content.decode()
    assert vi("Voting has opened: the year's rules are frozen.") in html


# Eligibility ---------------------------------------------------------------------------


def _row(**changes):
    return {
        "under_discipline": False,
        "task_completion": TaskCompletion.EXCELLENT,
        "excellent_previous_year": True,
        "note": "",
        **changes,
    }


def test_eligibility_is_recorded_per_member_with_what_changed():
    year = conference_year(members=5)
    agencies = members_in_rank_order(year)
    secretariat = officer_of(year.chair)

    eligibility_set(
        bloc_year=year,
        actor=secretariat,
        rows={
            agencies[0].pk: _row(under_discipline=True, note="Đang thanh tra"),
            agencies[1].pk: _row(task_completion=TaskCompletion.GOOD),
            agencies[2].pk: _row(),
        },
    )

    rows = {e.agency_id: e for e in Eligibility.objects.filter(bloc_year=year)}
    assert rows[agencies[0].pk].under_discipline
    assert rows[agencies[0].pk].note == "Đang thanh tra"
    assert rows[agencies[1].pk].task_completion == TaskCompletion.GOOD
    assert rows[agencies[2].pk].updated_by == secretariat
    event = ConferenceEvent.objects.get(bloc_year=year, action="eligibility_changed")
    assert agencies[0].name in event.note
    assert agencies[2].name not in event.note


def test_eligibility_is_refused_once_voting_opened_to_members_and_for_strangers():
    year = conference_year(members=5)
    agencies = members_in_rank_order(year)
    with pytest.raises(PermissionDenied):
        eligibility_set(bloc_year=year, actor=_member(year), rows={agencies[0].pk: _row()})
    stranger = MembershipFactory().agency
    with pytest.raises(ValidationError) as error:
        eligibility_set(bloc_year=year, actor=_board(year), rows={stranger.pk: _row()})
    assert f"under_discipline_{stranger.pk}" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        eligibility_set(
            bloc_year=year,
            actor=_board(year),
            rows={agencies[0].pk: _row(task_completion="brilliant")},
        )
    assert f"task_completion_{agencies[0].pk}" in error.value.message_dict

    closed_poll(year, "flag", {}, candidates=agencies, status="open")
    with pytest.raises(ValidationError, match="Voting has opened"):
        eligibility_set(bloc_year=year, actor=officer_of(year.chair), rows={agencies[0].pk: _row()})
    assert not Eligibility.objects.filter(bloc_year=year).exists()


def test_the_eligibility_page_has_a_labelled_row_per_member(client):
    year = conference_year(members=5)
    agencies = members_in_rank_order(year)
    url = reverse("awards:eligibility", args=[year.bloc_id, year.year])
    client.force_login(_member(year))
    assert client.get(url).status_code == 403

    client.force_login(officer_of(year.chair))
    html = client.get(url).content.decode()
    for agency in agencies:
        assert f'for="id_task_completion_{agency.pk}"' in html
        assert agency.name in html
    data = {}
    for agency in agencies:
        data[f"task_completion_{agency.pk}"] = "excellent"
        data[f"excellent_previous_year_{agency.pk}"] = "on"
        data[f"note_{agency.pk}"] = ""
    data[f"under_discipline_{agencies[3].pk}"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Eligibility.objects.get(bloc_year=year, agency=agencies[3]).under_discipline

    data[f"task_completion_{agencies[1].pk}"] = "brilliant"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
