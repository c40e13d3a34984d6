"""The year's scoring settings: who changes them, what is refused, the
initiative-line choices, and the freeze once the year-end ranking is out."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.text import capfirst

from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from covenants.models import (
    Initiative,
    InitiativeLevel,
    Period,
    ScoreEvent,
    ScoreLine,
    ScoreSheet,
    ScoringCriterion,
)
from covenants.scores.core import settings_for
from covenants.scores.forms_mid_year import ScoringSettingsForm
from covenants.scores.initiatives import initiative_criteria
from covenants.scores.mid_year import scoring_settings_update
from tests.covenants.factories_score import fill_self, leader_of, officer_of, publish, scoring_year
from tests.members.factories import BoardUserFactory, UserFactory
from tests.utils import vi

pytestmark = pytest.mark.django_db


def _year(stage=Stage.IN_PROGRESS, members=4):
    bloc_year = scoring_year(stage=stage, members=members)
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    return bloc_year, officer_of(chair)


def _criterion(bloc_year, group, code):
    return ScoringCriterion.objects.get(
        group__template__bloc_year=bloc_year, group__code=group, code=code
    )


def _url(bloc_year):
    return reverse("covenants:score_settings", args=[bloc_year.bloc_id, bloc_year.year])


def _form_data(bloc_year, **changes):
    settings = settings_for(bloc_year)
    data = {
        "mid_year_deadline": "",
        "year_end_deadline": "",
        "late_policy": settings.late_policy,
        "late_deduction": str(settings.late_deduction),
        "review_gap": str(settings.review_gap),
        "require_evidence": "on",
        "tie_break_1": "first_group",
        "tie_break_2": "fewer_deductions",
        "tie_break_3": "female_majority",
        "grassroots_initiatives_criterion": "",
        "provincial_initiatives_criterion": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_secretariat_sets_deadlines_late_policy_and_tie_breaks():
    bloc_year, secretariat = _year()
    scoring_settings_update(
        bloc_year=bloc_year,
        actor=secretariat,
        data={
            "mid_year_deadline": datetime.date(2026, 7, 10),
            "year_end_deadline": datetime.date(2026, 12, 5),
            "late_policy": "lock",
            "late_deduction": Decimal(3),
            "review_gap": Decimal("1.5"),
            "require_evidence": False,
            "tie_breaks": "female_majority,first_group",
        },
    )
    settings = settings_for(bloc_year)
    assert settings.mid_year_deadline == datetime.date(2026, 7, 10)
    assert settings.late_policy == "lock"
    assert settings.late_deduction == 3
    assert settings.tie_break_list == ["female_majority", "first_group"]
    assert settings.require_evidence is False


def test_the_default_late_deduction_is_two_points(bloc_year):
    assert settings_for(bloc_year).late_deduction == 2


def test_the_board_may_change_them_members_and_outsiders_may_not(outsider):
    bloc_year, _secretariat = _year()
    board = BoardUserFactory(board_province=bloc_year.bloc.province)
    scoring_settings_update(bloc_year=bloc_year, actor=board, data={"review_gap": Decimal(3)})
    assert settings_for(bloc_year).review_gap == 3
    member = leader_of(bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency)
    for user in (member, UserFactory(), BoardUserFactory()):
        with pytest.raises(PermissionDenied):
            scoring_settings_update(bloc_year=bloc_year, actor=user, data={"review_gap": 1})
    assert settings_for(bloc_year).review_gap == 3


def test_a_closed_year_refuses_every_change():
    bloc_year, secretariat = _year()
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED)
    bloc_year.refresh_from_db()
    with pytest.raises(ValidationError, match="is closed"):
        scoring_settings_update(bloc_year=bloc_year, actor=secretariat, data={"review_gap": 1})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"mid_year_deadline": datetime.date(2025, 7, 1)}, "mid_year_deadline"),
        ({"year_end_deadline": datetime.date(2028, 1, 5)}, "year_end_deadline"),
        (
            {
                "mid_year_deadline": datetime.date(2026, 7, 1),
                "year_end_deadline": datetime.date(2026, 6, 1),
            },
            "year_end_deadline",
        ),
        ({"late_deduction": Decimal(-1)}, "late_deduction"),
        ({"late_deduction": Decimal(101)}, "late_deduction"),
        ({"review_gap": Decimal(-2)}, "review_gap"),
        ({"tie_breaks": "first_group,first_group"}, "tie_breaks"),
        ({"tie_breaks": "coin_toss"}, "tie_breaks"),
        ({"tie_breaks": ""}, "tie_breaks"),
    ],
)
def test_bad_values_are_refused_on_their_field(data, field):
    bloc_year, secretariat = _year()
    with pytest.raises(ValidationError) as error:
        scoring_settings_update(bloc_year=bloc_year, actor=secretariat, data=data)
    assert field in error.value.error_dict
    assert settings_for(bloc_year).late_deduction == 2


def test_the_page_shows_errors_next_to_the_fields_and_keeps_the_input(client):
    bloc_year, secretariat = _year()
    client.force_login(secretariat)
    response = client.post(
        _url(bloc_year),
        _form_data(bloc_year, late_deduction="7", tie_break_2="first_group"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert vi("This tie-break is already used above.") in html
    assert 'value="7"' in html  # what was typed stays
    assert settings_for(bloc_year).late_deduction == 2


def test_saving_says_who_changed_what(client):
    bloc_year, secretariat = _year()
    client.force_login(secretariat)
    response = client.post(
        _url(bloc_year), _form_data(bloc_year, late_deduction="3", tie_break_3=""), follow=True
    )
    html = response.content.decode()
    assert secretariat.get_full_name() in html
    assert capfirst(vi("late deduction")) in html  # the form's label
    assert vi("tie-break order") in html
    assert settings_for(bloc_year).tie_break_list == ["first_group", "fewer_deductions"]


def test_mid_year_review_can_be_switched_until_a_mid_year_sheet_is_submitted():
    bloc_year, secretariat = _year()
    scoring_settings_update(
        bloc_year=bloc_year, actor=secretariat, data={"mid_year_reviewed": True}
    )
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    vice = bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency
    chair_sheet = ScoreSheet.objects.get(bloc_year=bloc_year, period=Period.MID_YEAR, agency=chair)
    assert chair_sheet.reviewer_agency == vice  # the chair never reviews itself

    fill_self(ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.MID_YEAR).first())
    with pytest.raises(ValidationError) as error:
        scoring_settings_update(
            bloc_year=bloc_year, actor=secretariat, data={"mid_year_reviewed": False}
        )
    assert "mid_year_reviewed" in error.value.error_dict
    assert settings_for(bloc_year).mid_year_reviewed is True


def test_the_form_locks_the_mid_year_switch_and_says_why(client):
    bloc_year, secretariat = _year()
    fill_self(ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.MID_YEAR).first())
    client.force_login(secretariat)
    html = client.get(_url(bloc_year)).content.decode()
    assert 'name="mid_year_reviewed"' in html
    assert "disabled" in html.split('name="mid_year_reviewed"')[1].split(">")[0]
    assert (
        vi(
            "Off: mid-year scores are the members' own. On: reviewed and agreed as at year end. "
            "This can change only until the first mid-year sheet is submitted."
        )
        in html
    )


def test_initiative_lines_are_the_count_lines_with_points_per_item():
    bloc_year, _secretariat = _year()
    keys = [key for key, _criterion in initiative_criteria(bloc_year)]
    assert keys == ["I.4", "III.3", "VI.3"]  # not the per-item deductions of group VII
    form = ScoringSettingsForm(
        instance=settings_for(bloc_year), criteria=initiative_criteria(bloc_year)
    )
    choices = [label for _value, label in form.fields["grassroots_initiatives_criterion"].choices]
    assert [label.split(" – ")[0] for label in choices[1:]] == ["I.4", "III.3", "VI.3"]
    assert choices[2].startswith("III.3 – Sáng kiến")
    assert choices[2].endswith("(1 points per item)")


def test_a_line_that_is_not_counted_is_refused():
    bloc_year, secretariat = _year()
    points_line = _criterion(bloc_year, "I", "1")
    deduction_line = _criterion(bloc_year, "VII", "1")
    for criterion in (points_line, deduction_line):
        with pytest.raises(ValidationError) as error:
            scoring_settings_update(
                bloc_year=bloc_year,
                actor=secretariat,
                data={"grassroots_initiatives_criterion": criterion},
            )
        assert "grassroots_initiatives_criterion" in error.value.error_dict
    line = _criterion(bloc_year, "III", "3")
    with pytest.raises(ValidationError) as error:
        scoring_settings_update(
            bloc_year=bloc_year,
            actor=secretariat,
            data={
                "grassroots_initiatives_criterion": line,
                "provincial_initiatives_criterion": line,
            },
        )
    assert "provincial_initiatives_criterion" in error.value.error_dict


def test_linking_a_line_fills_draft_year_end_sheets_from_the_register():
    bloc_year, secretariat = _year(stage=Stage.SCORING)
    agency = bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency
    Initiative.objects.create(
        bloc_year=bloc_year,
        agency=agency,
        level=InitiativeLevel.GRASSROOTS,
        count=2,
        updated_by=secretariat,
    )
    criterion = _criterion(bloc_year, "III", "3")
    scoring_settings_update(
        bloc_year=bloc_year,
        actor=secretariat,
        data={"grassroots_initiatives_criterion": criterion},
    )
    line = ScoreLine.objects.get(
        sheet__bloc_year=bloc_year,
        sheet__period=Period.YEAR_END,
        sheet__agency=agency,
        criterion=criterion,
    )
    assert line.self_value == 2
    event = ScoreEvent.objects.get(line=line)
    assert (event.field, event.new_value, event.actor) == ("self", 2, secretariat)


def test_settings_freeze_once_the_year_end_ranking_is_published(client):
    bloc_year, secretariat = _year(stage=Stage.SCORING)
    publish(bloc_year, Period.YEAR_END)
    with pytest.raises(ValidationError, match="frozen"):
        scoring_settings_update(bloc_year=bloc_year, actor=secretariat, data={"review_gap": 1})
    client.force_login(secretariat)
    html = client.get(_url(bloc_year)).content.decode()
    assert (
        vi(
            "The year-end ranking is published: these settings are frozen so that the ranking "
            "can always be reproduced."
        )
        in html
    )
    assert 'type="submit"' not in html.split("<main")[1]
    assert client.post(_url(bloc_year), _form_data(bloc_year)).status_code == 403


def test_members_read_the_settings_without_a_form_to_send(client):
    bloc_year, _secretariat = _year()
    member = leader_of(bloc_year.memberships.filter(role=MemberRole.MEMBER).first().agency)
    client.force_login(member)
    response = client.get(_url(bloc_year))
    assert response.status_code == 200
    assert 'type="submit"' not in response.content.decode().split("<main")[1]
    assert client.post(_url(bloc_year), _form_data(bloc_year)).status_code == 403
