"""The debtor's pages show each visitor only the controls their role allows (issue 20).

A view-only helper or an adviser gets the pages without the forms they would be refused (403)
for, and a line saying they can look but not change; a helper without the owner's consent to
sensitive data gets no link to an evidence file or a letter's PDF; the owner keeps every control.
Each control is identified by the URL its form posts to or its link opens.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from cases.letters.kinds import EVIDENCE_INDEX, NEGOTIATION_REQUEST
from cases.letters.stored import pdf_name, storage
from cases.lenders import lender_slug
from cases.models import Agreement, Case, Lawsuit, Letter, ShareRole

from ..factories import make_user
from ..privacy_fixtures import PDF_BYTES, add_letter, make_populated_case
from ..sharing_fixtures import organisation_with, share_with

READ_ONLY_LINE = "You can view this but not change it"

# What each visitor may do, as the page's controls need it (cases/access.py GRANTS, with consent to SENSITIVE).
ROLES = {
    "owner": {"owner", "edit", "submit", "sensitive"},
    "helper_help": {"edit", "submit", "sensitive"},
    "helper_help_no_consent": {"edit", "submit"},
    "helper_view": set(),
    "adviser": {"submit"},
}


@pytest.fixture
def world(owner):
    case = make_populated_case(owner)
    case.completed_steps = ["about", "debts", "budget", "hardship", "evidence"]
    case.status = Case.Status.READY  # the proposal page works out plans only then
    case.save(update_fields=["completed_steps", "status"])
    add_letter(case, kind=EVIDENCE_INDEX)
    debt = case.debts.first()
    slug = lender_slug(debt.lender)
    # An agreement with another lender: the contact's offer stays open to accept.
    Agreement.objects.create(case=case, lender="某银行", lender_slug=lender_slug("某银行"), monthly=Decimal("100.00"), months=3,
                             first_due=date(2026, 11, 1), agreed_on=date(2026, 10, 1))
    case.contacts.update(offer_months=12)  # an offer the log checks, with its "I accepted this offer" form
    suit = Lawsuit.objects.create(case=case, court="深圳市南山区人民法院", plaintiff=debt.lender)
    Letter.objects.filter(case=case, kind=NEGOTIATION_REQUEST).update(status=Letter.Status.CHANGES_REQUESTED,
                                                                       review_note="请补充困难证明")
    for letter in case.letters.all():  # both PDFs stored: the pages link to them
        letter.pdf.name = storage().save(pdf_name(letter), ContentFile(PDF_BYTES))
        letter.save(update_fields=["pdf"])
    users = {"helper_help": make_user("helper-help"), "helper_help_no_consent": make_user("helper-nc"),
             "helper_view": make_user("helper-view"), "adviser": make_user("adviser")}
    share_with(case, users["helper_help"], ShareRole.HELP, sensitive=True)
    share_with(case, users["helper_help_no_consent"], ShareRole.HELP)
    share_with(case, users["helper_view"], ShareRole.VIEW)
    share_with(case, users["adviser"], organisation=organisation_with(users["adviser"]))
    clients = {"owner": Client()}
    clients["owner"].force_login(owner)
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return {"case": case, "clients": clients, "suit": suit, "slug": slug,
            "letter": case.letters.get(kind=NEGOTIATION_REQUEST), "index": case.letters.get(kind=EVIDENCE_INDEX),
            "evidence": case.evidence.first(), "contact": case.contacts.first(),
            "agreement": case.agreements.first()}


def _page(world, role, name, *args) -> str:
    response = world["clients"][role].get(reverse(name, args=[world["case"].pk, *args]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, (role, name, response.status_code)
    return response.content.decode()


def _controls(w):
    """Page (URL name and arguments) → [(what the control needs, the text that marks it)]."""
    case, ev, c, a, suit, letter, index = (w["case"].pk, w["evidence"].pk, w["contact"].pk, w["agreement"].pk,
                                           w["suit"].pk, w["letter"], w["index"])
    letter_args = [case, letter.kind, letter.lender_slug, letter.version]
    index_args = [case, index.kind, index.lender_slug or "-", index.version]
    return {
        ("intake_about",): [("edit", 'class="wizard-form" action="#error-summary"')],
        ("intake_debts",): [("edit", f'action="{reverse("intake_debts", args=[case])}#error-summary"')],
        ("intake_budget",): [("edit", 'id="budget-form" action="#error-summary"')],
        ("intake_hardship",): [("edit", 'class="wizard-form" action="#error-summary"')],
        ("intake_evidence",): [
            ("edit", f'action="{reverse("intake_evidence", args=[case])}#error-summary"'),
            ("edit", reverse("evidence_upload", args=[case])),
            ("edit", reverse("evidence_edit", args=[case, ev])),
            ("owner", reverse("evidence_delete", args=[case, ev])),
            ("sensitive", f'href="{reverse("evidence_download", args=[case, ev])}"'),
        ],
        ("log",): [
            ("edit", reverse("contact_add", args=[case])),
            ("edit", reverse("contact_edit", args=[case, c])),
            ("edit", reverse("contact_delete", args=[case, c])),
            ("edit", reverse("offer_accept", args=[case, c])),
            ("edit", reverse("agreement_check_in", args=[case, a])),
            ("edit", reverse("follow_up_done", args=[case, c])),
        ],
        ("call_card", w["slug"]): [("edit", 'id="log-this-call"')],
        ("proposal",): [("edit", reverse("proposal_choose", args=[case])),
                        ("edit", reverse("proposal_own_amount", args=[case]))],
        ("letters_index",): [("owner", reverse("letter_statements", args=[case])),
                             ("sensitive", reverse("letter_pdf", args=letter_args))],
        ("letter_page", letter.kind, letter.lender_slug): [
            ("edit", reverse("letter_generate", args=[case, letter.kind, letter.lender_slug])),
            ("submit", reverse("letter_submit", args=letter_args)),
            ("sensitive", reverse("letter_pdf", args=letter_args)),
        ],
        ("letter_page", index.kind, index.lender_slug or "-"): [
            ("sensitive", reverse("letter_pdf", args=index_args)),
            ("sensitive", reverse("letter_bundle", args=index_args)),
        ],
        ("lawsuits",): [("edit", f'action="{reverse("lawsuits", args=[case])}#error-summary"'),
                        ("edit", reverse("lawsuit_delete", args=[case, suit]))],
        ("road", "credit-report"): [("edit", reverse("credit_record_error", args=[case]))],
        ("case_detail",): [("owner", reverse("case_rename", args=[case])),
                           ("owner", reverse("case_privacy", args=[case])),
                           ("owner", reverse("reminders")),
                           ("submit", reverse("letter_submit", args=letter_args))],
    }


@pytest.mark.parametrize("role", list(ROLES))
def test_each_page_shows_a_visitor_exactly_the_controls_their_role_allows(world, role):
    allowed = ROLES[role]
    for (name, *args), controls in _controls(world).items():
        html = _page(world, role, name, *args)
        for need, marker in controls:
            assert (marker in html) == (need in allowed), (role, name, need, marker)


@pytest.mark.parametrize(("role", "told"), [("owner", False), ("helper_help", False), ("helper_view", True),
                                            ("adviser", True)])
def test_a_visitor_who_may_not_change_the_case_is_told_so_and_who_can(world, role, told):
    for name, *args in [("intake_about",), ("intake_evidence",), ("log",), ("proposal",), ("lawsuits",),
                        ("letter_page", world["letter"].kind, world["letter"].lender_slug), ("case_detail",)]:
        assert (READ_ONLY_LINE in _page(world, role, name, *args)) == told, (role, name)


def test_the_read_only_line_is_translated_with_the_polite_you(world):
    response = world["clients"]["helper_view"].get(reverse("log", args=[world["case"].pk]),
                                                  HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert READ_ONLY_LINE not in html
    assert "您可以查看" in html and "你" not in html.split("read-only")[1].split("</p>")[0]


def test_a_helper_without_consent_to_sensitive_data_sees_the_file_names_but_no_file_or_pdf_link(world):
    case = world["case"].pk
    evidence_html = _page(world, "helper_help_no_consent", "intake_evidence")
    assert world["evidence"].original_name in evidence_html
    assert f'href="{reverse("evidence_download", args=[case, world["evidence"].pk])}"' not in evidence_html
    letter = world["letter"]
    letter_html = _page(world, "helper_help_no_consent", "letter_page", letter.kind, letter.lender_slug)
    assert "Download PDF" not in letter_html and "/pdf/" not in letter_html and "/bundle/" not in letter_html
    assert reverse("letter_submit", args=[case, letter.kind, letter.lender_slug, letter.version]) in letter_html
    # The owner's links are the ones refused to this helper: the test above is not vacuous.
    assert world["clients"]["helper_help_no_consent"].get(
        reverse("letter_pdf", args=[case, letter.kind, letter.lender_slug, letter.version])).status_code == 403
    assert world["clients"]["helper_help_no_consent"].get(
        reverse("evidence_download", args=[case, world["evidence"].pk])).status_code == 403


@pytest.mark.parametrize("withdrawn", [True, False])
def test_a_helper_of_a_case_without_consent_is_told_why_with_no_link_to_the_owners_privacy_page(world, withdrawn):
    case = world["case"]
    if withdrawn:
        case.withdraw_consent(by=case.owner)
    else:
        type(case).objects.filter(pk=case.pk).update(consent_at=None)
    privacy = reverse("case_privacy", args=[case.pk])
    for role in ("helper_help", "adviser"):
        response = world["clients"][role].get(reverse("case_detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
        html = response.content.decode()
        assert response.status_code == 403
        assert privacy not in html
        assert "withdrawn consent" in html if withdrawn else "has not given consent" in html
        assert "Only the owner can give consent again." in html
        # htmx is sent to the hub, which says the same, not to the privacy page (a 404 for them)
        htmx = world["clients"][role].get(reverse("log", args=[case.pk]), HTTP_HX_REQUEST="true")
        assert htmx.headers["HX-Redirect"] == reverse("case_detail", args=[case.pk])
    owner = world["clients"]["owner"].get(reverse("log", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert owner.status_code == 403 and privacy in owner.content.decode()
    assert "Only the owner can give consent again." not in owner.content.decode()


def test_the_ladder_asks_only_a_visitor_who_can_record_an_agreement_to_record_it(world):
    """A read-only visitor was told "Record the agreement below", where they have no form to do it."""
    from ..log_fixtures import make_contact

    make_contact(world["case"], outcome="agreed", organisation="某银行")
    for role, asked in [("owner", True), ("helper_help", True), ("helper_view", False), ("adviser", False)]:
        html = _page(world, role, "log")
        assert 'data-rule="agreed"' in html, role  # the advice itself is for everyone who reads the log
        assert ('href="#agreement"' in html) == asked, role
