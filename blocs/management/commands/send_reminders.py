"""Daily: remind who is due before a deadline, escalate after it.

Run once a day (cron or a systemd timer). Running it twice on the same day
sends nothing twice: every reminder is logged with a unique row first.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from blocs.deadlines.reminders import send_reminders


class Command(BaseCommand):
    help = "Send the deadline reminders due today (before the deadline and overdue)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today must be YYYY-MM-DD: {exc}") from exc
        sent = send_reminders(today=today)
        self.stdout.write(f"{len(sent)} reminder(s) sent for {today.isoformat()}.")
