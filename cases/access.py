"""The one place that decides who may see or change which case (IDOR safety).

Every view that names a case, or an object inside one, looks it up here and says what it
needs (``need=Can.…``). The owner may do everything; a helper or an adviser the case was
shared with (issue 20, ``models.Share``) only what their role allows; everyone else,
staff included, gets a 404 and learns nothing. Staff are reviewers, not owners or helpers:
they see a case only through the reviewers' workplace (``cases.review_access``), masked
and audited, never through these pages. The default need is ``Can.OWNER``, so a view that
forgets to say what it needs stays the owner's alone.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import Case, Share, ShareRole


class ConsentRequired(Exception):
    """The case may not be processed: consent was never given or was withdrawn.

    ``cases.middleware.ConsentRequiredMiddleware`` answers with a page that says
    so and links to the case's privacy page (the one place that stays open).
    """

    def __init__(self, case: Case):
        super().__init__(case.pk)
        self.case = case


class Can(StrEnum):
    """What a page needs. The table of who has which is ``GRANTS`` (docs/authorization.md)."""

    OWNER = "owner"  # the owner's rights: privacy, consent, export, deletion, sharing, the bill's own copy
    READ = "read"  # see the case's pages (sensitive fields masked unless SENSITIVE too)
    EDIT = "edit"  # change intake, log contacts, draft letters
    SUBMIT = "submit"  # send a letter version for review (never approve: reviewers are staff)
    NOTE = "note"  # write a note the debtor sees (advisers)
    SENSITIVE = "sensitive"  # the ID number, phone, evidence files, letters that print them


OWNER = "owner"
# Who may do what; SENSITIVE for a share also needs the owner's separate consent to it (``Access.can``).
GRANTS: dict[str, frozenset[Can]] = {
    OWNER: frozenset(Can) - {Can.NOTE},
    ShareRole.VIEW: frozenset({Can.READ}),
    ShareRole.HELP: frozenset({Can.READ, Can.EDIT, Can.SUBMIT, Can.SENSITIVE}),
    ShareRole.ADVISER: frozenset({Can.READ, Can.SUBMIT, Can.NOTE, Can.SENSITIVE}),
}


@dataclass(frozen=True)
class Access:
    """How the signed-in user reaches a case: as its owner or through one share."""

    role: str
    share: Share | None = None

    @property
    def is_owner(self) -> bool:
        return self.role == OWNER

    def can(self, need: Can) -> bool:
        if need not in GRANTS[self.role]:
            return False
        if need is Can.SENSITIVE and self.share is not None:
            return self.share.sensitive_consent_at is not None
        return True

    @property
    def sees_sensitive(self) -> bool:
        return self.can(Can.SENSITIVE)

    @property
    def may_edit(self) -> bool:
        return self.can(Can.EDIT)

    @property
    def may_submit(self) -> bool:
        return self.can(Can.SUBMIT)


OWNER_ACCESS = Access(OWNER)


def _reachable(user) -> Q:
    """The owner's cases and, for anyone but staff, the cases shared with them or their organisation."""
    if user.is_staff:
        return Q(owner=user)
    return Q(owner=user) | Q(Exists(Share.objects.reaching(user).filter(case=OuterRef("pk"))))


def access_to(user, case: Case) -> Access:
    """How ``user`` reaches ``case`` (already known to be reachable): one query for a helper, none for the owner."""
    if case.owner_id == user.pk:
        return OWNER_ACCESS
    share = Share.objects.reaching(user).filter(case=case).select_related("organisation").order_by("-granted_at").first()
    if share is None:  # ended between the two queries
        raise Http404
    return Access(share.role, share)


def _grant(request: HttpRequest, case: Case, need: Can, *, require_consent: bool, allow_withdrawn: bool) -> Case:
    access = access_to(request.user, case)
    if not access.can(need):
        if need is Can.OWNER:
            raise Http404  # the owner's own pages are not a helper's business, not even by name
        raise PermissionDenied
    if access.is_owner:
        _check_consent(case, require_consent=require_consent, allow_withdrawn=allow_withdrawn)
    else:
        # Without the owner's consent nothing is processed for anyone else, whatever the page allows the owner.
        _check_consent(case, require_consent=True, allow_withdrawn=False)
    case.access = access
    return case


def get_case_for(
    request: HttpRequest,
    case_id: int,
    queryset=None,
    *,
    need: Can = Can.OWNER,
    require_consent: bool = False,
    allow_withdrawn: bool = False,
) -> Case:
    """The case, if the user may do what the page ``need``s; 404 for everyone who cannot reach it,
    403 for a helper whose role does not allow it (404 on the owner's own pages).

    The case carries ``case.access`` (``Access``): templates mask and hide by it.
    ``require_consent``: pages that read or change the case's data raise
    ``ConsentRequired`` while consent is missing or withdrawn (PIPL Arts 15, 29).
    A case whose owner withdrew consent is frozen everywhere by default, so a new
    view cannot forget it; only the hub and the privacy pages pass ``allow_withdrawn``,
    and for the owner only: helpers and advisers are frozen everywhere.
    """
    if not request.user.is_authenticated:
        raise Http404
    qs = (queryset if queryset is not None else Case.objects.all()).filter(_reachable(request.user))
    case = get_object_or_404(qs, pk=case_id)
    return _grant(request, case, need, require_consent=require_consent, allow_withdrawn=allow_withdrawn)


def _check_consent(case: Case, *, require_consent: bool, allow_withdrawn: bool) -> None:
    if (require_consent and not case.has_consent) or (case.consent_withdrawn and not allow_withdrawn):
        raise ConsentRequired(case)


def get_in_case(request: HttpRequest, model, case_id: int, pk: int | None = None, queryset=None, *,
                need: Can = Can.OWNER, require_consent: bool = False, allow_withdrawn: bool = False, **lookups):
    """An object of ``model`` (by ``pk`` or other ``lookups``) in a case the user may reach, and that
    case: the same rules as ``get_case_for``."""
    if not request.user.is_authenticated:
        raise Http404
    qs = (queryset if queryset is not None else model.objects.all()).select_related("case")
    qs = qs.filter(case__in=Case.objects.filter(_reachable(request.user)))
    if pk is not None:
        lookups["pk"] = pk
    obj = get_object_or_404(qs, case_id=case_id, **lookups)
    _grant(request, obj.case, need, require_consent=require_consent, allow_withdrawn=allow_withdrawn)
    return obj.case, obj


def read_or_edit(request: HttpRequest) -> Can:
    """A page that shows on GET and changes on POST (the wizard's steps)."""
    return Can.READ if request.method in ("GET", "HEAD") else Can.EDIT
