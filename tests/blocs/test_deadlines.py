"""The calendar: effective deadlines, tightening, and who is still due."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from blocs.deadlines import pending_items, register_deadline_check
from blocs.deadlines.selectors import deadlines_for, province_late, year_deadlines
from blocs.deadlines.services import (
    province_deadline_set,
    year_deadline_clear,
    year_deadline_set,
)
from blocs.models import BlocYear, BlocYearDeadline, DeadlineChange, DeadlineKind
from blocs.stages import Stage
from covenants.models import Period
from tests.blocs.factories import ready_bloc_year
from tests.covenants.factories import sign_all
from tests.covenants.factories_score import fill_self, hold_mid_year, scoring_year

pytestmark = pytest.mark.django_db

D = datetime.date


def _at(bloc_year, stage):
    BlocYear.objects.filter(pk=bloc_year.pk).update(stage=stage)
    bloc_year.refresh_from_db()
    return bloc_year


def _dates(bloc_year):
    return {d.kind: d.date for d in year_deadlines(bloc_year, today=D(2026, 1, 1))}


def test_defaults_apply_when_nothing_is_set(bloc_year):
    assert _dates(bloc_year) == {
        DeadlineKind.SIGNING: D(2026, 4, 30),
        DeadlineKind.MID_YEAR: D(2026, 7, 31),
        DeadlineKind.SELF_SCORING: D(2026, 11, 30),
        DeadlineKind.DOSSIER: D(2026, 12, 10),
    }


def test_province_date_overrides_the_default_and_is_trailed(bloc_year, board_user):
    province = bloc_year.bloc.province
    province_deadline_set(
        province=province, kind=DeadlineKind.DOSSIER, month=12, day=5, actor=board_user
    )
    assert _dates(bloc_year)[DeadlineKind.DOSSIER] == D(2026, 12, 5)
    change = DeadlineChange.objects.get()
    assert (change.before, change.after, change.actor) == ("", "05/12", board_user)


def test_only_the_provinces_board_sets_its_calendar(bloc_year, other_board_user, secretariat_user):
    for user in (other_board_user, secretariat_user):
        with pytest.raises(PermissionDenied):
            province_deadline_set(
                province=bloc_year.bloc.province,
                kind=DeadlineKind.DOSSIER,
                month=12,
                day=5,
                actor=user,
            )


def test_an_impossible_day_is_refused_next_to_the_day(bloc_year, board_user):
    with pytest.raises(ValidationError) as exc:
        province_deadline_set(
            province=bloc_year.bloc.province,
            kind=DeadlineKind.SIGNING,
            month=2,
            day=30,
            actor=board_user,
        )
    assert "day" in exc.value.error_dict


def test_secretariat_tightens_a_deadline(bloc_year, secretariat_user):
    year_deadline_set(
        bloc_year=bloc_year, kind=DeadlineKind.DOSSIER, date=D(2026, 12, 1), actor=secretariat_user
    )
    assert _dates(bloc_year)[DeadlineKind.DOSSIER] == D(2026, 12, 1)
    assert bloc_year.deadline_changes.get().after == "2026-12-01"


def test_a_later_date_than_the_provinces_is_refused(bloc_year, board_user):
    province_deadline_set(
        province=bloc_year.bloc.province,
        kind=DeadlineKind.DOSSIER,
        month=12,
        day=5,
        actor=board_user,
    )
    with pytest.raises(ValidationError) as exc:
        year_deadline_set(
            bloc_year=bloc_year, kind=DeadlineKind.DOSSIER, date=D(2026, 12, 8), actor=board_user
        )
    assert "forward" in str(exc.value.error_dict["date"])
    assert not BlocYearDeadline.objects.exists()
    # Equal is allowed.
    year_deadline_set(
        bloc_year=bloc_year, kind=DeadlineKind.DOSSIER, date=D(2026, 12, 5), actor=board_user
    )


def test_a_date_in_another_year_is_refused(bloc_year, board_user):
    with pytest.raises(ValidationError) as exc:
        year_deadline_set(
            bloc_year=bloc_year, kind=DeadlineKind.SIGNING, date=D(2025, 4, 1), actor=board_user
        )
    assert "date" in exc.value.error_dict


def test_clearing_returns_to_the_provinces_date(bloc_year, board_user):
    year_deadline_set(
        bloc_year=bloc_year, kind=DeadlineKind.SIGNING, date=D(2026, 4, 1), actor=board_user
    )
    year_deadline_clear(bloc_year=bloc_year, kind=DeadlineKind.SIGNING, actor=board_user)
    assert _dates(bloc_year)[DeadlineKind.SIGNING] == D(2026, 4, 30)


def test_a_later_province_date_never_relaxes_a_tightened_year(bloc_year, board_user):
    year_deadline_set(
        bloc_year=bloc_year, kind=DeadlineKind.SIGNING, date=D(2026, 4, 20), actor=board_user
    )
    province_deadline_set(
        province=bloc_year.bloc.province,
        kind=DeadlineKind.SIGNING,
        month=4,
        day=10,
        actor=board_user,
    )
    assert _dates(bloc_year)[DeadlineKind.SIGNING] == D(2026, 4, 10)


def test_members_outsiders_and_closed_years_cannot_tighten(
    bloc_year, member_leader, outsider, other_board_user, board_user
):
    for user in (member_leader, outsider, other_board_user):
        with pytest.raises(PermissionDenied):
            year_deadline_set(
                bloc_year=bloc_year, kind=DeadlineKind.SIGNING, date=D(2026, 4, 1), actor=user
            )
    _at(bloc_year, Stage.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        year_deadline_set(
            bloc_year=bloc_year, kind=DeadlineKind.SIGNING, date=D(2026, 4, 1), actor=board_user
        )


# Checkers ------------------------------------------------------------------


def test_signing_checker_lists_unsigned_members_only_during_signing(bloc_year):
    assert pending_items(bloc_year, DeadlineKind.SIGNING) == []  # still set-up
    _at(bloc_year, Stage.SIGNING)
    pending = pending_items(bloc_year, DeadlineKind.SIGNING)
    assert {a.pk for a, _m in pending} == set(
        bloc_year.memberships.values_list("agency_id", flat=True)
    )
    sign_all(bloc_year.covenant)
    assert pending_items(bloc_year, DeadlineKind.SIGNING) == []


def test_mid_year_checker_is_the_secretariats_task_until_held():
    bloc_year = scoring_year(stage=Stage.IN_PROGRESS)
    pending = pending_items(bloc_year, DeadlineKind.MID_YEAR)
    assert [agency for agency, _m in pending] == [None]
    hold_mid_year(bloc_year)
    assert pending_items(bloc_year, DeadlineKind.MID_YEAR) == []


def test_self_scoring_checker_lists_draft_year_end_sheets():
    bloc_year = scoring_year(stage=Stage.SCORING)
    sheets = list(bloc_year.score_sheets.filter(period=Period.YEAR_END).order_by("pk"))
    fill_self(sheets[0])
    pending = pending_items(bloc_year, DeadlineKind.SELF_SCORING)
    assert {a.pk for a, _m in pending} == {s.agency_id for s in sheets[1:]}


def test_dossier_checker_is_due_until_submitted(bloc_year):
    _at(bloc_year, Stage.CONFERENCE)
    assert [a for a, _m in pending_items(bloc_year, DeadlineKind.DOSSIER)] == [None]
    _at(bloc_year, Stage.SUBMITTED)
    assert pending_items(bloc_year, DeadlineKind.DOSSIER) == []


def test_registering_an_unknown_kind_fails():
    with pytest.raises(ValueError, match="Unknown deadline kind"):
        register_deadline_check("nope")


def test_province_late_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    first = _at(ready_bloc_year(), Stage.SIGNING)
    province = first.bloc.province
    for _ in range(3):
        by = ready_bloc_year(bloc__province=province)
        _at(by, Stage.CONFERENCE)
    with django_assert_max_num_queries(8):
        late = province_late(province, today=D(2026, 12, 20))
    kinds = sorted(d.kind for d in late)
    assert kinds == [DeadlineKind.DOSSIER] * 3 + [DeadlineKind.SIGNING]
    assert all(d.days_overdue > 0 for d in late)


def test_nothing_is_late_before_the_deadline(bloc_year):
    _at(bloc_year, Stage.SIGNING)
    deadlines = deadlines_for([bloc_year], today=D(2026, 4, 30))[bloc_year.pk]
    signing = next(d for d in deadlines if d.kind == DeadlineKind.SIGNING)
    assert signing.pending
    assert signing.days_left == 0
    assert not signing.is_overdue
