"""Scoring pages: review (see the package docstring)."""

urlpatterns = []
