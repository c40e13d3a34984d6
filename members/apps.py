from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Agencies and people")

    def ready(self):
        from . import collation  # noqa: F401  (registers the SQLite "vi" collation)
