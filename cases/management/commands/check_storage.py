"""manage.py check_storage: do private storage and the database agree?"""

from django.core.management.base import BaseCommand, CommandError

from cases.integrity import dangling_rows, orphaned_files


class Command(BaseCommand):
    help = "List stored files no row accounts for and rows whose file is missing; exit 1 if there are any."

    def handle(self, *args, **options):
        orphans = orphaned_files()
        dangling = dangling_rows()
        for name in orphans:
            self.stdout.write(f"orphaned file: {name}")
        for row in dangling:
            self.stdout.write(f"missing file: {row}")
        if orphans or dangling:
            raise CommandError(f"{len(orphans)} orphaned file(s), {len(dangling)} row(s) without their file",
                               returncode=1)
        self.stdout.write("Storage and database are consistent.")
