from django.core.management.base import BaseCommand

from cases import demo


class Command(BaseCommand):
    help = "Create (or complete) the demo user, a reviewer and a realistic demo case. Safe to run again."

    def handle(self, *args, **options):
        result = demo.seed()
        self.stdout.write(
            self.style.SUCCESS("Demo data ready.")
            + f"\n  user:     {demo.DEMO_USERNAME} / {demo.DEMO_PASSWORD}"
            + f"\n  reviewer: {demo.REVIEWER_USERNAME} / {demo.REVIEWER_PASSWORD} (admin at /admin/)"
            + f"\n  case:     #{result['case'].pk} {result['case'].title}"
        )
