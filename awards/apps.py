from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    """Year-end secret ballots and award proposals (issue 6 onwards)."""

    name = "awards"
    verbose_name = _("Ballots and award proposals")

    def ready(self):
        from . import (
            deadlines,  # noqa: F401  (registers the deadline checkers)
            guards,  # noqa: F401  (plugs the conference into the stage machine)
        )
