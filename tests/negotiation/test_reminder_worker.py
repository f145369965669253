"""Reminder e-mails through the production task path (issue 18): ``cases.tasks.send_reminders`` enqueued
with the database backend and run by a real ``manage.py db_worker`` process, which sends with the
console mailer (the e-mail appears on its output)."""

import os

from ..privacy.test_worker import _json, _manage, worker_database_url  # noqa: F401

ENQUEUE = """
import json
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from cases.models import Case, Contact, ReminderSettings
from cases.tasks import send_reminders
user = get_user_model().objects.create(username="reminded", email="reminded@example.com")
case = Case.objects.create(owner=user, title="worker case")
Contact.objects.create(case=case, channel="hotline", direction="outgoing", outcome="callback",
                       organisation="95188", follow_up_on=timezone.localdate() + timedelta(days=1))
prefs = ReminderSettings.for_user(user)
prefs.set_email(True, "en", user.email, (0, 0), by=user)  # no quiet hours: the test runs at any hour
result = send_reminders.enqueue()
print(json.dumps({"result": result.id, "status": result.status}))
"""

RESULT = """
import json
from cases.models import ReminderSent
from cases.tasks import send_reminders
result = send_reminders.get_result(RESULT_ID)
print(json.dumps({"status": result.status, "value": result.return_value, "sent": ReminderSent.objects.count()}))
"""


def test_the_db_worker_sends_a_reminder_once(tmp_path, worker_database_url):  # noqa: F811
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({
        "DATABASE_URL": worker_database_url,
        "TASK_BACKEND": "database",
        "NEGOTIATOR_VAR_DIR": str(tmp_path / "var"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    })
    _manage(env, "migrate", "-v", "0", "--skip-checks")
    enqueued = _json(_manage(env, "shell", "--no-imports", "-c", ENQUEUE))
    assert enqueued["status"] == "READY"
    worker = _manage(env, "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--skip-checks", timeout=90)
    assert "reminded@example.com" in worker.stdout
    done = _json(_manage(env, "shell", "--no-imports", "-c", f"RESULT_ID = {enqueued['result']!r}\n" + RESULT))
    assert done["status"] == "SUCCESSFUL" and done["sent"] == 1
    assert done["value"][0].startswith("sent: ")
    again = _manage(env, "send_reminders")
    assert "Sent 0 e-mail(s)." in again.stdout
