"""The third-party apps under names a Chinese superuser reads (issue 17).

django-axes and django-tasks-db name themselves in English ("Axes", "Tasks Database Backend", not translatable);
these subclasses give them a translated ``verbose_name``. Their label, models, tables and own ``ready()`` are
the packages'. ``INSTALLED_APPS`` names these classes instead of the packages."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}" if moment else "—"


class LoginProtectionConfig(AxesAppConfig):
    verbose_name = _("Log-in protection")

    def ready(self) -> None:
        super().ready()
        # axes writes each row's name as an English sentence ("Access Log for … @ …") with no hook to translate
        # it; the admin shows it as the page title and beside every check box, so it is said again here.
        attempt, failure, log = (self.get_model(name) for name in ("AccessAttempt", "AccessFailureLog", "AccessLog"))
        attempt.__str__ = lambda row: gettext("Failed log-ins as %(user)s, last at %(when)s") % {
            "user": row.username, "when": _when(row.attempt_time)}
        failure.__str__ = lambda row: gettext("Failed log-in as %(user)s at %(when)s") % {
            "user": row.username, "when": _when(row.attempt_time)}
        log.__str__ = lambda row: gettext("Log-in of %(user)s at %(when)s") % {
            "user": row.username, "when": _when(row.attempt_time)}


class TaskQueueConfig(TasksAppConfig):
    verbose_name = _("Background tasks")

    def ready(self) -> None:
        super().ready()
        # Without a name of its own a task result is "DBTaskResult object (…)" on its admin page.
        self.get_model("DBTaskResult").__str__ = lambda row: gettext("Background task of %(when)s") % {
            "when": _when(row.enqueued_at)}
