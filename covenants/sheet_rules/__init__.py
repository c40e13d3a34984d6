"""The scoring-sheet template as plain values, and the rules it must follow.

Pure on purpose: no model, no database. A template *draft* is what an edit
form, an Excel import or a stored template (``ScoringTemplate.to_draft()``)
describes; :func:`template_issues` says everything wrong with it, each
problem naming its line (“II.3 – Ứng dụng CNTT: …”), and the services refuse
to store a draft that has any.

Structure (domain.md §3.2–3.3): groups I, II, … hold criteria 1, 2, …,
which may hold one level of sub-criteria 1.1, 1.2, …. Every line has a
maximum. A criterion's kind says how it is scored:

* ``points``: any score from 0 to the maximum;
* ``pass_fail``: the maximum or 0;
* ``count``: count × points per item, capped at the maximum;
* ``bonus``: adds to the total, up to the maximum (optionally per item);
* ``deduction``: subtracts from the total, up to the maximum (optionally per item).

A group's kind is not stored: it follows from its criteria. Regular
criteria (points, pass/fail, count), bonus criteria and deduction criteria
each live in groups of their own, so a group is *regular*, *bonus* or
*deduction*.

The rules:

* the regular groups' maxima add up to the template's base total (100 or
  1,000); inside a regular group the criteria's maxima add up to the group's;
* sub-criteria add up to their parent's maximum, in every kind of group; the
  parent is scored as their sum, so its kind is points (bonus, deduction in
  those groups) and it has no points per item;
* a bonus or deduction group's maximum is the most it can add or take away;
  its criteria are alternatives, so they need not add up to it, but none may
  exceed it. The bonus cap bounds every bonus line *and* the bonus groups
  together; the deduction cap, when set, does the same for deductions (no
  cap means a unit may lose any number of points, the total stopping at 0);
* a count criterion needs points per item > 0; bonus and deduction criteria
  may have them (“+2 per initiative, at most 6”); points and pass/fail
  criteria may not; points per item never exceed the line's maximum;
* codes follow the numbering (groups I, II, …; criteria 1, 2, …;
  sub-criteria ``<parent>.1``, ``<parent>.2``, …) and are unique in their
  level (so at most 39 groups); titles are required and fit 500
  characters; maxima are more than 0; amounts fit the database (at most two
  decimals, below 100,000).
"""

from .checks import template_issues, validate_template
from .drafts import (
    CriterionDraft,
    GroupDraft,
    Issue,
    TemplateDraft,
    TemplateTotals,
    template_totals,
)
from .kinds import (
    DEFAULT_BASE_TOTAL,
    DEFAULT_BONUS_CAP,
    KIND_NAMES,
    MAX_AMOUNT,
    MAX_TITLE,
    GroupKind,
    Kind,
    family_of,
    format_points,
    is_group_code,
)

__all__ = [
    "DEFAULT_BASE_TOTAL",
    "DEFAULT_BONUS_CAP",
    "KIND_NAMES",
    "MAX_AMOUNT",
    "MAX_TITLE",
    "CriterionDraft",
    "GroupDraft",
    "GroupKind",
    "Issue",
    "Kind",
    "TemplateDraft",
    "TemplateTotals",
    "family_of",
    "format_points",
    "is_group_code",
    "template_issues",
    "template_totals",
    "validate_template",
]
