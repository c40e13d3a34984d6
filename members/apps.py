from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Agencies and people")

    def ready(self):
        from . import caching, collation  # noqa: F401  (the write watch; SQLite's "vi")
        from .importers import Importer, register_importer
        from .imports import apply_people_import, people_template, plan_people_import
        from .models import ImportKind

        register_importer(
            Importer(
                kind=ImportKind.PEOPLE,
                plan=plan_people_import,
                apply=apply_people_import,
                template=people_template,
                template_name="mau-co-quan-can-bo.xlsx",
            )
        )
