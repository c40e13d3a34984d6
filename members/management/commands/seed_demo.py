"""Load the demo province: ``python manage.py seed_demo`` (safe to repeat).

Each local app that has demo data owns a ``demo`` module with a
``seed(context)`` function; they run in dependency order (members, blocs,
covenants, awards), each reading what the earlier ones put in ``context``.
Then the optional ``finish(context)`` functions run in the same order: blocs
walks the years through the stage machine, using the ``preparers`` that
upper apps registered for the transitions their guards check. Last, the
optional ``wrap_up(context)`` functions run, for what reads the state every
app has finished (blocs sets the deadlines and runs the day's reminders).
Running the command again finds everything by its natural key and changes
nothing.
"""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from members import audit

DEMO_PASSWORD = "thidua-demo"


def _admin(context):
    return context.get("users", {}).get("admin")


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
            demos = [
                import_module(f"{app}.demo")
                for app in settings.LOCAL_APPS
                if find_spec(f"{app}.demo") is not None
            ]
            # The services record their own actor in the history; what a demo writes
            # directly, the site administrator (members' demo creates the account) did.
            for demo in demos:
                with audit.acting(_admin(context)):
                    demo.seed(context)
            # Then each app may finish its part once all data is in place
            # (blocs walks the years through the stage machine here).
            for demo in demos:
                if hasattr(demo, "finish"):
                    with audit.acting(_admin(context)):
                        demo.finish(context)
            # Last, what reads every app's finished state (the day's reminder run).
            for demo in demos:
                if hasattr(demo, "wrap_up"):
                    with audit.acting(_admin(context)):
                        demo.wrap_up(context)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo ready. Log in as admin, board, secretariat or leader "
                f"with password {DEMO_PASSWORD}."
            )
        )
