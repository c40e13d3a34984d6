"""Scoring a bloc-year: members' sheets, blind review, reconciliation,
ranking, the mid-year review and the initiatives register (issue 5).

- ``values``: stored line values ↔ the pure :mod:`covenants.scoring` inputs;
- ``visibility``: who sees which of the three values, as a pure rule;
- ``permissions``: who may do what with a sheet;
- ``core``: the shared service steps (lock, move, trail, settings);
- ``services`` (self-scoring, evidence), ``review`` (assignment, blind
  review, reconciliation), ``ranking`` (publication, tables), ``mid_year``
  (conference record, initiatives): one function per change;
- ``selectors``: what the pages read, with the visibility rule applied in
  the query itself.
"""
