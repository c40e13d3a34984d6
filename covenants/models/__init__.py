"""Covenants and scoring sheets of a bloc-year.

- ``covenant``: the covenant, its commitments, adopted documents, signatures
  and their history;
- ``sheet``: the scoring-sheet template (groups, criteria, versions).
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
from .sheet import (
    CriterionKind,
    ScoringCriterion,
    ScoringGroup,
    ScoringTemplate,
    TemplateStatus,
)

__all__ = [
    "COVENANT_TRANSITIONS",
    "Commitment",
    "Covenant",
    "CovenantAttachment",
    "CovenantEvent",
    "CovenantStatus",
    "CriterionKind",
    "ScoringCriterion",
    "ScoringGroup",
    "ScoringTemplate",
    "Signature",
    "SignatureMethod",
    "SignatureStatus",
    "TemplateStatus",
]
