"""``seed_scale`` builds the synthetic national-scale dataset (issue 9): here its ``ci``
preset, built once for the module, on SQLite and PostgreSQL alike.

The rows are what the preset's arithmetic says, each one passed the database's
constraints on the way in and a sample passes ``full_clean()``; the scores, the ranking,
the polls and the proposals agree as the pages compute them; the bloc-year's pages open
for its secretariat; a second run changes nothing; ``--reset`` deletes the scale data
and nothing else, and a rebuild gives the same data again.
"""

import io
import uuid

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from awards.models import AwardProposal, BallotParticipation, Poll, PollCandidate
from awards.scale import CODE_PREFIX, PRESETS, expected_counts, reset
from awards.scale.template import scale_template
from blocs.models import BlocYear
from covenants.models import Period, ScoreLine, ScoringTemplate
from covenants.scores.ranking import ranking_table
from covenants.sheet_rules import template_issues, template_totals
from members.models import User
from tests.blocs.factories import ready_bloc_year

pytestmark = pytest.mark.django_db

PRESET = PRESETS["ci"]


def _counts() -> dict[str, int]:
    """Rows of every table (history and many-to-many tables too), by model label."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def _fingerprint() -> list:
    """What the seeded generator decided: every value, counter and proposal."""
    lines = ScoreLine.objects.filter(sheet__bloc_year__bloc__province__code__startswith="scale-")
    return [
        list(
            lines.order_by(
                "sheet__bloc_year__bloc__province__code",
                "sheet__bloc_year__bloc__number",
                "sheet__bloc_year__year",
                "sheet__period",
                "sheet__agency__code",
                "order",
            ).values_list("self_value", "review_value", "final_value", "final_reason")
        ),
        sorted(
            PollCandidate.objects.values_list(
                "poll__bloc_year__bloc__province__code",
                "poll__bloc_year__year",
                "poll__kind",
                "agency__code",
                "votes",
                "rank",
                "score",
            )
        ),
        sorted(
            AwardProposal.objects.values_list(
                "bloc_year__bloc__province__code", "bloc_year__year", "agency__code", "award"
            )
        ),
    ]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A small ordinary province first (so that ``--reset`` has something to spare),
    then the ``ci`` preset through the command; all rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        ready_bloc_year(members=3)
        before, statistics = _counts(), _row_estimates()
        output = io.StringIO()
        call_command("seed_scale", "--preset", "ci", stdout=output)
        connection.check_constraints()
        yield {
            "before": before,
            "after": _counts(),
            "output": output.getvalue(),
            "statistics": (statistics, _row_estimates()),
        }
        transaction.set_rollback(True)


def _row_estimates() -> dict[str, float]:
    """PostgreSQL's planner row counts per table (kept through a rollback)."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        return dict(cursor.fetchall())


@pytest.mark.postgresql
def test_inside_a_transaction_the_planner_statistics_are_left_alone(world):
    """ANALYZE in a transaction that is rolled back would leave the tables it did not
    fill "analyzed empty" for good (a later test's update planned as nested loops over
    thousands of rows took minutes): the command analyzes only committed data."""
    before, after = world["statistics"]
    assert after == before
    assert "ANALYZE" not in world["output"]


def _template_shape():
    draft = scale_template(PRESET.criteria)
    return len(draft.groups), sum(1 + len(c.children) for g in draft.groups for c in g.criteria)


def test_the_rows_are_what_the_preset_arithmetic_says(world):
    expected = expected_counts(PRESET, *_template_shape())
    written = {label: world["after"][label] - world["before"][label] for label in world["after"]}
    assert {label: written[label] for label in expected} == expected
    # Nothing else was written: no audit history, no row of another table.
    assert {label for label, count in written.items() if count} == set(expected)
    assert "Scale data ready" in world["output"]


def test_a_sample_of_every_model_passes_full_clean(world):
    for label in expected_counts(PRESET, *_template_shape()):
        model = apps.get_model(label)
        rows = model._base_manager.order_by("-pk")[:3]
        assert rows, label
        for row in rows:
            row.full_clean()


def test_the_scoring_sheet_is_frozen_valid_and_has_the_asked_lines(world):
    template = ScoringTemplate.objects.with_content().filter(
        bloc_year__bloc__province__code__startswith=CODE_PREFIX
    )[0]
    draft = template.to_draft()
    assert template.is_frozen
    assert template_issues(draft) == []
    assert template_totals(draft).scored_lines == PRESET.criteria
    assert draft == scale_template(PRESET.criteria)


