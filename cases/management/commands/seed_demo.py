from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases import demo


class Command(BaseCommand):
    help = "Create (or complete) the demo user, a reviewer and a realistic demo case. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even when DEBUG is off (a staging site). The demo logins are public: never on a live site.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG is off: this looks like a production site, and the demo logins are public. "
                "Use --allow-production on a staging site only."
            )
        result = demo.seed()
        self.stdout.write(
            self.style.SUCCESS("Demo data ready.")
            + f"\n  user:     {demo.DEMO_USERNAME} / {demo.DEMO_PASSWORD}"
            + f"\n  reviewer: {demo.REVIEWER_USERNAME} / {demo.REVIEWER_PASSWORD} (admin at /admin/)"
            + f"\n  case:     #{result['case'].pk} {result['case'].title}"
        )
