"""Scoring pages: mid_year (see the package docstring)."""

urlpatterns = []
