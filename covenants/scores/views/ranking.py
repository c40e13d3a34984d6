"""Scoring pages: ranking (see the package docstring)."""

urlpatterns = []
