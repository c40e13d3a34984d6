"""Two people acting on the same thing at the same moment, on PostgreSQL:
the row locks serialise them, exactly one stage move wins, and no score
change is lost.

Each request runs in its own thread with its own database connection, the
threads let go together by a barrier, so both are in the view (and then in
the service) at once; the services lock the bloc-year or the sheet with
``select_for_update``. SQLite has no row locks and its in-memory test
database refuses a second writer, so these run on PostgreSQL only
(``make test-pg``).
"""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import translation

from blocs.models import BlocYear, MemberRole, StageChange
from blocs.services import TRANSITION_SERVICES
from blocs.stages import Stage
from covenants.models import Period, ScoreEvent, ScoreLine, ScoreSheet
from tests.blocs.factories import ready_bloc_year
from tests.covenants.factories_score import fill_self, officer_of, scoring_year

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def _race(jobs) -> list:
    """Run ``jobs`` (callables) at the same moment, one thread each; their
    results (or the exception raised), in order."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = job()
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_people_opening_signing_at_once_one_wins_the_other_is_told():
    """Through the services: one move, one StageChange; the other is refused
    with the reason (the year is no longer at set-up)."""
    bloc_year = ready_bloc_year(members=4)
    service = TRANSITION_SERVICES["open_signing"]
    first, second = officer_of(bloc_year.chair), officer_of(bloc_year.chair)

    outcomes = _race(
        [
            lambda: service(bloc_year=bloc_year, actor=first, note="A"),
            lambda: service(bloc_year=bloc_year, actor=second, note="B"),
        ]
    )

    won = [o for o in outcomes if isinstance(o, BlocYear)]
    refused = [o for o in outcomes if not isinstance(o, BlocYear)]
    assert len(won) == 1, outcomes
    assert len(refused) == 1
    assert isinstance(refused[0], ValidationError)
    assert refused[0].code == "wrong_stage"
    # The thread spoke the site's language: the reason names the year's stage now.
    with translation.override("vi"):
        assert str(Stage.SIGNING.label) in " ".join(refused[0].messages)
    assert StageChange.objects.filter(bloc_year=bloc_year).count() == 1
    assert BlocYear.objects.get(pk=bloc_year.pk).stage == Stage.SIGNING


def test_two_pages_advancing_the_same_year_one_moves_it_the_other_shows_why():
    """Through the pages: one redirect, one form shown again with the reason."""
    bloc_year = ready_bloc_year(members=4)
    url = reverse("blocs:transition", args=[bloc_year.bloc_id, bloc_year.year, "open_signing"])
    clients = [_client(officer_of(bloc_year.chair)) for _ in range(2)]

    responses = _race([lambda c=c: c.post(url, {"note": "Mở ký"}) for c in clients])

    assert sorted(r.status_code for r in responses) == [200, 302], responses
    refused = next(r for r in responses if r.status_code == 200)
    errors = refused.context["form"].non_field_errors().as_data()
    assert [error.code for error in errors] == ["wrong_stage"]
    assert StageChange.objects.filter(bloc_year=bloc_year).count() == 1


def test_two_reviewers_saving_the_same_line_at_once_lose_no_change():
    """Two secretariat officers save the review of the same line at once:
    both saves land one after the other, the trail has both, in order (the
    second's "before" is the first's "after"), and the line keeps the last."""
    year = scoring_year(stage=Stage.SCORING, members=3)
    agency = year.memberships.filter(role=MemberRole.MEMBER).get().agency
    sheet = fill_self(ScoreSheet.objects.get(bloc_year=year, period=Period.YEAR_END, agency=agency))
    line = (
        ScoreLine.objects.filter(sheet=sheet, criterion__kind="points")
        .select_related("criterion")
        .order_by("pk")
        .first()
    )
    url = reverse("covenants:score_review", args=[year.bloc_id, year.year, sheet.period, agency.pk])
    officers = [officer_of(year.chair), officer_of(year.chair)]
    values = [Decimal("1.00"), Decimal("2.00")]

    def save(client, value):
        return lambda: client.post(
            url, {f"value_{line.pk}": str(value), f"note_{line.pk}": f"Chấm {value}"}
        )

    clients = [_client(officer) for officer in officers]
    responses = _race([save(c, value) for c, value in zip(clients, values, strict=True)])

    assert [r.status_code for r in responses] == [302, 302], responses
    events = list(ScoreEvent.objects.filter(line=line, field="review").order_by("pk"))
    assert len(events) == 2
    assert events[0].old_value is None
    assert events[1].old_value == events[0].new_value
    assert {e.new_value for e in events} == set(values)
    line.refresh_from_db()
    assert line.review_value == events[1].new_value
