"""Load the demo province: ``python manage.py seed_demo`` (safe to repeat).

Each local app that has demo data owns a ``demo`` module with a
``seed(context)`` function; they run in dependency order (members, blocs,
covenants, awards), each reading what the earlier ones put in ``context``.
Running the command again finds everything by its natural key and changes
nothing.
"""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

DEMO_PASSWORD = "thidua-demo"


class Command(BaseCommand):
    help = "Create (or complete) the demo province, blocs, years and accounts."

    def handle(self, *args, **options):
        context = {"password": DEMO_PASSWORD, "log": self.stdout.write}
        # Stage changes mail the members; demo mail would only flood the console.
        with (
            override_settings(
                MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
            ),
            transaction.atomic(),
        ):
            for app in settings.LOCAL_APPS:
                if find_spec(f"{app}.demo") is not None:
                    import_module(f"{app}.demo").seed(context)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo ready. Log in as admin, board, secretariat or leader "
                f"with password {DEMO_PASSWORD}."
            )
        )
