from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CovenantsConfig(AppConfig):
    """Yearly covenants and their scoring sheets (issue 4 onwards)."""

    name = "covenants"
    verbose_name = _("Covenants and scoring")

    def ready(self):
        from . import (
            deadlines,  # noqa: F401  (registers the deadline checkers)
            guards,  # noqa: F401  (plugs the covenant into the stage machine)
        )
