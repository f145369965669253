"""Background work through ``django.tasks``: the immediate backend locally, the
database backend with ``manage.py db_worker`` in production (docs/deploy.md)."""

from django.conf import settings
from django.tasks import task

from . import privacy, renders


@task
def purge_expired_cases(dry_run: bool = False) -> list[int]:
    """Retention (PIPL Art 19): delete closed cases past CLOSED_CASE_RETENTION_DAYS; returns their ids."""
    return privacy.purge_expired(settings.CLOSED_CASE_RETENTION_DAYS, dry_run=dry_run)


@task
def render_letter_pdf(letter_id: int, bundle: bool = False) -> str:
    """Render (or find in the cache) a letter version's PDF within the worker's limits, once
    per queued ``LetterRender`` (cases.renders); returns its storage name."""
    return renders.run_render(letter_id, bundle=bundle)
