"""The closed polls of a bloc-year read back, kind by kind (flag,
certificates, chair, vice-chair), for the results page and for the
confirmation in :mod:`awards.outcomes`.

Polls are run by :mod:`awards.voting`; only what each stored when it closed
is read here: its outcome (the tally's elected, further-round and fallback
facts, and the sentences the minutes quote) and its candidates' score and
rank. A kind may take several rounds: what it elected is the union over
its rounds, and when the last round leaves the choice to the chair and
vice-chair (rule 24) the choices are listed for the secretariat to record.
Whatever keeps a kind from confirmation is named in words.

Pure reads, in a fixed number of queries whatever the number of members.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import core, tally
from .models import POLL_ORDER, Poll, PollCandidate, PollKind, PollStatus

__all__ = [
    "KIND_NOUNS",
    "OFFICER_KINDS",
    "SMALL_POLL",
    "Elected",
    "KindResults",
    "ResultRow",
    "RoundResult",
    "needs_reason",
    "results_by_kind",
]

#: Fewer valid ballots than this and a per-candidate breakdown may reveal
#: individual votes: pages warn before showing it.
SMALL_POLL = 5

#: The poll's name inside a sentence ("The certificate poll is still open.").
KIND_NOUNS = {
    PollKind.FLAG: gettext_lazy("flag"),
    PollKind.CERTIFICATE: gettext_lazy("certificate"),
    PollKind.CHAIR: gettext_lazy("next chair"),
    PollKind.VICE_CHAIR: gettext_lazy("next vice-chair"),
}
OFFICER_KINDS = (PollKind.CHAIR, PollKind.VICE_CHAIR)


@dataclass
class ResultRow:
    agency_id: int
    name: str
    votes: int
    percent: Decimal
    passed: bool
    text: str
    rank: int | None
    score: Decimal | None
    elected: bool


@dataclass
class RoundResult:
    poll: Poll
    rows: list[ResultRow]
    warnings: list[str]
    rule_text: str
    #: Few ballots: a breakdown could reveal who voted how.
    small: bool


@dataclass
class Elected:
    agency_id: int
    name: str
    #: The round that elected it; None when the chair and vice-chair decide.
    poll: Poll | None
    result: dict
    candidate: PollCandidate | None
    base_count: int | None
    #: Chosen by the score ranking after the last round, not by votes.
    by_fallback: bool = False
    by_decision: bool = False

    @property
    def rank(self):
        return self.candidate.rank if self.candidate else None


@dataclass
class KindResults:
    kind: str
    label: str
    noun: str
    rounds: list[RoundResult] = field(default_factory=list)
    elected: list[Elected] = field(default_factory=list)
    #: The chair and vice-chair choose up to ``seats_left`` of these.
    choices: list[Elected] = field(default_factory=list)
    seats_left: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def is_officer(self) -> bool:
        return self.kind in OFFICER_KINDS


def _polls(bloc_year) -> list[Poll]:
    candidates = PollCandidate.objects.select_related("agency")
    return list(
        Poll.objects.filter(bloc_year=bloc_year)
        .prefetch_related(Prefetch("candidates", queryset=candidates))
        .order_by("kind", "round")
    )


def _entry(poll: Poll, result: dict, candidates: dict, **flags) -> Elected:
    return Elected(
        agency_id=result["agency_id"],
        name=result["name"],
        poll=poll,
        result=result,
        candidate=candidates.get(result["agency_id"]),
        base_count=(poll.outcome or {}).get("base_count"),
        **flags,
    )


def _round(poll: Poll, candidates: dict) -> RoundResult:
    outcome = poll.outcome or {}
    elected = set(outcome.get("elected", []))
    rows = []
    for result in outcome.get("results", []):
        candidate = candidates.get(result["agency_id"])
        rows.append(
            ResultRow(
                agency_id=result["agency_id"],
                name=result["name"],
                votes=result["votes"],
                percent=Decimal(result["percent"]),
                passed=result["passed"],
                text=result["text"],
                rank=candidate.rank if candidate else None,
                score=candidate.score if candidate else None,
                elected=result["agency_id"] in elected,
            )
        )
    return RoundResult(
        poll=poll,
        rows=rows,
        warnings=list(outcome.get("warnings", [])),
        rule_text=outcome.get("rule_text", ""),
        small=poll.ballots_valid < SMALL_POLL,
    )


def _kind_results(kind, polls: list[Poll], rules, members: int) -> KindResults:
    noun = str(KIND_NOUNS[kind])
    # Words, not lazy translations: the results page keeps the summaries in its cache
    # (under the language they were made in).
    summary = KindResults(kind=kind, label=str(PollKind(kind).label), noun=noun)
    if not polls:
        if kind == PollKind.FLAG and rules.flag_nominees == 0:
            return summary
        if kind == PollKind.CERTIFICATE and members and not _certificate_places(rules, members):
            return summary
        summary.problems.append(_("The %(poll)s poll has not been held.") % {"poll": noun})
        return summary
    unsettled = [poll for poll in polls if poll.status != PollStatus.CLOSED]
    if any(poll.status == PollStatus.OPEN for poll in unsettled):
        summary.problems.append(_("The %(poll)s poll is still open.") % {"poll": noun})
    elif unsettled:
        summary.problems.append(
            _("Round %(round)s of the %(poll)s poll has not been held yet.")
            % {"round": unsettled[0].round, "poll": noun}
        )
    closed = [poll for poll in polls if poll.status == PollStatus.CLOSED]
    for poll in closed:
        candidates = {c.agency_id: c for c in poll.candidates.all()}
        outcome = poll.outcome or {}
        summary.rounds.append(_round(poll, candidates))
        results = {r["agency_id"]: r for r in outcome.get("results", [])}
        seen = {e.agency_id for e in summary.elected}
        for agency_id in outcome.get("elected", []):
            if agency_id in seen or agency_id not in results:
                continue
            result = results[agency_id]
            by_fallback = not result["passed"]
            summary.elected.append(_entry(poll, result, candidates, by_fallback=by_fallback))
    if closed and not unsettled:
        last = closed[-1].outcome or {}
        candidates = {c.agency_id: c for c in closed[-1].candidates.all()}
        results = {r["agency_id"]: r for r in last.get("results", [])}
        summary.seats_left = last.get("seats_left", 0)
        if last.get("needs_decision"):
            summary.choices = [
                _entry(closed[-1], results[agency_id], candidates, by_decision=True)
                for agency_id in last.get("next_round", [])
                if agency_id in results
            ]
        elif last.get("next_round") and summary.seats_left:
            summary.problems.append(
                _("The %(poll)s poll needs round %(round)s.")
                % {"poll": noun, "round": closed[-1].round + 1}
            )
        if kind in OFFICER_KINDS and not summary.elected and not summary.choices:
            summary.problems.append(_("The %(poll)s poll elected nobody.") % {"poll": noun})
    return summary


def _certificate_places(rules, members: int) -> int:
    return tally.certificate_quota(
        members, min(rules.certificate_quota_percent, 100), flag_units=rules.flag_nominees
    )


def results_by_kind(bloc_year, *, rules=None, polls=None) -> list[KindResults]:
    """Every kind in the order of business, with its closed rounds, what it
    elected, the decision it waits for and what keeps it from confirmation."""
    rules = rules or core.rules_for(bloc_year)
    polls = _polls(bloc_year) if polls is None else polls
    members = sum(1 for m in bloc_year.memberships.all() if m.left_on is None)
    return [
        _kind_results(kind, [p for p in polls if p.kind == kind], rules, members)
        for kind in POLL_ORDER
    ]


def needs_reason(entry: Elected, rules) -> bool:
    """A flag nominee not ranked first by score needs a reason (rule 18)."""
    return rules.flag_needs_first_rank and entry.rank != 1
