"""The secret ballot is secret by construction (issue 6; peers.md on EvaP,
OpenSlides and Helios): after votes, every table of every app is scanned
and nothing ties a voter (a user or an agency) to a choice.

* A vote changes exactly three things: one participation row (who voted,
  with a random key and nothing else), the poll's ballot counter and the
  candidates' anonymous counters. No trail row, no score event, no other
  row anywhere.
* The models themselves cannot hold the link: the participation has only
  its id, poll and agency; a candidate has no voter column; neither has a
  date, a time or a sequence; nothing points at a participation.
* Nothing is logged about the vote, not even the SQL with debug cursors on.
* The audit history (django-simple-history) keeps no ballot data: the
  participation and the counters have no history at all, the poll's history
  leaves out the counter a vote changes, and a vote adds no version to any
  historical table (the table diff covers them).
"""

import logging
import uuid

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models

from awards.models import BallotParticipation, ConferenceEvent, Poll, PollCandidate
from awards.voting import vote_cast
from members import audit
from tests.awards.voting_factories import open_poll, register, voting_year

pytestmark = pytest.mark.django_db


def _dump() -> dict:
    """Every row of every table (auto-created many-to-many tables too), by model."""
    return {
        model._meta.label: {
            row["pk"]: row for row in model._base_manager.values("pk", *_columns(model))
        }
        for model in apps.get_models(include_auto_created=True)
    }


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _diff(before: dict, after: dict) -> dict:
    """model label → (rows added, rows removed, rows changed: pk → changed columns)."""
    changes = {}
    for label, rows in after.items():
        old = before[label]
        added = set(rows) - set(old)
        removed = set(old) - set(rows)
        changed = {
            pk: {name for name in row if row[name] != old[pk][name]}
            for pk, row in rows.items()
            if pk in old and row != old[pk]
        }
        if added or removed or changed:
            changes[label] = (added, removed, changed)
    return changes


@pytest.fixture
def open_flag():
    bloc_year, secretariat, leaders = voting_year(members=6)
    register(bloc_year, secretariat)
    poll = open_poll(bloc_year, secretariat)
    return poll, leaders


def test_a_vote_changes_only_the_participation_and_the_counters(open_flag):
    poll, leaders = open_flag
    candidates = list(poll.candidates.order_by("rank").values_list("agency_id", flat=True))
    voters = list(leaders.items())
    # Several votes, each diffed against the whole database.
    for index, (agency_id, leader) in enumerate(voters[:4]):
        choice = candidates[index % 2]
        before = _dump()
        assert {"awards.HistoricalPoll", "covenants.HistoricalScoreLine"} <= set(before)
        vote_cast(poll=poll, actor=leader, choices=[choice])
        changes = _diff(before, _dump())
        assert set(changes) == {
            "awards.BallotParticipation",
            "awards.Poll",
            "awards.PollCandidate",
        }, changes
        added, removed, changed = changes["awards.BallotParticipation"]
        assert (len(added), removed, changed) == (1, set(), {})
        row = BallotParticipation.objects.get(pk=next(iter(added)))
        assert (row.poll_id, row.agency_id) == (poll.pk, agency_id)
        added, removed, changed = changes["awards.Poll"]
        assert (added, removed, changed) == (set(), set(), {poll.pk: {"ballots_returned"}})
        added, removed, changed = changes["awards.PollCandidate"]
        assert (added, removed) == (set(), set())
        chosen = PollCandidate.objects.get(poll=poll, agency_id=choice)
        assert changed == {chosen.pk: {"votes"}}
    assert not ConferenceEvent.objects.filter(action__icontains="vote").exists()


def test_the_participation_holds_who_voted_and_nothing_else():
    fields = {field.name for field in BallotParticipation._meta.get_fields()}
    assert fields == {"id", "poll", "agency"}
    assert isinstance(BallotParticipation._meta.pk, models.UUIDField)
    assert not BallotParticipation._meta.ordering


def test_a_candidate_has_no_voter_column():
    fields = {field.name for field in PollCandidate._meta.get_fields()}
    assert fields == {"id", "poll", "agency", "rank", "score", "votes"}


@pytest.mark.parametrize("model", [BallotParticipation, PollCandidate])
def test_ballot_rows_carry_no_date_time_or_sequence(model):
    kinds = (models.DateTimeField, models.DateField, models.TimeField)
    assert not [f.name for f in model._meta.concrete_fields if isinstance(f, kinds)]
    assert not [f.name for f in model._meta.concrete_fields if "order" in f.name or "seq" in f.name]


