"""A fully populated case (every kind of row, with files in private storage) for the privacy tests."""

import hashlib

import pytest
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from cases.lenders import lender_slug
from cases.letters.kinds import NEGOTIATION_REQUEST
from cases.models import Contact, Evidence, Letter, Proposal
from cases.proposal.quote import engine_input_for, quote_case

from .factories import make_full_case

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"


def add_evidence(case, content: bytes = JPEG_BYTES, name: str = "工资单 2026-09.jpg", **fields) -> Evidence:
    evidence = Evidence(
        case=case, kind=fields.pop("kind", Evidence.Kind.PAY_SLIP), original_name=name, size=len(content),
        content_type=fields.pop("content_type", "image/jpeg"), sha256=hashlib.sha256(content).hexdigest(), **fields,
    )
    evidence.file.save(name, ContentFile(content), save=False)
    evidence.save()
    return evidence


def add_proposal(case) -> Proposal:
    """The finance engine's real result for the case, its recommended plan chosen."""
    output = quote_case(case)
    return Proposal.objects.create(
        case=case, engine_input=engine_input_for(case), engine_output=output, chosen_plan=output["recommended"] or 0
    )


def add_letter(case, proposal=None, kind: str = NEGOTIATION_REQUEST) -> Letter:
    digest = hashlib.sha256(f"{case.pk}-{kind}".encode()).hexdigest()
    debt = case.debts.first()
    lender = debt.lender.strip() if debt else ""
    letter = Letter(case=case, kind=kind, proposal=proposal, content_hash=digest, snapshot={"name": "张三"},
                    html="<p>协商还款申请</p>", lender=lender, lender_slug=lender_slug(lender) if lender else "")
    letter.pdf.save("letter.pdf", ContentFile(PDF_BYTES), save=False)
    letter.save()
    return letter


def add_contact(case, evidence=None) -> Contact:
    contact = Contact.objects.create(
        case=case, occurred_at=timezone.now(), channel=Contact.Channel.HOTLINE, direction=Contact.Direction.OUTGOING,
        organisation="蚂蚁消费金融", person_name="李专员", staff_id="A1024", phone_number="95188",
        asked="申请停息挂账分36期", outcome=Contact.Outcome.CALLBACK, follow_up_on=date(2026, 12, 1),
        offer_monthly=Decimal("900.00"),
    )
    contact.debts.set(case.debts.all())
    if evidence:
        contact.evidence.add(evidence)
    return contact


def make_populated_case(owner):
    """Debtor, two debts, budget, hardship, evidence with a file, a contact, a proposal and a letter PDF."""
    case = make_full_case(owner)
    case.hardship_reasons = ["unemployment"]
    case.hardship_what_happened = "公司裁员，2026年8月起失业"
    case.save(update_fields=["hardship_reasons", "hardship_what_happened"])
    evidence = add_evidence(case, debt=case.debts.first())
    add_contact(case, evidence)
    proposal = add_proposal(case)
    add_letter(case, proposal)
    return case


def stored_files(root) -> list[str]:
    """Every file under the private storage folder, relative to it."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


