"""Scoring pages: sheet (see the package docstring)."""

urlpatterns = []
