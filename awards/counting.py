"""Deciding a poll from its counters: the pure tally's input, its outcome
in the reader's language for pages, and the outcome stored at closing.

``poll.outcome`` is the record the minutes and the results quote, so it is
written in the documents' language (Vietnamese), whatever the language of
whoever closed the poll; pages recompute it in the reader's language with
:func:`poll_outcome`. Its keys are read by :mod:`awards.outcomes` and the
documents: keep them.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.pdf import DOCUMENT_LANGUAGE
from members import audit

from . import core, tally
from .models import Poll, PollCandidate

__all__ = [
    "close_with_tally",
    "outcome_json",
    "poll_input",
    "poll_label",
    "poll_outcome",
    "threshold_of",
]


def threshold_of(values) -> tally.Threshold:
    """The tally's threshold from a poll's snapshot (a Poll or its field values)."""
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    return tally.Threshold(
        get("threshold_numerator"),
        get("threshold_denominator"),
        get("threshold_strict"),
        tally.Base(get("threshold_base")),
    )


def poll_label(poll: Poll) -> str:
    """ "Next year's chair, round 2", for the trail."""
    return _("%(poll)s, round %(round)s") % {"poll": poll.get_kind_display(), "round": poll.round}


def poll_input(poll: Poll, rules, candidates=None) -> tally.PollInput:
    """What the pure tally needs, from the poll's snapshot and counters."""
    candidates = list(poll.candidates.all()) if candidates is None else candidates
    return tally.PollInput(
        kind=poll.kind,
        seats=poll.seats,
        threshold=threshold_of(poll),
        members=poll.members,
        present=poll.present,
        ballots_cast=poll.ballots_returned,
        ballots_valid=poll.ballots_valid,
        votes={c.agency_id: c.votes for c in candidates},
        candidates=[
            tally.Candidate(c.agency_id, c.agency.name, c.rank, c.score) for c in candidates
        ],
        round=poll.round,
        max_rounds=rules.max_rounds,
        fallback=tally.Fallback(rules.fallback),
    )


def poll_outcome(poll: Poll, rules=None) -> tally.PollOutcome:
    """The outcome recomputed from the counters, in the active language (pages)."""
    rules = core.rules_for(poll.bloc_year) if rules is None else rules
    return tally.tally(poll_input(poll, rules))


def outcome_json(outcome: tally.PollOutcome) -> dict:
    """The outcome as ``poll.outcome`` stores it (read by the results and
    the minutes: keep the keys)."""
    return {
        "elected": [c.agency_id for c in outcome.elected],
        "next_round": [c.agency_id for c in outcome.next_round],
        "seats_left": outcome.seats_left,
        "fallback": str(outcome.fallback_applied) if outcome.fallback_applied else None,
        "needs_decision": outcome.needs_decision,
        "base_count": outcome.base_count,
        "required": outcome.required,
        "rule_text": outcome.rule_text,
        "warnings": list(outcome.warnings),
        "results": [
            {
                "agency_id": result.candidate.agency_id,
                "name": result.candidate.name,
                "votes": result.votes,
                "percent": f"{result.percent:.2f}",
                "passed": result.passed,
                "text": result.text,
            }
            for result in outcome.results
        ],
    }


@audit.service
def close_with_tally(poll: Poll, *, actor, bloc_year) -> Poll:
    """Close the locked ``poll`` and store its outcome (in the documents' language)."""
    rules = core.rules_for(bloc_year)
    candidates = list(PollCandidate.objects.filter(poll=poll).select_related("agency"))
    try:
        with translation.override(DOCUMENT_LANGUAGE):
            outcome = tally.tally(poll_input(poll, rules, candidates))
    except ValueError as error:
        raise ValidationError(
            _("These counts cannot come from real ballots: %(error)s") % {"error": error},
            code="impossible",
        ) from None
    poll.outcome = outcome_json(outcome)
    poll.closed_at = timezone.now()
    core.move_poll(poll, "close", fields=["outcome", "closed_at"])
    elected = ", ".join(c.name for c in outcome.elected) or "—"
    core.record(
        bloc_year,
        "poll_closed",
        actor=actor,
        note=_("%(poll)s: elected %(names)s") % {"poll": poll_label(poll), "names": elected},
    )
    return poll
