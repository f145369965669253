"""The registry of letter kinds: slug -> title. The letters feature (issue 5)
extends each entry with what case data it needs and its template; other
features refer to letters only by these slugs."""

from django.utils.translation import gettext_lazy as _

NEGOTIATION_REQUEST = "negotiation_request"
HARDSHIP_STATEMENT = "hardship_statement"
REGULATOR_COMPLAINT = "regulator_complaint"
COLLECTION_COMPLAINT = "collection_complaint"
DEMAND_LETTER = "demand_letter"
COURT_DEFENCE = "court_defence"
EVIDENCE_INDEX = "evidence_index"

TITLES = {
    NEGOTIATION_REQUEST: _("Request to negotiate repayment"),
    HARDSHIP_STATEMENT: _("Statement of financial hardship"),
    REGULATOR_COMPLAINT: _("Complaint to the financial regulator"),
    COLLECTION_COMPLAINT: _("Complaint about debt-collection misconduct"),
    DEMAND_LETTER: _("Formal legal letter to the lender"),
    COURT_DEFENCE: _("Defence to a lawsuit (element-based form)"),
    EVIDENCE_INDEX: _("Evidence index"),
}
SLUGS = tuple(TITLES)
