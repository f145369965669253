"""The reviewers' custom admin pages: the case review page and its actions
(reveal a sensitive field, decide on a letter, add a note, open the evidence and
letter files). ``CaseReviewViews`` is mixed into the case admin (cases/admin.py),
which adds these URLs to its own."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.csp import CSP
from django.utils.translation import gettext
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST

from ..files import SAFE_INLINE_TYPES, serve_private_file
from ..intake.vault import named_by_type
from ..letters.renders import pdf_or_queue
from ..models import BudgetLine, Case, Evidence, Letter, LetterReview, ReviewerNote
from ..proposal.quote import quote_case
from ..review_access import get_case_for_review, get_in_case_for_review
from . import workplace as review
from . import desk as review_desk
from .forms import DecisionForm, ReviewerNoteForm


class CaseReviewViews:
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:case_id>/review/", view(require_GET(self.review_view)), name="cases_case_review"),
            path("<int:case_id>/review/reveal/", view(require_POST(self.reveal_view)), name="cases_case_reveal"),
            path(
                "<int:case_id>/review/letters/<int:letter_id>/decide/",
                view(require_POST(self.decide_view)),
                name="cases_case_decide",
            ),
            path("<int:case_id>/review/notes/", view(require_POST(self.note_view)), name="cases_case_note"),
            path(
                "<int:case_id>/review/evidence/<int:evidence_id>/file/",
                view(require_GET(self.evidence_file_view)),
                name="cases_case_evidence_file",
            ),
            path(
                "<int:case_id>/review/letters/<int:letter_id>/html/",
                view(require_GET(self.letter_html_view)),
                name="cases_case_letter_html",
            ),
            path(
                "<int:case_id>/review/letters/<int:letter_id>/pdf/",
                view(require_GET(self.letter_pdf_view)),
                name="cases_case_letter_pdf",
            ),
            *super().get_urls(),
        ]

    # The review page and its actions. Each view checks the permission it needs;
    # admin_view has already required an active staff user.

    def _require(self, request, perm: str) -> None:
        if not request.user.has_perm(perm):
            raise PermissionDenied

    def _case(self, request, case_id: int) -> Case:
        self._require(request, "cases.view_case")
        return get_case_for_review(request, case_id,
                                   Case.objects.select_related("owner", "assigned_reviewer", "debtor"))

    def review_view(self, request, case_id: int):
        case = self._case(request, case_id)
        review.open_review(request.user, case)
        return self._render_review(request, case)

    def reveal_view(self, request, case_id: int):
        case = self._case(request, case_id)
        self._require(request, "cases.view_debtor")
        debtor, debts = self._debtor_and_debts(case)
        field = review.sensitive_fields(debtor, debts).get(request.POST.get("field", ""))
        if field is None:
            raise Http404
        review.reveal(request.user, case, field)
        return self._render_review(request, case, revealed={field.key}, debtor_and_debts=(debtor, debts))

    def decide_view(self, request, case_id: int, letter_id: int):
        case = self._case(request, case_id)
        self._require(request, "cases.change_letter")
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self._render_review(request, case, decision_forms={letter_id: form}, status=400)
        try:
            letter = review.decide(letter_id, case, request.user, form.cleaned_data["decision"],
                                   form.cleaned_data["note"])
        except Letter.DoesNotExist:
            raise Http404 from None
        except Letter.ConflictOfInterest:
            messages.error(request, gettext(
                "You made or submitted this letter (or the case is yours): another reviewer must decide on it. "
                "Nothing was changed."))
            return redirect("admin:cases_case_review", case.pk)
        except Letter.NotAllowed:
            messages.error(request, gettext("This letter is no longer waiting for review; nothing was changed."))
            return redirect("admin:cases_case_review", case.pk)
        if letter.status == Letter.Status.APPROVED:
            messages.success(request, gettext("Approved: %(title)s v%(version)s.") % {
                "title": letter.kind_title, "version": letter.version})
        else:
            messages.success(request, gettext("Changes requested: %(title)s v%(version)s. The user sees your note.") % {
                "title": letter.kind_title, "version": letter.version})
        return redirect("admin:cases_case_review", case.pk)

    def note_view(self, request, case_id: int):
        case = self._case(request, case_id)
        self._require(request, "cases.add_reviewernote")
        form = ReviewerNoteForm(request.POST)
        if not form.is_valid():
            return self._render_review(request, case, note_form=form, status=400)
        ReviewerNote.objects.add(case, request.user, form.cleaned_data["text"])
        messages.success(request, gettext("Note saved."))
        return redirect("admin:cases_case_review", case.pk)

    def evidence_file_view(self, request, case_id: int, evidence_id: int):
        self._require(request, "cases.view_evidence")
        case, evidence = get_in_case_for_review(request, Evidence, case_id, evidence_id)
        review.record_download(request.user, case, evidence)
        # The review page previews photos in <img> and PDFs in an <iframe>.
        return serve_private_file(request, evidence.file, named_by_type(evidence.original_name, evidence.content_type),
                                  evidence.content_type, inline=SAFE_INLINE_TYPES)

    def letter_html_view(self, request, case_id: int, letter_id: int):
        self._require(request, "cases.view_letter")
        case, letter = get_in_case_for_review(request, Letter, case_id, letter_id,
                                              Letter.objects.defer("snapshot"))
        review.record_letter_view(request.user, case, letter)
        return _letter_html_response(letter)

    def letter_pdf_view(self, request, case_id: int, letter_id: int):
        self._require(request, "cases.view_letter")
        case, letter = get_in_case_for_review(request, Letter, case_id, letter_id,
                                              Letter.objects.defer("html", "snapshot"))
        # The right variant (draft or final) of this version, rendered once by the worker.
        name = pdf_or_queue(letter)
        if name is None:
            messages.info(request, gettext("The PDF is being prepared. Open it again in a moment."))
            return redirect("admin:cases_case_review", case.pk)
        review.record_download(request.user, case, letter)
        return serve_private_file(request, name, f"{letter.kind}-v{letter.version}.pdf", "application/pdf",
                                  inline=SAFE_INLINE_TYPES)

    def _debtor_and_debts(self, case: Case):
        return getattr(case, "debtor", None), list(case.debts.all())

    def _render_review(self, request, case: Case, *, revealed=frozenset(), decision_forms=None, note_form=None,
                       debtor_and_debts=None, status=200):
        debtor, debts = debtor_and_debts or self._debtor_and_debts(case)
        sensitive = review.sensitive_fields(debtor, debts)
        quote, quote_error = _quote(case)
        quoted = {row["id"]: row for row in (quote or {}).get("debts", [])}
        letters = list(
            case.letters.defer("snapshot", "html").select_related("reviewed_by").prefetch_related(
                Prefetch("reviews", LetterReview.objects.select_related("reviewer"), to_attr="decisions")
            ).order_by("kind", "-version")
        )
        decision_forms = decision_forms or {}
        for letter in letters:
            letter.decision_form = decision_forms.get(letter.pk) or DecisionForm(
                auto_id=f"id_letter{letter.pk}_%s")
            letter.own_work = letter.is_own_work_of(request.user)
        budget = list(case.budget_lines.all())
        evidence = list(case.evidence.all())
        for item in evidence:
            item.preview = review.preview_kind(item)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Review: %(case)s") % {"case": case},
            "case": case,
            "debtor": debtor,
            "debtor_fields": [(field, key in revealed) for key, field in sensitive.items()
                              if not key.startswith("account_number_")],
            "debts": [
                (debt, review.debt_figures(quoted.get(str(debt.pk))), sensitive[f"account_number_{debt.pk}"],
                 f"account_number_{debt.pk}" in revealed)
                for debt in debts
            ],
            "recommended": review.recommended_plan(quote),
            # The debtor's latest proposal, with the reason for paying above the available amount (issue 14);
            # "chosen" (review/desk.py) is the plan the waiting letters propose, shown first (issue 17).
            "chosen_proposal": case.proposals.only("engine_output", "chosen_plan", "reason", "as_of",
                                                   "created_at").first(),
            "quote": quote,
            "quote_error": quote_error,
            "income": [line for line in budget if line.kind == BudgetLine.Kind.INCOME],
            "expenses": [line for line in budget if line.kind == BudgetLine.Kind.EXPENSE],
            "hardship": review.hardship_labels(case),
            "evidence": evidence,
            "timeline": review.timeline(case, letters, evidence),
            "letters": letters,
            **review_desk.desk(case, letters),
            "debtor_revealed": bool(revealed),
            "notes": case.reviewer_notes.select_related("author"),
            "note_form": note_form or ReviewerNoteForm(),
            "can_reveal": request.user.has_perm("cases.view_debtor"),
            "can_decide": request.user.has_perm("cases.change_letter"),
            "can_note": request.user.has_perm("cases.add_reviewernote"),
        }
        return TemplateResponse(request, "admin/cases/case/review.html", context, status=status)


@csp_override({
    # The frozen letter HTML may carry its own print styles; scripts never run (sandbox).
    "default-src": [CSP.NONE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.SELF],
    "sandbox": True,
})
def _letter_html_response(letter: Letter) -> HttpResponse:
    response = HttpResponse(letter.html, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def _quote(case: Case):
    """The finance engine's figures for the case (schema: docs/quote.md), or why not."""
    try:
        return quote_case(case), ""
    except ValueError as exc:  # the engine's InputError names the field
        return None, gettext("The figures cannot be computed yet: %(reason)s") % {"reason": exc}
