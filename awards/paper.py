"""Paper polls: the counting committee's counts, checked, then the tally.

The committee (ban kiểm phiếu) counts the numbered paper ballots and the
secretariat types its counts in. Before anything is saved the counts must
be possible (peers.md, "reconciliation checks"): every ballot issued is
either returned or spoiled (spoiled while voting and replaced: issued =
returned + spoiled), no more ballots returned than units present (so valid
ballots ≤ present), no more invalid than returned, no candidate with more
votes than valid ballots, and no more approvals than valid ballots × places
(a valid ballot approves at most one candidate per place). Each refusal
names its field, so the page puts it next to what was typed; with any error
nothing is saved.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members import audit

from . import core
from .conference import check_manage, check_not_confirmed, conference_for
from .counting import close_with_tally
from .models import Poll, PollCandidate, PollMode

__all__ = ["count_errors", "paper_count_enter"]


def _whole(value) -> int | None:
    """``value`` as a count (a whole number, 0 or more), else None."""
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def count_errors(
    poll: Poll, *, issued, returned, invalid, votes: dict, candidates, spoiled=0
) -> dict:
    """Every reason the counts are impossible, by field (``votes_<agency id>``
    for a candidate); empty when they may be accepted. Pure."""
    errors = {}
    numbers = {
        "issued": _whole(issued),
        "returned": _whole(returned),
        "invalid": _whole(invalid),
        "spoiled": _whole(spoiled),
    }
    for name, number in numbers.items():
        if number is None:
            errors[name] = _("Enter a whole number, 0 or more.")
    ids = {candidate.agency_id for candidate in candidates}
    unknown = set(votes) - ids
    if unknown:
        errors["__all__"] = _("Votes were entered for a unit that is not a candidate.")
    counts = {}
    for agency_id in ids:
        number = _whole(votes.get(agency_id, 0))
        if number is None:
            errors[f"votes_{agency_id}"] = _("Enter a whole number, 0 or more.")
        counts[agency_id] = number
    if errors:
        return errors
    issued, returned = numbers["issued"], numbers["returned"]
    invalid, spoiled = numbers["invalid"], numbers["spoiled"]
    if issued != returned + spoiled:
        errors["issued"] = _(
            "Ballots issued (%(issued)s) must equal ballots returned (%(returned)s) plus "
            "spoiled ballots (%(spoiled)s)."
        ) % {"issued": issued, "returned": returned, "spoiled": spoiled}
    if returned > poll.present:
        errors["returned"] = _(
            "More ballots returned than members present (%(present)s): one ballot per member."
        ) % {"present": poll.present}
    if invalid > returned:
        errors["invalid"] = _("More invalid ballots than ballots returned (%(returned)s).") % {
            "returned": returned
        }
    if errors:
        return errors
    valid = returned - invalid
    for agency_id, number in counts.items():
        if number > valid:
            errors[f"votes_{agency_id}"] = _("More votes than valid ballots (%(valid)s).") % {
                "valid": valid
            }
    total = sum(counts.values())
    if not errors and total > valid * poll.seats:
        errors["__all__"] = _(
            "%(total)s votes in all on %(valid)s valid ballots for %(seats)s place(s): a valid "
            "ballot approves at most one candidate per place, so at most %(most)s."
        ) % {"total": total, "valid": valid, "seats": poll.seats, "most": valid * poll.seats}
    return errors


@audit.service
@transaction.atomic
def paper_count_enter(
    *, poll, actor, issued: int, returned: int, invalid: int, votes: dict, spoiled: int = 0
) -> Poll:
    """Enter the committee's counts of an open paper poll and close it with
    the tally. ``votes``: agency id → votes (a missing candidate has 0)."""
    bloc_year = core.lock_year(poll.bloc_year)
    poll = core.lock_poll(poll)
    check_manage(
        actor, bloc_year, what=_("Only the secretariat enters the counting committee's counts.")
    )
    check_not_confirmed(conference_for(bloc_year))
    if poll.mode != PollMode.PAPER:
        raise ValidationError(
            _("This poll is electronic: its ballots count themselves."), code="electronic"
        )
    if not poll.is_open:
        raise ValidationError(_("Counts are entered for an open paper poll."), code="not_open")
    candidates = list(PollCandidate.objects.filter(poll=poll))
    votes = {int(agency_id): value for agency_id, value in votes.items()}
    errors = count_errors(
        poll,
        issued=issued,
        returned=returned,
        invalid=invalid,
        votes=votes,
        candidates=candidates,
        spoiled=spoiled,
    )
    if errors:
        raise ValidationError(errors)
    poll.ballots_issued = int(issued)
    poll.ballots_returned = int(returned)
    poll.ballots_invalid = int(invalid)
    poll.ballots_spoiled = int(spoiled)
    poll.save(
        update_fields=["ballots_issued", "ballots_returned", "ballots_invalid", "ballots_spoiled"]
    )
    for candidate in candidates:
        candidate.votes = int(votes.get(candidate.agency_id, 0))
    PollCandidate.objects.bulk_update(candidates, ["votes"])
    core.record(
        bloc_year,
        "paper_count_entered",
        actor=actor,
        note=_("%(issued)s issued, %(returned)s returned, %(invalid)s invalid, %(spoiled)s spoiled")
        % {"issued": issued, "returned": returned, "invalid": invalid, "spoiled": spoiled},
    )
    return close_with_tally(poll, actor=actor, bloc_year=bloc_year)
