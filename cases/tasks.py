"""Background work through ``django.tasks``: the immediate backend locally, the
database backend with ``manage.py db_worker`` in production (docs/deploy.md)."""

from django.conf import settings
from django.tasks import task

from .privacy import personal_data as privacy
from .letters import pdf
from .negotiation import reminders
from .models import Letter


@task
def purge_expired_cases(dry_run: bool = False) -> list[int]:
    """Retention (PIPL Art 19): delete closed cases past CLOSED_CASE_RETENTION_DAYS; returns their ids."""
    return privacy.purge_expired(settings.CLOSED_CASE_RETENTION_DAYS, dry_run=dry_run)


@task
def render_letter_pdf(letter_id: int, bundle: bool = False) -> str:
    """Render (or find in the cache) a letter version's PDF; returns its storage name."""
    letter = Letter.objects.get(pk=letter_id)
    return pdf.ensure_pdf(letter, bundle=bundle)


@task
def send_reminders(dry_run: bool = False) -> list[str]:
    """The reminder e-mails due now (the same as ``manage.py send_reminders``); returns its lines."""
    return reminders.send_due(dry_run=dry_run)
