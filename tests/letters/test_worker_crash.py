"""The production path for letters: generating a letter enqueues its PDF at once with the
database task backend, on the queue of its own (``letters``), and a real `manage.py db_worker`
process of that queue renders it into the shared private storage. The web process never renders."""

import os
from pathlib import Path

from ..conftest import pdftotext
from ..privacy.test_worker import _json, _manage, worker_database_url  # noqa: F401  (a fixture)

ENQUEUE = """
import json
from cases.letters import versions
from cases.models import LetterRender
from cases.tasks import render_letter_pdf
from tests.letters_fixtures import make_letter_case
case = make_letter_case(name="欧阳秀英", with_evidence=False)
letter = versions.generate(case, "hardship_statement")
row = LetterRender.objects.get(letter=letter)
result = render_letter_pdf.get_result(row.task_id)
print(json.dumps({"result": result.id, "letter": letter.pk, "status": result.status, "queue": result.task.queue_name,
                  "ready": versions.pdf_ready(letter)}))
"""

RESULT = """
import json
from cases.files import dangling_rows, orphaned_files
from cases.models import Letter
from cases.tasks import render_letter_pdf
result = render_letter_pdf.get_result(RESULT_ID)
letter = Letter.objects.get(pk=LETTER_ID)
print(json.dumps({"status": result.status, "value": result.return_value, "pdf": letter.pdf.name,
                  "problems": orphaned_files() + dangling_rows()}))
"""


def test_db_worker_renders_a_letter_pdf_into_private_storage(tmp_path, worker_database_url):  # noqa: F811
    private = tmp_path / "private"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({
        "DATABASE_URL": worker_database_url,
        "TASK_BACKEND": "database",
        "NEGOTIATOR_VAR_DIR": str(tmp_path / "var"),
        "PRIVATE_MEDIA_ROOT": str(private),
    })
    _manage(env, "migrate", "-v", "0", "--skip-checks")
    enqueued = _json(_manage(env, "shell", "--no-imports", "-c", ENQUEUE))
    # Queued by generating it (no one asked for the PDF), not rendered by the web process.
    assert enqueued["status"] == "READY" and enqueued["ready"] is False
    assert enqueued["queue"] == "letters"
    assert not list(private.rglob("*.pdf"))

    # A worker of the default queue (mail, retention) leaves renders to the letters' workers.
    other = _manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--skip-checks",
                    "--queue-name", "default", timeout=60)
    assert enqueued["result"] not in other.stdout + other.stderr
    assert not list(private.rglob("*.pdf"))

    worker = _manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--skip-checks",
                     "--queue-name", "letters", timeout=60)
    assert enqueued["result"] in worker.stdout + worker.stderr

    script = f"RESULT_ID = {enqueued['result']!r}\nLETTER_ID = {enqueued['letter']}\n" + RESULT
    done = _json(_manage(env, "shell", "--no-imports", "-c", script))
    assert done["status"] == "SUCCESSFUL"
    assert done["value"] == done["pdf"] and done["pdf"].startswith("letters/")
    assert done["problems"] == []
    pdf = Path(private, done["pdf"])
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert "欧阳秀英" in pdftotext(pdf)
