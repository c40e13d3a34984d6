"""Self-scoring services: values checked by kind and maximum, every error at
once with nothing saved, the trail, submitting (missing lines, deadline
policy), who may do what, and opening missing sheets."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from blocs.models import BlocYear, MemberRole
from blocs.stages import Stage
from covenants.models import LatePolicy, Period, ScoreEvent, ScoreLine, ScoreSheet, SheetStatus
from covenants.scores.core import settings_for
from covenants.scores.services import period_open_missing, self_scores_save, sheet_submit
from covenants.scores.totals import sheet_total
from members.models import AgencyRole
from tests.blocs.factories import MembershipFactory
from tests.covenants.factories_score import fill_self, leader_of, officer_of, scoring_year
from tests.members.factories import AgencyStaffFactory, BoardUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return scoring_year(stage=Stage.SCORING, members=4)


def _member(bloc_year, index=0):
    return bloc_year.memberships.filter(role=MemberRole.MEMBER).order_by("pk")[index].agency


@pytest.fixture
def sheet(year):
    return ScoreSheet.objects.get(bloc_year=year, period=Period.YEAR_END, agency=_member(year))


def _line(sheet, key) -> ScoreLine:
    return ScoreLine.objects.select_related("criterion").get(sheet=sheet, key=key)


def _messages(error: ValidationError) -> dict[str, str]:
    return {
        key: " ".join(e.messages[0] for e in errors) for key, errors in error.error_dict.items()
    }


# Values by kind ------------------------------------------------------------------


def test_an_officer_saves_points_pass_fail_and_counts_and_the_trail_keeps_each_change(sheet):
    officer = officer_of(sheet.agency)
    self_scores_save(
        sheet=sheet,
        actor=officer,
        entries={
            "I.1": {"value": Decimal("18.5"), "explanation": "Đạt 95% chỉ tiêu"},
            "I.2.2": {"value": True},
            "I.4": {"value": 2, "evidence_note": "QĐ số 15/QĐ-UBND"},
        },
    )
    assert _line(sheet, "I.1").self_value == Decimal("18.5")
    assert _line(sheet, "I.1").explanation == "Đạt 95% chỉ tiêu"
    assert _line(sheet, "I.2.2").self_value == 1
    assert _line(sheet, "I.4").self_value == 2
    assert _line(sheet, "I.4").evidence_note == "QĐ số 15/QĐ-UBND"
    events = ScoreEvent.objects.filter(sheet=sheet, field="self", action="self_value")
    assert {(e.line.key, e.old_value, e.new_value, e.actor) for e in events} == {
        ("I.1", None, Decimal("18.5"), officer),
        ("I.2.2", None, Decimal(1), officer),
        ("I.4", None, Decimal(2), officer),
    }

    # The same value again writes nothing; a change writes old → new.
    self_scores_save(sheet=sheet, actor=officer, entries={"I.1": {"value": Decimal("18.50")}})
    assert events.count() == 3
    self_scores_save(sheet=sheet, actor=officer, entries={"I.1": {"value": 17}})
    latest = events.filter(line__key="I.1").order_by("-pk").first()
    assert (latest.old_value, latest.new_value) == (Decimal("18.5"), Decimal(17))


def test_every_bad_line_is_reported_at_once_and_nothing_is_saved(sheet):
    officer = officer_of(sheet.agency)
    with pytest.raises(ValidationError) as caught:
        self_scores_save(
            sheet=sheet,
            actor=officer,
            entries={
                "I.1": {"value": Decimal(25)},  # above the maximum of 20
                "I.2.2": {"value": 3},  # pass/fail takes pass or fail
                "I.4": {"value": Decimal("1.5")},  # a count is whole
                "I.3": {"value": Decimal(10), "explanation": "hợp lệ"},  # fine on its own
                "IX.9": {"value": 1},  # no such line
            },
            female_percent=Decimal(120),
        )
    errors = _messages(caught.value)
    assert set(errors) == {"I.1", "I.2.2", "I.4", "IX.9", "female_percent"}
    assert "between 0 and 20" in errors["I.1"]
    assert "pass or fail" in errors["I.2.2"]
    assert "whole number" in errors["I.4"]
    assert "no such line" in errors["IX.9"]
    assert "0 to 100" in errors["female_percent"]
    assert _line(sheet, "I.3").self_value is None
    assert _line(sheet, "I.3").explanation == ""
    assert not ScoreEvent.objects.filter(sheet=sheet).exists()
    sheet.refresh_from_db()
    assert sheet.female_percent is None


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("I.1", True, "number of points"),
        ("I.1", "mười", "number of points"),
        ("I.1", Decimal("-1"), "between 0 and 20"),
        ("I.1", Decimal("12.345"), "two decimal places"),
        ("I.4", Decimal(-1), "cannot be negative"),
        ("I.4", 10**9, "too large"),
        ("I.2.2", "Đạt", "pass or fail"),
    ],
)
def test_values_that_do_not_fit_their_kind_are_refused(sheet, key, value, message):
    with pytest.raises(ValidationError) as caught:
        self_scores_save(
            sheet=sheet, actor=officer_of(sheet.agency), entries={key: {"value": value}}
        )
    assert message in _messages(caught.value)[key]
    assert _line(sheet, key).self_value is None


def test_pass_fail_also_takes_one_and_zero_and_a_count_caps_its_points(sheet):
    officer = officer_of(sheet.agency)
    self_scores_save(
        sheet=sheet, actor=officer, entries={"I.2.2": {"value": 0}, "I.4": {"value": 7}}
    )
    assert _line(sheet, "I.2.2").self_value == 0
    assert _line(sheet, "I.4").self_value == 7  # the count is kept; its points stop at the max
    lines = list(ScoreLine.objects.filter(sheet=sheet).select_related("criterion"))
    score = sheet_total(sheet.template.to_draft(), lines, column="self", require_evidence=False)
    assert score.lines["I.4"] == Decimal("5.00")
    assert score.lines["I.2.2"] == Decimal("0.00")


def test_none_clears_a_value_and_what_an_entry_leaves_out_stays(sheet):
    officer = officer_of(sheet.agency)
    self_scores_save(
        sheet=sheet, actor=officer, entries={"I.1": {"value": 12, "explanation": "Giải trình"}}
    )
    self_scores_save(sheet=sheet, actor=officer, entries={"I.1": {"value": None}})
    line = _line(sheet, "I.1")
    assert line.self_value is None
    assert line.explanation == "Giải trình"
    self_scores_save(sheet=sheet, actor=officer, entries={}, female_percent=Decimal("72.5"))
    sheet.refresh_from_db()
    assert sheet.female_percent == Decimal("72.5")
    assert ScoreEvent.objects.filter(sheet=sheet, action="female_percent").exists()


def test_an_entry_with_an_unknown_field_is_a_programming_error(sheet):
    with pytest.raises(ValueError, match="unknown entry fields"):
        self_scores_save(
            sheet=sheet, actor=officer_of(sheet.agency), entries={"I.1": {"points": 3}}
        )


# Who and when ---------------------------------------------------------------------


def test_leader_deputy_and_officer_edit_staff_and_everyone_else_cannot(year, sheet):
    for role in (AgencyRole.LEADER, AgencyRole.DEPUTY, AgencyRole.OFFICER):
        user = AgencyStaffFactory(agency=sheet.agency, agency_role=role)
        self_scores_save(sheet=sheet, actor=user, entries={"I.3": {"value": 5}})
    outsiders = [
        AgencyStaffFactory(agency=sheet.agency, agency_role=AgencyRole.STAFF),
        leader_of(_member(year, 1)),  # another member
        officer_of(year.chair),  # the secretariat enters no member's self-scores
        BoardUserFactory(board_province=year.bloc.province),
    ]
    for user in outsiders:
        with pytest.raises(PermissionDenied):
            self_scores_save(sheet=sheet, actor=user, entries={"I.3": {"value": 9}})
    assert _line(sheet, "I.3").self_value == 5


def test_a_closed_year_and_a_period_not_being_scored_refuse_changes(year, sheet):
    leader = leader_of(sheet.agency)
    mid_year = ScoreSheet.objects.get(bloc_year=year, period=Period.MID_YEAR, agency=sheet.agency)
    with pytest.raises(ValidationError, match="not open"):
        self_scores_save(sheet=mid_year, actor=leader, entries={"I.3": {"value": 5}})
    BlocYear.objects.filter(pk=year.pk).update(stage=Stage.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        self_scores_save(sheet=sheet, actor=leader, entries={"I.3": {"value": 5}})
    fill_self(sheet, submit=False)
    with pytest.raises(ValidationError, match="closed"):
        sheet_submit(sheet=sheet, actor=leader)


# Submitting -------------------------------------------------------------------------


def test_the_leader_submits_and_the_self_scores_are_locked(sheet):
    leader, officer = leader_of(sheet.agency), officer_of(sheet.agency)
    fill_self(sheet, submit=False)
    with pytest.raises(PermissionDenied):
        sheet_submit(sheet=sheet, actor=officer)

    sheet_submit(sheet=sheet, actor=leader)
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet.submitted_by == leader
    assert sheet.submitted_at is not None
    assert sheet.is_late is False
    assert ScoreEvent.objects.filter(sheet=sheet, action="submit", actor=leader).exists()
    with pytest.raises(ValidationError, match="submitted"):
        self_scores_save(sheet=sheet, actor=officer, entries={"I.3": {"value": 1}})
    with pytest.raises(ValidationError, match="submitted"):
        sheet_submit(sheet=sheet, actor=leader)


def test_missing_values_block_the_submission_naming_each_line(sheet):
    fill_self(sheet, submit=False)
    ScoreLine.objects.filter(sheet=sheet, key__in=["I.3", "II.1"]).update(self_value=None)
    with pytest.raises(ValidationError) as caught:
        sheet_submit(sheet=sheet, actor=leader_of(sheet.agency))
    message = " ".join(caught.value.messages)
    assert "I.3 – " in message
    assert "II.1 – " in message
    assert "I.1 – " not in message.replace("II.1 – ", "")
    sheet.refresh_from_db()
    assert sheet.is_draft


def _deadline(year, *, policy, days_ago=1):
    settings = settings_for(year)
    settings.year_end_deadline = timezone.localdate() - datetime.timedelta(days=days_ago)
    settings.late_policy = policy
    settings.save()
    return settings


def test_after_the_deadline_a_lock_policy_refuses_the_sheet(year, sheet):
    settings = _deadline(year, policy=LatePolicy.LOCK)
    fill_self(sheet, submit=False)
    with pytest.raises(ValidationError, match="not accepted") as caught:
        sheet_submit(sheet=sheet, actor=leader_of(sheet.agency))
    assert settings.year_end_deadline.strftime("%d/%m/%Y") in caught.value.messages[0]
    sheet.refresh_from_db()
    assert sheet.is_draft


def test_after_the_deadline_a_deduct_policy_flags_the_sheet_late_and_the_total_loses_points(
    year, sheet
):
    settings = _deadline(year, policy=LatePolicy.DEDUCT)
    fill_self(sheet, submit=False)
    sheet_submit(sheet=sheet, actor=leader_of(sheet.agency))
    sheet.refresh_from_db()
    assert sheet.is_late is True
    event = ScoreEvent.objects.get(sheet=sheet, action="submit")
    assert settings.year_end_deadline.strftime("%d/%m/%Y") in event.note
    lines = list(ScoreLine.objects.filter(sheet=sheet).select_related("criterion"))
    draft = sheet.template.to_draft()
    on_time = sheet_total(draft, lines, column="self", late=False)
    late = sheet_total(draft, lines, column="self", late=True, late_deduction=Decimal(2))
    assert late.late_penalty == Decimal("2.00")
    assert late.total == on_time.total - 2


def test_submitting_on_the_deadline_day_is_on_time(year, sheet):
    _deadline(year, policy=LatePolicy.LOCK, days_ago=0)
    fill_self(sheet, submit=False)
    sheet_submit(sheet=sheet, actor=leader_of(sheet.agency))
    sheet.refresh_from_db()
    assert (sheet.status, sheet.is_late) == (SheetStatus.SUBMITTED, False)


# Opening missing sheets -----------------------------------------------------------------


def test_the_secretariat_opens_a_sheet_for_a_member_that_joined_late(year):
    newcomer = MembershipFactory(bloc_year=year).agency
    with pytest.raises(PermissionDenied):
        period_open_missing(bloc_year=year, period=Period.YEAR_END, actor=leader_of(newcomer))
    with pytest.raises(ValidationError, match="only be opened"):
        period_open_missing(bloc_year=year, period=Period.MID_YEAR, actor=officer_of(year.chair))
    created = period_open_missing(
        bloc_year=year, period=Period.YEAR_END, actor=officer_of(year.chair)
    )
    assert [sheet.agency for sheet in created] == [newcomer]
    assert created[0].lines.count() == ScoreLine.objects.filter(sheet=created[0]).count() > 0
    again = period_open_missing(
        bloc_year=year, period=Period.YEAR_END, actor=officer_of(year.chair)
    )
    assert again == []
