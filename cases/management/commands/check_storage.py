"""manage.py check_storage: do private storage and the database agree?"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.files import dangling_rows, interrupted_uploads, orphaned_files
from cases.models import PendingUpload, private_storage

# A file younger than this may be an upload whose row is being saved right now.
ORPHAN_MIN_AGE = timedelta(hours=1)


class Command(BaseCommand):
    help = "List stored files no row accounts for and rows whose file is missing; exit 1 if there are any."

    def add_arguments(self, parser):
        parser.add_argument("--delete-orphans", action="store_true",
                            help=f"delete orphaned files older than {ORPHAN_MIN_AGE} (rows are never touched)")

    def handle(self, *args, delete_orphans=False, **options):
        orphans = orphaned_files()
        interrupted = interrupted_uploads()
        if delete_orphans:
            orphans = self._delete_old(orphans)
            interrupted = self._delete_old(interrupted, journal=True)
        dangling = dangling_rows()
        for name in orphans:
            self.stdout.write(f"orphaned file: {name}")
        for name in interrupted:
            self.stdout.write(f"interrupted upload: {name}")
        for row in dangling:
            self.stdout.write(f"missing file: {row}")
        if orphans or dangling or interrupted:
            raise CommandError(f"{len(orphans)} orphaned file(s), {len(interrupted)} interrupted upload(s), "
                               f"{len(dangling)} row(s) without their file", returncode=1)
        self.stdout.write("Storage and database are consistent.")

    def _delete_old(self, orphans: list[str], *, journal: bool = False) -> list[str]:
        storage = private_storage()
        cutoff = timezone.now() - ORPHAN_MIN_AGE
        kept = []
        for name in orphans:
            if journal:
                old = PendingUpload.objects.filter(name=name, created_at__lt=cutoff).exists()
            else:
                old = storage.get_modified_time(name) < cutoff
            if old:
                storage.delete(name)
                if journal:
                    PendingUpload.objects.filter(name=name).delete()
                self.stdout.write(f"deleted {'interrupted upload' if journal else 'orphaned file'}: {name}")
            else:
                kept.append(name)
        return kept
