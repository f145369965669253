"""Sharing a case (issue 20): the owner's sharing page, taking an invitation, the advisers' caseload."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import Can, get_case_for, get_in_case
from ..models import AdviserNote, InvitationError, Share, ShareInvitation, ShareRole
from .activity import activity_by_share
from .caseload import caseload_for
from .forms import AdviserNoteForm, InvitationForm, SensitiveConsentForm, ShareRoleForm


def _sharing_page(request, case, form=None, link: str = "", status: int = 200):
    shares = list(case.shares.select_related("helper", "organisation"))
    done = activity_by_share(case, shares)
    for share in shares:
        share.activity = done.get(share.pk, [])
    return render(request, "cases/sharing/sharing.html", {
        "case": case, "form": form or InvitationForm(), "link": link, "shares": shares,
        "invitations": list(case.share_invitations.pending()),
        "consent_version": settings.SHARING_CONSENT_TEXT_VERSION,
    }, status=status)


@require_http_methods(["GET", "POST"])
def case_sharing(request, case_id: int):
    """Who has access, since when, with what role and what they did; a new invitation. Open while consent
    is withdrawn (access can always be ended), but nobody new is invited to a case that may not be processed."""
    inviting = request.method == "POST"
    case = get_case_for(request, case_id, need=Can.OWNER, require_consent=inviting, allow_withdrawn=not inviting)
    if not inviting:
        return _sharing_page(request, case)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _sharing_page(request, case, form, status=400)
    data = form.cleaned_data
    _invitation, token = ShareInvitation.create_for(
        case, role=data["role"], by=request.user, label=data["label"], organisation=data["organisation"],
        sensitive_consent=data["sensitive_consent"], consent_version=settings.SHARING_CONSENT_TEXT_VERSION)
    # The link is shown once, on this answer; only its hash is kept.
    return _sharing_page(request, case, link=request.build_absolute_uri(reverse("share_accept", args=[token])))


@require_POST
def share_invitation_revoke(request, case_id: int, invitation_id: int):
    case, invitation = get_in_case(request, ShareInvitation, case_id, invitation_id, need=Can.OWNER,
                                   allow_withdrawn=True)
    invitation.revoke(by=request.user)
    messages.success(request, _("The invitation link no longer works."))
    return redirect("case_sharing", case_id=case.pk)


@require_POST
def share_end(request, case_id: int, share_id: int):
    case, share = get_in_case(request, Share, case_id, share_id, need=Can.OWNER, allow_withdrawn=True)
    share.end(by=request.user)
    messages.success(request, _("Access removed: %(who)s can no longer open this case.") % {"who": share.who})
    return redirect("case_sharing", case_id=case.pk)


@require_POST
def share_sensitive_consent(request, case_id: int, share_id: int):
    """The owner's separate consent to one share seeing the sensitive data: given (needs the case's own consent)
    or withdrawn (always possible)."""
    form = SensitiveConsentForm(request.POST)
    giving = form.is_valid() and form.cleaned_data["given"]
    case, share = get_in_case(request, Share, case_id, share_id, need=Can.OWNER, require_consent=giving,
                              allow_withdrawn=not giving)
    if not form.is_valid() or not share.is_active:
        messages.error(request, _("That choice is not on the list. Nothing was changed."))
        return redirect("case_sharing", case_id=case.pk)
    share.set_sensitive_consent(giving, settings.SHARING_CONSENT_TEXT_VERSION, by=request.user)
    messages.success(request, _("Saved: %(who)s now sees your ID number, phone and files.") % {"who": share.who}
                     if giving else _("Saved: %(who)s now sees your ID number and phone masked, and no files.")
                     % {"who": share.who})
    return redirect("case_sharing", case_id=case.pk)


@require_POST
def share_role(request, case_id: int, share_id: int):
    """The owner changes a person's role in place: view only, or help too. Letting them help needs the case's
    consent (like giving access); making it view only is always possible."""
    form = ShareRoleForm(request.POST)
    helping = form.is_valid() and form.cleaned_data["role"] == ShareRole.HELP
    case, share = get_in_case(request, Share, case_id, share_id, need=Can.OWNER, require_consent=helping,
                              allow_withdrawn=not helping)
    if form.is_valid() and share.is_active and share.role == form.cleaned_data["role"]:
        return redirect("case_sharing", case_id=case.pk)  # already so (a second click, another tab): nothing to say
    if not form.is_valid() or not share.set_role(form.cleaned_data["role"], by=request.user):
        messages.error(request, _("That choice is not on the list. Nothing was changed."))
        return redirect("case_sharing", case_id=case.pk)
    messages.success(request, _("Saved: %(who)s can now also fill in the case, log calls and draft letters.")
                     % {"who": share.who} if helping else
                     _("Saved: %(who)s can now only read the case, with your ID number, phone and files hidden.")
                     % {"who": share.who})
    return redirect("case_sharing", case_id=case.pk)


@require_http_methods(["GET", "POST"])
def share_accept(request, token: str):
    invitation = ShareInvitation.find(token)
    error = "" if invitation and invitation.is_pending else _(
        "This invitation has been used, withdrawn or has expired. Ask for a new link.")
    if request.method == "POST" and not error:
        try:
            share = invitation.accept(request.user)
        except InvitationError as exc:
            error = str(exc)
        else:
            messages.success(request, _("You can now work on this case. The owner sees what you do and can remove "
                                        "your access at any time."))
            return redirect("case_detail", case_id=share.case_id)
    status = (404 if invitation is None else 400) if error else 200
    return render(request, "cases/sharing/accept.html", {"invitation": invitation if not error else None,
                                                          "error": error}, status=status)


@require_GET
def caseload(request):
    """The cases shared with the adviser's organisations: status, next deadline, letters waiting."""
    return render(request, "cases/sharing/caseload.html", {"rows": caseload_for(request.user)})


@require_POST
def adviser_note_add(request, case_id: int):
    case = get_case_for(request, case_id, need=Can.NOTE, require_consent=True)
    form = AdviserNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the note first. Nothing was saved."))
        return redirect("case_detail", case_id=case.pk)
    AdviserNote.write(case, author=request.user, organisation=case.access.share.organisation,
                      text=form.cleaned_data["text"])
    messages.success(request, _("Note saved. The debtor sees it on the case page."))
    return redirect("case_detail", case_id=case.pk)
