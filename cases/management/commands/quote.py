import json
import sys
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from cases.finance.codec import InputError, quote_dict

BAD_INPUT = 2


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


class Command(BaseCommand):
    help = (
        "Quote a case given as JSON (see docs/quote.md): charges, the 24 % ceiling check, budget, "
        "plans and the recommendation, printed as JSON. Bad input: one line on stderr, exit code 2."
    )

    def add_arguments(self, parser):
        parser.add_argument("case_file", metavar="CASE.json", help='the case as JSON, or "-" for standard input')

    def handle(self, *args, case_file: str, **options):
        try:
            if case_file == "-":
                text = sys.stdin.read()
            else:
                with open(case_file, encoding="utf-8") as f:
                    text = f.read()
        except OSError as exc:
            raise CommandError(f"{case_file}: cannot read the file ({exc.strerror})", returncode=BAD_INPUT) from None
        except UnicodeDecodeError:
            raise CommandError(f"{case_file}: is not UTF-8 text", returncode=BAD_INPUT) from None
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{case_file}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", returncode=BAD_INPUT
            ) from None
        except (ValueError, RecursionError) as exc:  # a number of 4300+ digits; arrays nested thousands deep
            raise CommandError(f"{case_file}: not usable JSON: {_first_line(exc)}", returncode=BAD_INPUT) from None
        try:
            result = quote_dict(data)
        except InputError as exc:
            raise CommandError(f"{case_file}: {exc}", returncode=BAD_INPUT) from None
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
