"""Covenants and scoring sheets of a bloc-year.

- ``covenant``: the covenant, its commitments, adopted documents, signatures
  and their history;
- ``sheet``: the scoring-sheet template (groups, criteria, versions);
- ``score``: members' score sheets (self, review, final), evidence and
  their trail;
- ``scoring_year``: periods, the year's scoring settings and the ranking's
  publication;
- ``midyear``: the mid-year review record, the initiatives register and the
  year-level scoring trail;
- ``meetings``: the fields every meeting record shares (the mid-year review's
  and the year-end conference's).
"""

from .covenant import (
    COVENANT_TRANSITIONS,
    Commitment,
    Covenant,
    CovenantAttachment,
    CovenantEvent,
    CovenantStatus,
    Signature,
    SignatureMethod,
    SignatureStatus,
)
from .meetings import MeetingRecord
from .midyear import (
    Initiative,
    InitiativeLevel,
    MidYearReview,
    MidYearStatus,
    ScoringYearEvent,
)
from .score import (
    SHEET_TRANSITIONS,
    Evidence,
    ScoreEvent,
    ScoreLine,
    ScoreSheet,
    SheetStatus,
    private_storage,
)
from .scoring_year import LatePolicy, Period, RankingPublication, ScoringSettings
from .sheet import (
    CriterionKind,
    ScoringCriterion,
    ScoringGroup,
    ScoringTemplate,
    TemplateStatus,
)

__all__ = [
    "COVENANT_TRANSITIONS",
    "SHEET_TRANSITIONS",
    "Commitment",
    "Covenant",
    "CovenantAttachment",
    "CovenantEvent",
    "CovenantStatus",
    "CriterionKind",
    "Evidence",
    "Initiative",
    "InitiativeLevel",
    "LatePolicy",
    "MeetingRecord",
    "MidYearReview",
    "MidYearStatus",
    "Period",
    "RankingPublication",
    "ScoreEvent",
    "ScoreLine",
    "ScoreSheet",
    "ScoringCriterion",
    "ScoringGroup",
    "ScoringSettings",
    "ScoringTemplate",
    "ScoringYearEvent",
    "SheetStatus",
    "Signature",
    "SignatureMethod",
    "SignatureStatus",
    "TemplateStatus",
    "private_storage",
]
