
from cases import demo
from cases.models import Case, Evidence
from cases.intake.vault import check_upload
from django.core.files.uploadedfile import SimpleUploadedFile

from ..conftest import pdftotext


def test_demo_case_is_ready_with_debtor_debts_budget_hardship_and_evidence(db):
    case = demo.seed()["case"]
    assert case.status == Case.Status.READY
    assert case.debtor.name.startswith("张")
    assert [d.product for d in case.debts.all()] == ["huabei", "jiebei", "credit_card", "jiebei"]
    assert case.budget_lines.count() >= 8
    assert len(case.hardship_reasons) == 2 and case.hardship_what_happened
    assert case.evidence.count() == 4


def test_demo_is_idempotent(db):
    demo.seed()
    case = demo.seed()["case"]
    assert Case.objects.count() == 1
    assert case.debts.count() == 4 and case.evidence.count() == 4


def test_demo_evidence_files_pass_the_upload_checks(db, tmp_path):
    case = demo.seed()["case"]
    for evidence in Evidence.objects.filter(case=case):
        content = evidence.file.open("rb").read()
        checked = check_upload(SimpleUploadedFile(evidence.original_name, content), used_bytes=0)
        assert checked.content_type == evidence.content_type
        assert checked.sha256 == evidence.sha256
    pdf = Evidence.objects.get(case=case, content_type="application/pdf")
    path = tmp_path / "bill.pdf"
    path.write_bytes(pdf.file.open("rb").read())
    assert "Overdue since 2026-07-10" in pdftotext(path)
