"""Scoring pages, one module per sub-domain: ``home`` (the scores home),
``sheet`` (a member's self-scores and evidence), ``review`` (assignment, blind review,
reconciliation, history), ``ranking`` (table, publication, charts, Excel),
``results`` (a member's results across periods and years), ``mid_year`` (the
review record, its minutes, initiatives, settings)."""
