"""Scoring pages, one module per sub-domain: ``sheet`` (a member's
self-scores and evidence), ``review`` (assignment, blind review,
reconciliation, history), ``ranking`` (table, publication, charts, Excel),
``mid_year`` (the review record, its minutes, initiatives, settings)."""
