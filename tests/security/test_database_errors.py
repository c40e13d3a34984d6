"""A database error half-way through a request: nothing of it is kept, and the
person sees a page saying so (503) instead of a server error.

The error is a real one: a trigger, created by the test, makes the database
refuse the write that comes last in a multi-write service (its trail row or
the sheet's final update). Everything the service wrote before must be
rolled back. SQLite raises with ``RAISE(ABORT, …)``, PostgreSQL from a
PL/pgSQL function; either way Django sees a ``DatabaseError``.
"""

import logging
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from blocs.models import MemberRole, StageChange
from blocs.stages import Stage
from covenants.models import (
    CovenantStatus,
    Period,
    ScoreEvent,
    ScoreLine,
    ScoreSheet,
    ScoringTemplate,
    TemplateStatus,
)
from tests.covenants.factories_score import fill_self, officer_of, scoring_year
from tests.utils import vi

pytestmark = pytest.mark.django_db

MESSAGE = "Nothing was saved, please try again."


def _refuse(table: str, event: str) -> None:
    """From now on (until the test's transaction is rolled back), the
    database refuses any ``event`` (INSERT or UPDATE) on ``table``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_by_test() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused by the test trigger'; END $$"
            )
            cursor.execute(
                f'CREATE TRIGGER refuse_by_test BEFORE {event} ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION refuse_by_test()"
            )
        else:
            cursor.execute(
                f'CREATE TRIGGER refuse_by_test BEFORE {event} ON "{table}" '
                "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"
            )


def _assert_database_error_page(response, caplog) -> None:
    assert response.status_code == 503
    assert vi(MESSAGE) in response.content.decode()
    assert any(
        record.name == "config.faults" and record.levelno == logging.ERROR
        for record in caplog.records
    )


def test_a_refused_trail_row_rolls_back_the_whole_transition(
    client, secretariat_user, bloc_year, caplog
):
    """Opening signing changes the stage, opens the covenant and freezes the
    sheet, then writes the StageChange: refusing that last row undoes all."""
    _refuse(StageChange._meta.db_table, "INSERT")
    client.force_login(secretariat_user)
    url = reverse("blocs:transition", args=[bloc_year.bloc_id, bloc_year.year, "open_signing"])

    with caplog.at_level(logging.ERROR, logger="config.faults"):
        response = client.post(url, {"note": "Mở ký giao ước"})

    _assert_database_error_page(response, caplog)
    bloc_year.refresh_from_db()
    assert bloc_year.stage == Stage.SETUP
    assert bloc_year.covenant.status == CovenantStatus.DRAFT
    assert not ScoringTemplate.objects.filter(
        bloc_year=bloc_year, status=TemplateStatus.FROZEN
    ).exists()
    assert not StageChange.objects.filter(bloc_year=bloc_year).exists()


def test_a_refused_sheet_update_keeps_no_score_nor_trail(client, caplog):
    """Saving self-scores writes the lines and their trail, then updates the
    sheet: refusing the sheet's update leaves the lines and the trail as
    they were."""
    year = scoring_year(stage=Stage.SCORING, members=3)
    agency = year.memberships.filter(role=MemberRole.MEMBER).get().agency
    sheet = ScoreSheet.objects.get(bloc_year=year, period=Period.YEAR_END, agency=agency)
    line = ScoreLine.objects.filter(sheet=sheet).select_related("criterion").order_by("pk")[0]
    events = ScoreEvent.objects.filter(sheet=sheet).count()
    _refuse(ScoreSheet._meta.db_table, "UPDATE")
    client.force_login(officer_of(agency))
    url = reverse(
        "covenants:score_sheet_edit", args=[year.bloc_id, year.year, Period.YEAR_END, agency.pk]
    )
    value = min(Decimal(1), line.criterion.max_points)

    with caplog.at_level(logging.ERROR, logger="config.faults"):
        response = client.post(
            url, {f"value-{line.key}": str(value), f"explanation-{line.key}": "Đã làm"}
        )

    _assert_database_error_page(response, caplog)
    line.refresh_from_db()
    assert line.self_value is None
    assert line.explanation == ""
    assert ScoreEvent.objects.filter(sheet=sheet).count() == events


def test_a_failed_submit_after_a_saved_review_keeps_neither(client, caplog):
    """The review page saves the review, then submits it, in one request: a
    database failure in the submit rolls back the save as well."""
    year = scoring_year(stage=Stage.SCORING, members=3)
    agency = year.memberships.filter(role=MemberRole.MEMBER).get().agency
    sheet = fill_self(ScoreSheet.objects.get(bloc_year=year, period=Period.YEAR_END, agency=agency))
    lines = list(ScoreLine.objects.filter(sheet=sheet).select_related("criterion").order_by("pk"))
    _refuse(ScoreSheet._meta.db_table, "UPDATE")
    client.force_login(officer_of(year.chair))
    url = reverse("covenants:score_review", args=[year.bloc_id, year.year, sheet.period, agency.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {"action": "submit", "confirm": "on"}
    for line in lines:
        data[f"value_{line.pk}"] = "1" if line.criterion.kind == "pass_fail" else "0"

    with caplog.at_level(logging.ERROR, logger="config.faults"):
        response = client.post(url, data)

    _assert_database_error_page(response, caplog)
    assert not ScoreLine.objects.filter(sheet=sheet, review_value__isnull=False).exists()
    assert not ScoreEvent.objects.filter(sheet=sheet, field="review").exists()
    sheet.refresh_from_db()
    assert not sheet.review_submitted
