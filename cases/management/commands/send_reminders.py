"""Send the opt-in reminder e-mails that are due (issue 18).

Run by a timer in production (docs/deploy.md), or enqueue ``cases.tasks.send_reminders`` for the
``db_worker``. ``--dry-run`` prints what would be sent and sends and records nothing. Exits 0.
"""

from django.core.management.base import BaseCommand

from cases.negotiation.reminders import send_due


class Command(BaseCommand):
    help = "Send the reminder e-mails that are due (at most one per user a day, outside quiet hours)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; send nothing.")

    def handle(self, *args, dry_run: bool, **options):
        lines = send_due(dry_run=dry_run)
        for line in lines:
            self.stdout.write(line)
        sent = sum(1 for line in lines if line.startswith(("sent", "would send")))
        self.stdout.write(f"{'Would send' if dry_run else 'Sent'} {sent} e-mail(s).")
