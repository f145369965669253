"""The letter kinds: the slug each is stored and addressed by, and the title the
app calls it by (the choices' labels). A leaf module, importing only Django, so
that the models (``Letter.Kind``) and the rules tables can name a kind without
importing the letters feature; what each kind needs and prints is in kinds.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    NEGOTIATION_REQUEST = "negotiation_request", _("Request to negotiate repayment")
    HARDSHIP_STATEMENT = "hardship_statement", _("Statement of financial hardship")
    REGULATOR_COMPLAINT = "regulator_complaint", _("Complaint to the financial regulator")
    COLLECTION_COMPLAINT = "collection_complaint", _("Complaint about debt-collection misconduct")
    DEMAND_LETTER = "demand_letter", _("Formal legal letter to the lender")
    COURT_DEFENCE = "court_defence", _("Defence to a lawsuit (element-based form)")
    EVIDENCE_INDEX = "evidence_index", _("Evidence index")
    DOCUMENTS_REQUEST = "documents_request", _("Request for copies of the contract and statements")