def test_nothing_in_any_app_points_at_a_participation_or_ties_a_user_to_a_poll():
    """Every model of every app: no relation to the participation (a per-ballot
    detail would need one), and none relating a poll or candidate to a user."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models(include_auto_created=True):
        related = {
            field.related_model
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model is not None
        }
        assert BallotParticipation not in related or model is BallotParticipation, model
        # A version's user is who changed that row (the secretariat, the board): a
        # vote writes no version (the diff above), so none of them is a voter.
        if {Poll, PollCandidate} & related and not _is_historical(model):
            assert user_model not in related, model


def _is_historical(model) -> bool:
    return hasattr(model, "instance_type")


def test_ballot_data_has_no_history_and_the_polls_leaves_out_its_vote_counter():
    assert not audit.is_audited(BallotParticipation)
    assert not audit.is_audited(PollCandidate)
    assert {"awards.ballotparticipation", "awards.pollcandidate"} <= set(audit.NOT_AUDITED)
    kept = {field.name for field in audit.historical_model(Poll)._meta.fields}
    assert "ballots_returned" not in kept
    assert "ballots_issued" in kept  # the rest of the poll is audited


def test_votes_add_no_version_while_the_polls_own_moves_do(open_flag):
    poll, leaders = open_flag
    opened = poll.history.latest()
    assert (opened.status, opened.history_type) == ("open", "~")
    versions = sum(audit.historical_model(m).objects.count() for m in audit.audited_models())
    for leader in leaders.values():
        vote_cast(poll=poll, actor=leader, choices=[])
    after = sum(audit.historical_model(m).objects.count() for m in audit.audited_models())
    assert after == versions


def test_participation_keys_are_random_not_sequential(open_flag):
    poll, leaders = open_flag
    for leader in leaders.values():
        vote_cast(poll=poll, actor=leader, choices=[])
    keys = list(BallotParticipation.objects.values_list("id", flat=True))
    assert len(keys) == 6
    # Version 4: random, so the keys say nothing of the order the votes came in.
    assert all(isinstance(key, uuid.UUID) for key in keys)
    assert {key.version for key in keys} == {4}


def test_after_votes_no_row_in_any_table_names_a_voter_next_to_a_choice(open_flag):
    poll, leaders = open_flag
    candidates = list(poll.candidates.order_by("rank").select_related("agency"))
    chosen = candidates[-1]
    voters = list(leaders.values())[:3]
    for leader in voters:
        vote_cast(poll=poll, actor=leader, choices=[chosen.agency_id])
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    voter_ids = {leader.pk for leader in voters}
    voter_names = {leader.get_full_name() for leader in voters} | {
        leader.username for leader in voters
    }
    for model in apps.get_models(include_auto_created=True):
        user_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is user_model
        ]
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if model is user_model:
            continue
        for row in model._base_manager.values(*user_fields, *text_fields):
            refers_to_voter = any(row[name] in voter_ids for name in user_fields) or any(
                name in str(row[field]) for field in text_fields for name in voter_names
            )
            mentions_choice = any(chosen.agency.name in str(row[field]) for field in text_fields)
            assert not (refers_to_voter and mentions_choice), (model, row)


def test_nothing_is_logged_about_a_vote_even_with_debug_cursors(open_flag, caplog):
    poll, leaders = open_flag
    choice = poll.candidates.order_by("rank").first()
    leader = next(iter(leaders.values()))
    caplog.set_level(logging.DEBUG)
    connection.force_debug_cursor = True
    try:
        vote_cast(poll=poll, actor=leader, choices=[choice.agency_id])
    finally:
        connection.force_debug_cursor = False
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "awards_pollcandidate" not in logged
    assert "awards_ballotparticipation" not in logged
    assert choice.agency.name not in logged
    assert not [r for r in caplog.records if r.name.startswith("awards")]


@pytest.mark.postgresql  # row versions are PostgreSQL's
def test_every_counter_row_is_rewritten_so_row_versions_tell_nothing(open_flag):
    poll, leaders = open_flag
    choice = poll.candidates.order_by("rank").first()
    vote_cast(poll=poll, actor=next(iter(leaders.values())), choices=[choice.agency_id])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT xmin::text FROM awards_pollcandidate WHERE poll_id = %s", [poll.pk]
        )
        versions = cursor.fetchall()
    assert len(versions) == 1
