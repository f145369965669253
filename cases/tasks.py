"""Background work through django.tasks (the immediate backend by default; the
database backend and its worker in production)."""

from django.tasks import task

from .letters import documents
from .models import Letter


@task
def render_letter_pdf(letter_id: int, bundle: bool = False) -> str:
    """Render (or find in the cache) a letter version's PDF; returns its storage name."""
    letter = Letter.objects.get(pk=letter_id)
    return documents.ensure_pdf(letter, bundle=bundle)
