"""The national-scale dataset behind ``manage.py seed_scale`` (issue 9, "Scale data").

Synthetic provinces ``scale-01``… with their blocs, member agencies and accounts, and
complete closed years: covenant signed, frozen scoring sheet, mid-year and year-end score
sheets with self, review and agreed values on every line, the published ranking, the
mid-year review, the year-end conference with its closed secret-ballot polls, proposals
with achievement reports and the board's decisions, the flag handover and the issued
documents' register lines — the size the benchmark measures the pages against.

- ``presets``: the shapes (national, province, ci) and the row counts they make;
- ``template``: the scoring sheet and the members' values (pure);
- ``people``: provinces, agencies, accounts, blocs;
- ``years``: the bloc-year, its members, stage trail, covenant and sheet template;
- ``scores``: score sheets and lines, the ranking, mid-year review, initiatives;
- ``conference``: rules, attendance, polls (secret ballot kept), proposals, handover;
- ``documents``: register lines and issued documents' metadata (no PDF stored);
- ``writer``: ids up front and bulk inserts (``COPY`` on PostgreSQL);
- ``build`` and ``reset``: the run, province by province, and the clean-up.

**No audit history.** The rows are synthetic and written in bulk, which bypasses
django-simple-history: no historical row is written, and ``--reset`` deletes without
writing any either.
"""

from .build import SCALE_PASSWORD, build
from .presets import CODE_PREFIX, PRESETS, Preset, expected_counts
from .reset import Shape, existing_shape, reset

__all__ = [
    "CODE_PREFIX",
    "PRESETS",
    "SCALE_PASSWORD",
    "Preset",
    "Shape",
    "build",
    "existing_shape",
    "expected_counts",
    "reset",
]
