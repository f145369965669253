"""manage.py check_storage: do private storage and the database agree?"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.files import dangling_rows, orphaned_files
from cases.models import private_storage

# A file younger than this may be an upload whose row is being saved right now.
ORPHAN_MIN_AGE = timedelta(hours=1)


class Command(BaseCommand):
    help = "List stored files no row accounts for and rows whose file is missing; exit 1 if there are any."

    def add_arguments(self, parser):
        parser.add_argument("--delete-orphans", action="store_true",
                            help=f"delete orphaned files older than {ORPHAN_MIN_AGE} (rows are never touched)")

    def handle(self, *args, delete_orphans=False, **options):
        orphans = orphaned_files()
        if delete_orphans:
            orphans = self._delete_old(orphans)
        dangling = dangling_rows()
        for name in orphans:
            self.stdout.write(f"orphaned file: {name}")
        for row in dangling:
            self.stdout.write(f"missing file: {row}")
        if orphans or dangling:
            raise CommandError(f"{len(orphans)} orphaned file(s), {len(dangling)} row(s) without their file",
                               returncode=1)
        self.stdout.write("Storage and database are consistent.")

    def _delete_old(self, orphans: list[str]) -> list[str]:
        storage = private_storage()
        cutoff = timezone.now() - ORPHAN_MIN_AGE
        kept = []
        for name in orphans:
            if storage.get_modified_time(name) < cutoff:
                storage.delete(name)
                self.stdout.write(f"deleted orphaned file: {name}")
            else:
                kept.append(name)
        return kept
