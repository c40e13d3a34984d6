"""Many leaders vote at the same moment: the counts are exact, and one
agency voting twice at once counts once.

Each thread votes through its own database connection, released at the
thread's end, all of them let go together by a barrier. On PostgreSQL
(``scripts/test-pg.sh``) this is the real proof: the votes race for the
poll's row lock and the participation's unique constraint. SQLite has no
row locks and one writer at a time (its in-memory test database refuses a
second writer instead of waiting), so there the threads take turns
through a lock: the test still checks the counts, not the race.
"""

import threading
from contextlib import nullcontext

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from awards.models import BallotParticipation, Poll, PollCandidate
from awards.voting import vote_cast
from tests.awards.voting_factories import open_poll, register, voting_year

pytestmark = pytest.mark.django_db(transaction=True)

_TURNS = threading.Lock() if connection.vendor == "sqlite" else None


def _race(jobs) -> list:
    """Run ``jobs`` (callables) at the same moment, one thread each; their
    outcomes (None or the exception raised), in order."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=30)
            with _TURNS or nullcontext():
                job()
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


@pytest.fixture
def open_flag():
    bloc_year, secretariat, leaders = voting_year(members=9)
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    return poll, leaders


def test_eight_leaders_voting_at_once_are_counted_exactly(open_flag):
    poll, leaders = open_flag
    first, second = PollCandidate.objects.filter(poll=poll).order_by("rank")[:2]
    voters = list(leaders.values())[:8]
    choices = [[first.agency_id]] * 5 + [[second.agency_id]] * 2 + [[]]

    def job(leader, chosen):
        return lambda: vote_cast(poll=poll, actor=leader, choices=chosen)

    outcomes = _race([job(leader, chosen) for leader, chosen in zip(voters, choices, strict=True)])
    assert outcomes == [None] * 8
    poll = Poll.objects.get(pk=poll.pk)
    assert poll.ballots_returned == 8
    assert PollCandidate.objects.get(pk=first.pk).votes == 5
    assert PollCandidate.objects.get(pk=second.pk).votes == 2
    assert sum(PollCandidate.objects.filter(poll=poll).values_list("votes", flat=True)) == 7
    assert BallotParticipation.objects.filter(poll=poll).count() == 8


def test_one_agency_voting_twice_at_once_counts_once(open_flag):
    poll, leaders = open_flag
    first = PollCandidate.objects.filter(poll=poll).order_by("rank").first()
    leader = next(iter(leaders.values()))
    outcomes = _race([lambda: vote_cast(poll=poll, actor=leader, choices=[first.agency_id])] * 4)
    assert outcomes.count(None) == 1
    refused = [outcome for outcome in outcomes if outcome is not None]
    assert all(isinstance(outcome, ValidationError) for outcome in refused)
    assert {outcome.code for outcome in refused} == {"already_voted"}
    assert Poll.objects.get(pk=poll.pk).ballots_returned == 1
    assert PollCandidate.objects.get(pk=first.pk).votes == 1
    assert BallotParticipation.objects.filter(poll=poll).count() == 1
