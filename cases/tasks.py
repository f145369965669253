"""Background work through ``django.tasks``: the immediate backend locally, the
database backend with ``manage.py db_worker`` in production (docs/deploy.md)."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .letters import render_worker
from .negotiation import reminders
from .privacy import personal_data as privacy


@task
def purge_expired_cases(dry_run: bool = False) -> list[int]:
    """Retention (PIPL Art 19): delete closed cases past CLOSED_CASE_RETENTION_DAYS; returns their ids."""
    return privacy.purge_expired(settings.CLOSED_CASE_RETENTION_DAYS, dry_run=dry_run)


# Letter renders have a queue of their own, with their own workers (docs/deploy.md §5): a case of
# three lenders writes some twenty letters, and a burst of them must not delay mail or retention.
LETTERS_QUEUE = "letters"


@task(queue_name=LETTERS_QUEUE)
def render_letter_pdf(letter_id: int, bundle: bool = False, name: str = "") -> str:
    """Render (or find in the cache) a letter version's PDF within the worker's limits, once
    per queued ``LetterRender`` (letters.renders); returns its storage name."""
    return render_worker.run_render(letter_id, bundle=bundle, name=name)


@task
def send_password_reset(email: str, domain: str, use_https: bool, language: str) -> None:
    """Django's password-reset mail to the accounts with this address, if any (none: nothing is sent)."""
    from django.contrib.auth.forms import PasswordResetForm

    with translation.override(language):
        form = PasswordResetForm({"email": email})
        if form.is_valid():
            form.save(domain_override=domain, use_https=use_https)


@task
def send_signup_notice(email: str, language: str) -> None:
    """Someone signed up giving an address that already has an account: tell its owner."""
    with translation.override(language):
        subject = _("Someone tried to sign up with your e-mail address")
        body = _("Someone just opened a Negotiator account giving this e-mail address, which already belongs to "
                 "your account. The new account was made without it. If this was you, log in with your existing "
                 "account, or reset its password if you forgot it. If it was not you, you need to do nothing.")
        send_mail(subject, body, None, [email])


@task
def send_reminders(dry_run: bool = False) -> list[str]:
    """The reminder e-mails due now (the same as ``manage.py send_reminders``); returns its lines."""
    return reminders.send_due(dry_run=dry_run)


# What each task does, for the superuser's list of background tasks (the admin would show the function's name).
TASK_TITLES = {
    "purge_expired_cases": gettext_lazy("Delete cases past their retention period"),
    "render_letter_pdf": gettext_lazy("Make a letter's PDF"),
    "send_password_reset": gettext_lazy("Send a password-reset e-mail"),
    "send_signup_notice": gettext_lazy("Send the sign-up e-mail"),
    "send_reminders": gettext_lazy("Send reminder e-mails"),
}
