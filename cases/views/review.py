"""The user's side of the review (issue 7): sending a letter back to the
reviewer after they asked for changes."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import audit
from ..access import get_in_case
from ..models import Letter


@require_POST
def letter_resubmit(request, case_id: int, letter_id: int):
    case, letter = get_in_case(request, Letter, case_id, letter_id, Letter.objects.defer("snapshot", "html"))
    try:
        letter.submit_for_review()
    except Letter.NotAllowed:
        messages.error(request, _("This letter cannot be sent for review now."))
    else:
        audit.record(request.user, "letter.submitted", case=case, target=f"letter:{letter.pk}")
        messages.success(request, _("Sent to the reviewer again. We will let you know what they decide."))
    return redirect("case_detail", case_id=case.pk)