def test_the_conference_quotes_the_ranking_the_pages_compute(world):
    scale_years = BlocYear.objects.filter(bloc__province__code__startswith=CODE_PREFIX)
    for bloc_year in scale_years:
        table = ranking_table(bloc_year, Period.YEAR_END)
        assert table.missing == []
        assert table.publication is not None
        ranked = {row.agency.pk: (row.rank, row.total) for row in table.rows}
        assert len(ranked) == PRESET.members
        candidates = PollCandidate.objects.filter(poll__bloc_year=bloc_year)
        assert {c.agency_id: (c.rank, c.score) for c in candidates} == ranked
        flag = AwardProposal.objects.get(bloc_year=bloc_year, award="flag")
        assert (flag.rank, flag.score) == ranked[flag.agency_id]
        assert flag.rank == 1


def test_closed_polls_keep_the_ballot_secret_and_consistent(world):
    for poll in Poll.objects.filter(bloc_year__bloc__province__code__startswith=CODE_PREFIX):
        participations = BallotParticipation.objects.filter(poll=poll)
        assert poll.is_closed
        assert poll.outcome["elected"]
        assert participations.count() == poll.ballots_returned == poll.members == PRESET.members
        assert all(p.id.version == 4 for p in participations)
        votes = sum(poll.candidates.values_list("votes", flat=True))
        assert 0 < votes <= poll.seats * poll.ballots_valid
    ids = list(BallotParticipation.objects.values_list("id", flat=True))
    assert len(set(ids)) == len(ids)
    assert all(isinstance(i, uuid.UUID) for i in ids)


def test_the_bloc_year_pages_open_for_its_secretariat(world, client):
    bloc_year = BlocYear.objects.filter(bloc__province__code__startswith=CODE_PREFIX).latest(
        "year", "pk"
    )
    chair = bloc_year.chair
    officer = User.objects.get(agency=chair, agency_role="officer")
    client.force_login(officer)
    year = {"pk": bloc_year.bloc_id, "year": bloc_year.year}
    sheet = {**year, "period": Period.YEAR_END, "agency": chair.pk}
    poll = Poll.objects.filter(bloc_year=bloc_year).first()
    pages = [
        reverse("blocs:year", kwargs=year),
        reverse("blocs:bloc", kwargs={"pk": bloc_year.bloc_id}),
        reverse("covenants:detail", kwargs=year),
        reverse("covenants:sheet", kwargs=year),
        reverse("covenants:scores", kwargs=year),
        reverse("covenants:ranking", kwargs={**year, "period": Period.YEAR_END}),
        reverse("covenants:score_sheet", kwargs=sheet),
        reverse("covenants:score_reconcile", kwargs=sheet),
        reverse("covenants:score_reviewers", kwargs={**year, "period": Period.YEAR_END}),
        reverse("covenants:score_history", kwargs=sheet),
        reverse("covenants:score_results", kwargs={**year, "agency": chair.pk}),
        reverse("covenants:mid_year", kwargs=year),
        reverse("covenants:initiatives", kwargs=year),
        reverse("awards:conference", kwargs=year),
        reverse("awards:rules", kwargs=year),
        reverse("awards:poll", kwargs={**year, "poll": poll.pk}),
        reverse("awards:results", kwargs=year),
        reverse("awards:proposals", kwargs=year),
    ]
    statuses = {page: client.get(page).status_code for page in pages}
    assert {page: status for page, status in statuses.items() if status != 200} == {}


def test_a_second_run_changes_nothing_and_another_shape_is_refused(world):
    output = io.StringIO()
    call_command("seed_scale", "--preset", "ci", stdout=output)
    assert "nothing to do" in output.getvalue()
    assert _counts() == world["after"]
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_scale", "--preset", "ci", "--years", "1", stdout=io.StringIO())


def test_reset_removes_only_the_scale_data_and_a_rebuild_is_identical(world):
    built = _fingerprint()
    reset(log=lambda message: None)
    connection.check_constraints()
    assert _counts() == world["before"]
    call_command("seed_scale", "--preset", "ci", stdout=io.StringIO())
    assert _counts() == world["after"]
    assert _fingerprint() == built
