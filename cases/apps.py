from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the system checks)
        from .middleware import SessionRenewalMiddleware

        user_logged_in.connect(SessionRenewalMiddleware.stamp_login, dispatch_uid="session-renewal-stamp")
        from .accounts.recovery import remember_display

        user_logged_in.connect(remember_display, dispatch_uid="remember-large-text")
