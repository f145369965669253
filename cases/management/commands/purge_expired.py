"""Delete closed cases kept longer than CLOSED_CASE_RETENTION_DAYS (PIPL Art 19).

Run daily (docs/deploy.md). ``--dry-run`` lists what would go and deletes nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.privacy.personal_data import purge_expired


class Command(BaseCommand):
    help = "Delete closed cases (rows and files) older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the cases that would be deleted; delete nothing.")
        parser.add_argument(
            "--days", type=int, default=None,
            help="Retention in days after closing (default: settings.CLOSED_CASE_RETENTION_DAYS).",
        )

    def handle(self, *args, dry_run: bool, days: int | None, **options):
        days = settings.CLOSED_CASE_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        ids = purge_expired(days, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"Retention: closed cases are kept {days} days after closing.")
        if not ids:
            self.stdout.write("No closed case is past its retention period.")
            return
        self.stdout.write(f"{verb} {len(ids)} case(s): ids {', '.join(map(str, ids))}")
        if dry_run:
            self.stdout.write("Dry run: nothing was deleted.")
        else:
            self.stdout.write(self.style.SUCCESS("Their rows and files are gone; the audit trail keeps pseudonymous references."))
