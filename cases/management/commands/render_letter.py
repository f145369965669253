from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.letters import pdf, versions
from cases.letters.kinds import KINDS
from cases.models import Case


class Command(BaseCommand):
    help = (
        "Render one letter of a case to a PDF file. Makes (or reuses) the letter's current "
        "version exactly as the web page would, and uses the PDF cache."
    )

    def add_arguments(self, parser):
        parser.add_argument("case_id", type=int, help="the case's number")
        parser.add_argument("kind", choices=list(KINDS), help="which letter")
        parser.add_argument("-o", "--output", required=True, type=Path, help="where to write the PDF")
        parser.add_argument("--lender", default="",
                            help="the lender the letter is addressed to: its name, its slug or the id of one of "
                                 "its debts (may be left out when the case has one lender)")
        parser.add_argument("--bundle", action="store_true",
                            help="evidence index only: append the evidence files into one PDF")

    def handle(self, *args, case_id: int, kind: str, output: Path, bundle: bool, lender: str = "", **options):
        try:
            case = Case.objects.get(pk=case_id)
        except Case.DoesNotExist:
            raise CommandError(f"No case with id {case_id}.", returncode=2) from None
        if bundle and not KINDS[kind].bundle:
            raise CommandError(f"--bundle applies only to {', '.join(k for k in KINDS if KINDS[k].bundle)}.",
                               returncode=2)
        try:
            letter = versions.generate(case, kind, lender or None)
        except versions.UnknownLender as exc:
            valid = "\n".join(f"  - {item.name} ({item.slug})" for item in exc.valid) or "  (none: add the debts first)"
            what = f"No lender {exc.value!r} in case {case_id}." if exc.value else \
                f"Case {case_id} has several lenders: name one with --lender."
            raise CommandError(f"{what} Valid lenders:\n{valid}", returncode=2) from None
        except versions.MissingData as exc:
            lines = "\n".join(f"  - {gap.what}" for gap in exc.missing)
            raise CommandError(f"Case {case_id} lacks what this letter needs:\n{lines}", returncode=2) from None
        name = pdf.ensure_pdf(letter, bundle=bundle)
        try:
            with versions.storage().open(name, "rb") as src:
                output.write_bytes(src.read())
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
            raise CommandError(f"Cannot write {output!s}: {getattr(exc, 'strerror', None) or exc}", returncode=2) from None
        self.stdout.write(f"{output} ({KINDS[kind].document_title} → {letter.lender}, version {letter.version}, "
                          f"{letter.status})")
