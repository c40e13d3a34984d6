"""Year-end conference, ballots and award proposals of a bloc-year.

- ``rules``: the province's voting defaults, a year's rules (frozen when
  voting opens) and each member's eligibility;
- ``conference``: the conference record, attendance, counting committee;
- ``polls``: polls with their candidates' anonymous counters and the
  separate record of who has voted (secret by construction);
- ``outcomes``: award proposals, achievement reports, the flag handover;
- ``decisions``: the board's decision on each proposal;
- ``bundles``: the province-wide dossier the board has built in the background.
"""

from .bundles import BundleStatus, ProvinceDossier
from .conference import (
    Attendance,
    Conference,
    ConferenceEvent,
    ConferenceStatus,
    CountingMember,
    CountingRole,
)
from .decisions import DecisionOutcome, ProposalDecision
from .outcomes import AchievementReport, AwardKind, AwardProposal, FlagHandover, ReportStatus
from .polls import (
    POLL_ORDER,
    POLL_TRANSITIONS,
    BallotParticipation,
    Poll,
    PollCandidate,
    PollKind,
    PollMode,
    PollStatus,
)
from .rules import (
    Eligibility,
    Fallback,
    ProvinceVotingDefaults,
    TaskCompletion,
    ThresholdBase,
    VotingRules,
)

__all__ = [
    "POLL_ORDER",
    "POLL_TRANSITIONS",
    "AchievementReport",
    "Attendance",
    "AwardKind",
    "AwardProposal",
    "BallotParticipation",
    "BundleStatus",
    "Conference",
    "ConferenceEvent",
    "ConferenceStatus",
    "CountingMember",
    "CountingRole",
    "DecisionOutcome",
    "Eligibility",
    "Fallback",
    "FlagHandover",
    "Poll",
    "PollCandidate",
    "PollKind",
    "PollMode",
    "PollStatus",
    "ProposalDecision",
    "ProvinceDossier",
    "ProvinceVotingDefaults",
    "ReportStatus",
    "TaskCompletion",
    "ThresholdBase",
    "VotingRules",
]
