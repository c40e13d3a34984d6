"""The year-level scoring trail: settings changes (before → after), the
mid-year review saved, held and reopened with the reason, initiatives
recorded; each shown on its page."""

import datetime

import pytest

from blocs.models import MemberRole
from blocs.stages import Stage
from covenants.models import ScoringYearEvent
from covenants.scores import mid_year
from tests.covenants.factories_score import hold_mid_year, officer_of, scoring_year
from tests.utils import vi

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return scoring_year(stage=Stage.IN_PROGRESS)


@pytest.fixture
def secretariat(year):
    return officer_of(year.memberships.get(role=MemberRole.CHAIR).agency)


def _events(year, subject):
    return list(
        ScoringYearEvent.objects.filter(bloc_year=year, subject=subject).values_list(
            "action", "note"
        )
    )


def test_a_settings_change_records_what_changed_from_what_to_what(year, secretariat, client):
    mid_year.scoring_settings_update(
        bloc_year=year,
        actor=secretariat,
        data={"year_end_deadline": datetime.date(2026, 11, 30), "review_gap": 3},
    )
    [(action, note)] = _events(year, "settings")
    assert action == "changed"
    assert "year-end self-scoring deadline: — → 30/11/2026" in note
    assert "review gap: 2 → 3" in note

    mid_year.scoring_settings_update(bloc_year=year, actor=secretariat, data={"review_gap": 3})
    assert len(_events(year, "settings")) == 1  # nothing changed, nothing recorded

    client.force_login(secretariat)
    page = client.get(f"/blocs/{year.bloc_id}/{year.year}/scores/settings/").content.decode()
    assert vi("Scoring settings changed") in page
    assert "30/11/2026" in page


def test_the_mid_year_review_trail_keeps_the_reopening_reason(year, secretariat, client):
    hold_mid_year(year)
    mid_year.mid_year_review_reopen(bloc_year=year, actor=secretariat, reason="Sai ngày họp")
    mid_year.mid_year_review_save(
        bloc_year=year, actor=secretariat, data={"held_on": datetime.date(2026, 7, 20)}
    )
    mid_year.mid_year_review_hold(bloc_year=year, actor=secretariat)
    assert _events(year, "mid_year") == [
        ("held", ""),
        ("saved", ""),
        ("reopened", "Sai ngày họp"),
    ]
    client.force_login(secretariat)
    page = client.get(f"/blocs/{year.bloc_id}/{year.year}/mid-year/").content.decode()
    assert vi("Reopened") in page
    assert "Sai ngày họp" in page


def test_recording_initiatives_is_in_the_trail(year, secretariat):
    agency = year.memberships.exclude(role=MemberRole.CHAIR).first().agency
    mid_year.initiatives_set(
        bloc_year=year,
        agency=agency,
        actor=secretariat,
        grassroots=130,
        provincial=6,
        decisions="QĐ 12/QĐ-HĐSK",
    )
    [(action, note)] = _events(year, "initiatives")
    assert action == "recorded"
    assert note == f"{agency.name}: 130 grassroots, 6 provincial"
