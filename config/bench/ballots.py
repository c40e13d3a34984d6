"""Fifteen ballots cast at once through the real vote view.

The measured bloc's 15 member leaders each get a thread, a test ``Client`` signed in as
them and their own database connection (Django's are per thread). A barrier lets them
go together; each POSTs its ballot to ``awards:vote`` (the view, its form and
``awards.voting.vote_cast`` with its row lock) and is timed until its answer. A ballot
counts as an error unless it answers with the redirect of a recorded vote; afterwards
the poll must hold exactly 15 participations and 15 returned ballots, else every ballot
is counted as an error. The poll's votes are cleared first (:func:`.world.reset_poll`).

The test client does not check CSRF tokens; everything after that check is the
production path. Threads share one Python process (the GIL), as two gunicorn workers
would not: the times are an upper bound for the view, which is what the p95 reports.
"""

from __future__ import annotations

import threading
import time

from django.db import connections
from django.urls import reverse

from . import world
from .pages import client_for
from .stats import p95


def measure(*, voters: int = world.MEMBERS) -> dict:
    from awards.models import BallotParticipation, Poll, PollCandidate

    found = world.find()
    if found is None or found.poll_id is None:
        raise RuntimeError("The benchmark's open poll is missing: run the world step first.")
    world.reset_poll(found.poll_id)
    poll = Poll.objects.get(pk=found.poll_id)
    candidates = list(
        PollCandidate.objects.filter(poll=poll).order_by("pk").values_list("agency_id", flat=True)
    )
    path = reverse("awards:vote", args=[found.bloc_id, world.CONFERENCE_YEAR, poll.pk])
    clients = [client_for(world.username("leader", i)) for i in range(1, voters + 1)]
    barrier = threading.Barrier(voters)
    times: list[float | None] = [None] * voters
    errors: list[str] = []

    def cast(index: int) -> None:
        choice = candidates[index % len(candidates)]
        try:
            barrier.wait(timeout=60)
            start = time.perf_counter()
            response = clients[index].post(path, {"choices": [choice]})
            times[index] = time.perf_counter() - start
            if response.status_code != 302:
                errors.append(f"leader {index + 1}: HTTP {response.status_code}")
        except Exception as error:  # every failure is a failed ballot
            errors.append(f"leader {index + 1}: {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(i,)) for i in range(voters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    poll.refresh_from_db()
    participations = BallotParticipation.objects.filter(poll=poll).count()
    counted = sum(PollCandidate.objects.filter(poll=poll).values_list("votes", flat=True))
    if (participations, poll.ballots_returned, counted) != (voters, voters, voters):
        errors.append(
            f"poll holds {participations} participations, {poll.ballots_returned} ballots "
            f"returned, {counted} votes for {voters} voters"
        )
    done = [t for t in times if t is not None]
    return {
        "voters": voters,
        "errors": errors,
        "error_count": min(len(errors), voters) if errors else 0,
        "times": done,
        "p95": p95(done) if done else float("nan"),
    }
