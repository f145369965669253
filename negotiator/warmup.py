"""Load, once, what every web worker would otherwise load on its first requests.

gunicorn's master calls ``warm_up()`` after loading the application and before
forking the workers (negotiator/gunicorn.conf.py): the workers then start with
the project's templates compiled, the URL patterns resolved and the translation
catalogs read, sharing that memory with the master. Without it each worker, and
each worker gunicorn starts again after ``max_requests``, spent its first
requests compiling templates, stalls the load test's p99 showed (docs/performance.md).

Nothing here opens a database connection (one opened before the fork would be
shared by every worker).
"""

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import translation


def project_templates() -> list[str]:
    """The names of the templates in the project's own template folders."""
    names = []
    for folder in engines["django"].dirs:
        root = Path(folder)
        names.extend(str(path.relative_to(root)) for path in sorted(root.rglob("*.html")))
    return names


def warm_up() -> list[str]:
    """Compile the project's templates, read every language's catalog, fill the URL
    resolver's caches. Returns the names of the templates compiled."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("landing")  # the resolver's reverse table, built per language
    names = project_templates()
    django_engine = engines["django"]
    for name in names:
        django_engine.get_template(name)
    return names
