"""Views of the blocs app, split by sub-domain:

- ``dashboard``: where each role lands (home, province dashboard, agency page);
- ``blocs``: blocs and opening a new bloc-year (the board's set-up work);
- ``years``: one bloc-year: overview, set-up edits and stage transitions.
"""
