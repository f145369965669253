from django.conf import settings

from ..models import Case


def add_consent(case: Case) -> None:
    """The demo user has consented to processing (current text); a withdrawal made while trying the app stays."""
    if not case.has_consent and not case.consent_withdrawn:
        case.give_consent(settings.CONSENT_TEXT_VERSION)
