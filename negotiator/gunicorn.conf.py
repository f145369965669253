"""gunicorn settings for production: ``gunicorn -c negotiator/gunicorn.conf.py negotiator.wsgi``.

Options given on the command line override these (docs/deploy.md shows the unit file).

Warm workers. With ``preload_app`` the master loads the application and, in
``when_ready``, compiles the project's templates and reads the catalogs
(negotiator/warmup.py) before it forks: a new worker, including one started again
after ``max_requests``, serves its first request as fast as its thousandth.

Garbage collection. A worker holds many long-lived objects (Django, the URL and
template caches, the translation catalogs), and Python's full collection walks all
of them, a pause that lands on whichever request happens to trigger it (docs/performance.md
has the times before and after). ``gc.freeze()`` moves the
objects alive at that moment out of the collector's sight, so later collections
walk only what requests create (docs/performance.md). It is called twice:

- in the master after the application is loaded (``preload_app``), before any
  worker is forked, as the Python documentation recommends for forking servers
  (the workers then also share those memory pages with the master);
- in each worker once it has served ``FREEZE_AFTER_REQUESTS`` requests, when the
  caches filled on first use (templates, translations, URL patterns) are warm.

Each call collects first, so no garbage is frozen with the live objects.
"""

import gc

preload_app = True
timeout = 30
max_requests = 2000
max_requests_jitter = 200

FREEZE_AFTER_REQUESTS = 100


def freeze_long_lived_objects() -> None:
    gc.collect()
    gc.freeze()


def when_ready(server):
    from negotiator.warmup import warm_up

    warm_up()  # templates, URLs and catalogs, compiled once and shared by the workers
    freeze_long_lived_objects()


def post_request(worker, req, environ, resp):
    if worker.nr == FREEZE_AFTER_REQUESTS:
        freeze_long_lived_objects()
