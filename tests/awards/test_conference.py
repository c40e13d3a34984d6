"""The conference record, the attendance register (with the quorum it
makes) and the counting committee: who may change them, when, and each
wrong input named next to its field with nothing saved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from awards.conference import attendance_set, committee_set, conference_save
from awards.core import rules_for
from awards.models import (
    Attendance,
    Conference,
    ConferenceEvent,
    ConferenceStatus,
    CountingMember,
    CountingRole,
)
from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from members.models import AgencyRole
from tests.awards.voting_factories import open_poll, register, voting_year
from tests.covenants.factories_score import officer_of
from tests.members.factories import AgencyStaffFactory, BoardUserFactory, UserFactory

pytestmark = pytest.mark.django_db

RECORD = {
    "held_on": datetime.date(2026, 12, 18),
    "place": "Hội trường Sở Văn hóa, Thể thao và Du lịch",
    "chaired_by": "Nguyễn Văn Hùng, Giám đốc Sở",
    "secretary": "Trần Thị Thủy, chuyên viên",
    "board_representative": "Lê Minh Tâm, Phó Trưởng ban Thi đua – Khen thưởng",
}


@pytest.fixture
def year():
    return voting_year(members=5)


def _rows(bloc_year, changes=None):
    """Register rows, every member present; ``changes``: agency id → overrides."""
    rows = []
    for membership in bloc_year.memberships.select_related("agency"):
        row = {
            "agency": membership.agency,
            "present": True,
            "representative_name": "Phạm Văn Đức",
            "representative_title": "Phó Giám đốc",
            "is_proxy": False,
            "voter": None,
        }
        row.update((changes or {}).get(membership.agency_id, {}))
        rows.append(row)
    return rows


# The record -----------------------------------------------------------------------


def test_the_secretariat_saves_the_record(year):
    bloc_year, secretariat, _leaders = year
    conference = conference_save(bloc_year=bloc_year, actor=secretariat, data=RECORD)
    conference.refresh_from_db()
    assert conference.place == RECORD["place"]
    assert conference.status == ConferenceStatus.PREPARING
    assert ConferenceEvent.objects.filter(bloc_year=bloc_year, action="conference_saved").exists()
    # The report's fields may come along (their page belongs to the summary report).
    conference_save(bloc_year=bloc_year, actor=secretariat, data={"lessons": "Bài học"})
    assert Conference.objects.get(bloc_year=bloc_year).lessons == "Bài học"
    with pytest.raises(TypeError):
        conference_save(bloc_year=bloc_year, actor=secretariat, data={"status": "confirmed"})


def test_only_the_secretariat_saves_the_record(year):
    bloc_year, _secretariat, leaders = year
    member = leaders[bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency_id]
    for someone in (member, BoardUserFactory(board_province=bloc_year.bloc.province)):
        with pytest.raises(PermissionDenied):
            conference_save(bloc_year=bloc_year, actor=someone, data=RECORD)
    assert not Conference.objects.exists()


def test_the_record_is_kept_at_the_conference_stage_of_an_open_year(year):
    bloc_year, secretariat, _leaders = year
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.SCORING)
    with pytest.raises(ValidationError, match="year-end conference"):
        conference_save(bloc_year=bloc_year, actor=secretariat, data=RECORD)
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=Stage.CLOSED)
    with pytest.raises(PermissionDenied, match="read-only"):
        conference_save(bloc_year=bloc_year, actor=secretariat, data=RECORD)


def test_the_record_names_a_date_of_the_year_and_freezes_on_confirmation(year):
    bloc_year, secretariat, _leaders = year
    with pytest.raises(ValidationError) as error:
        conference_save(
            bloc_year=bloc_year, actor=secretariat, data={"held_on": datetime.date(2024, 1, 5)}
        )
    assert error.value.message_dict == {
        "held_on": ["The conference is held in 2026 or early the next year."]
    }
    conference_save(
        bloc_year=bloc_year, actor=secretariat, data={"held_on": datetime.date(2027, 1, 8)}
    )
    Conference.objects.filter(bloc_year=bloc_year).update(
        status=ConferenceStatus.CONFIRMED, confirmed_at="2027-01-08T10:00:00Z"
    )
    with pytest.raises(ValidationError, match="confirmed"):
        conference_save(bloc_year=bloc_year, actor=secretariat, data=RECORD)


# The register ---------------------------------------------------------------------


def test_the_register_computes_the_quorum_with_the_years_rules(year):
    bloc_year, secretariat, _leaders = year
    ids = list(bloc_year.memberships.values_list("agency_id", flat=True))
    quorum = register(bloc_year, secretariat, absent=ids[:1])
    assert (quorum.present, quorum.members, quorum.needed, quorum.met) == (4, 5, 4, True)
    rules = rules_for(bloc_year)
    rules.quorum_numerator, rules.quorum_denominator = 4, 4
    rules.save()
    quorum = register(bloc_year, secretariat, absent=ids[:1])
    assert (quorum.needed, quorum.met) == (5, False)
    assert Attendance.objects.filter(present=True).count() == 4
    event = ConferenceEvent.objects.filter(action="attendance_set").first()
    assert event.note == "4 of 5 members present"


def test_each_wrong_row_is_named_and_nothing_is_saved(year):
    bloc_year, secretariat, leaders = year
    ids = list(leaders)
    inactive = UserFactory(is_active=False)
    twice = officer_of(leaders[ids[3]].agency)
    rows = _rows(
        bloc_year,
        {
            ids[0]: {"representative_name": "  "},
            ids[1]: {"present": False, "representative_name": "", "voter": twice},
            ids[2]: {"voter": inactive},
            ids[3]: {"voter": twice},
            ids[4]: {"voter": leaders[ids[0]]},
        },
    )
    with pytest.raises(ValidationError) as error:
        attendance_set(bloc_year=bloc_year, actor=secretariat, rows=rows)
    errors = error.value.message_dict
    assert errors[f"{ids[0]}.representative_name"] == ["Say who represents a present agency."]
    assert "An absent agency does not vote" in errors[f"{ids[1]}.voter"][0]
    assert errors[f"{ids[2]}.voter"] == ["This account is deactivated: it cannot vote."]
    assert f"{ids[3]}.voter" not in errors
    assert "leads" in errors[f"{ids[4]}.voter"][0]
    assert not Attendance.objects.exists()


def test_a_voter_is_registered_for_one_agency_only(year):
    bloc_year, secretariat, leaders = year
    ids = list(leaders)
    proxy = officer_of(leaders[ids[3]].agency)
    rows = _rows(bloc_year, {ids[3]: {"voter": proxy}, ids[4]: {"voter": proxy}})
    with pytest.raises(ValidationError) as error:
        attendance_set(bloc_year=bloc_year, actor=secretariat, rows=rows)
    assert error.value.message_dict == {
        f"{ids[4]}.voter": ["A registered voter votes for one agency only."]
    }


def test_the_register_lists_every_current_member_once(year):
    bloc_year, secretariat, _leaders = year
    rows = _rows(bloc_year)
    with pytest.raises(ValidationError, match="missing"):
        attendance_set(bloc_year=bloc_year, actor=secretariat, rows=rows[:-1])
    with pytest.raises(ValidationError, match="already on the attendance register"):
        attendance_set(bloc_year=bloc_year, actor=secretariat, rows=[*rows, rows[0]])
    stranger = AgencyStaffFactory(agency_role=AgencyRole.LEADER).agency
    with pytest.raises(ValidationError, match="current members"):
        attendance_set(
            bloc_year=bloc_year, actor=secretariat, rows=[*rows, {**rows[0], "agency": stranger}]
        )


def test_the_register_is_the_secretariats_and_freezes_when_a_poll_opens(year):
    bloc_year, secretariat, leaders = year
    member = leaders[bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency_id]
    with pytest.raises(PermissionDenied):
        attendance_set(bloc_year=bloc_year, actor=member, rows=_rows(bloc_year))
    register(bloc_year, secretariat)
    open_poll(bloc_year, secretariat)
    with pytest.raises(ValidationError, match="can no longer change"):
        register(bloc_year, secretariat)


def test_an_absent_agency_keeps_no_proxy_flag(year):
    bloc_year, secretariat, leaders = year
    ids = list(leaders)
    rows = _rows(bloc_year, {ids[1]: {"present": False, "is_proxy": True}})
    attendance_set(bloc_year=bloc_year, actor=secretariat, rows=rows)
    record = Attendance.objects.get(agency_id=ids[1])
    assert (record.present, record.is_proxy) == (False, False)


# The committee --------------------------------------------------------------------


def test_the_committee_has_one_head_and_members(year):
    bloc_year, secretariat, _leaders = year
    chair = bloc_year.chair
    members = committee_set(
        bloc_year=bloc_year,
        actor=secretariat,
        members=[
            {"full_name": "Võ Thị Lan", "role": CountingRole.MEMBER},
            {"full_name": "Đặng Quốc Bảo", "role": CountingRole.HEAD, "agency": chair},
            {"full_name": "Hồ Thị Mai", "role": CountingRole.MEMBER},
        ],
    )
    assert [(m.full_name, m.role, m.order) for m in members] == [
        ("Đặng Quốc Bảo", "head", 1),
        ("Võ Thị Lan", "member", 2),
        ("Hồ Thị Mai", "member", 3),
    ]
    committee_set(
        bloc_year=bloc_year,
        actor=secretariat,
        members=[
            {"full_name": "Võ Thị Lan", "role": CountingRole.HEAD},
            {"full_name": "Hồ Thị Mai", "role": CountingRole.MEMBER},
        ],
    )
    assert CountingMember.objects.count() == 2


@pytest.mark.parametrize(
    ("members", "errors"),
    [
        (
            [{"full_name": "A", "role": "member"}, {"full_name": "B", "role": "member"}],
            {"__all__": ["The counting committee has exactly one head."]},
        ),
        (
            [{"full_name": "A", "role": "head"}, {"full_name": "B", "role": "head"}],
            {"__all__": ["The counting committee has exactly one head."]},
        ),
        (
            [{"full_name": "A", "role": "head"}],
            {"__all__": ["The counting committee has a head and at least one member."]},
        ),
        (
            [{"full_name": "A", "role": "head"}, {"full_name": " ", "role": "member"}],
            {"1.full_name": ["Enter the member's full name."]},
        ),
        (
            [{"full_name": "Lê  An", "role": "head"}, {"full_name": "lê an", "role": "member"}],
            {"1.full_name": ["This person is already on the committee."]},
        ),
    ],
)
def test_a_wrong_committee_is_refused_with_the_reason(year, members, errors):
    bloc_year, secretariat, _leaders = year
    with pytest.raises(ValidationError) as error:
        committee_set(bloc_year=bloc_year, actor=secretariat, members=members)
    assert error.value.message_dict == errors
    assert not CountingMember.objects.exists()


def test_a_committee_member_from_an_agency_is_from_a_current_member(year):
    bloc_year, secretariat, _leaders = year
    stranger = AgencyStaffFactory().agency
    with pytest.raises(ValidationError) as error:
        committee_set(
            bloc_year=bloc_year,
            actor=secretariat,
            members=[
                {"full_name": "A", "role": "head", "agency": stranger},
                {"full_name": "B", "role": "member"},
            ],
        )
    assert error.value.message_dict == {"0.agency": ["Choose one of this year's current members."]}
