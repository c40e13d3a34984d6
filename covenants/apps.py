from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CovenantsConfig(AppConfig):
    """Yearly covenants and their scoring sheets (issue 4 onwards)."""

    name = "covenants"
    verbose_name = _("Covenants and scoring")

    def ready(self):
        from members import audit

        from . import (
            deadlines,  # noqa: F401  (registers the deadline checkers)
            guards,  # noqa: F401  (plugs the covenant into the stage machine)
        )
        from .scores.permissions import history_hidden_fields

        # The audit history hides what the blind review hides on the sheet's pages.
        for label in ("covenants.scoresheet", "covenants.scoreline", "covenants.evidence"):
            audit.register_hidden_fields(label, history_hidden_fields)
