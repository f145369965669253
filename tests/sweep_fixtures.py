"""Hostile input for the bad-input sweep (issue 8): curated nasty strings, hypothesis
strategies built from them, and a snapshot of everything a case owns, so a test can
say "nothing was saved" by comparing two snapshots."""

import os

from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from cases.models import AuditEvent, BudgetLine, Case, Contact, Debt, Debtor, Evidence, Letter, Proposal, ReviewerNote

# Modest example counts: the whole sweep runs in well under a minute on 2 cores. For a bug hunt, raise them:
# SWEEP_EXAMPLES=500 pytest tests/shared/test_sweep_hostile_input.py
SWEEP = settings(max_examples=int(os.environ.get("SWEEP_EXAMPLES", "12")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

SCRIPT = "<script>alert(1)</script>"
ATTR_BREAK = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7*7 }}"
HTML_PAYLOADS = [SCRIPT, ATTR_BREAK, TEMPLATE]

# Not numbers, or numbers no form here may accept: too large, negative, not finite, not decimal.
# (Full-width "１２３" and Arabic-Indic "١٢٣" are digits to Decimal and int(): read as 123, which is right
# for a Chinese keyboard, so they are not on this list; nor is "1_000", which Python reads as 1000, nor
# "1,000", which money fields read as people write it (issue 17).)
BAD_NUMBERS = [
    "NaN", "nan", "-NaN", "sNaN", "Infinity", "-Infinity", "inf", "1e999", "-1e999", "1e-999", "0x10", "0b1",
    "-1", "-0.01", "9" * 40, "9" * 5000, "-" + "9" * 30, "²", "½", "12abc", "1.2.3", "--1", "+-1",
    "1e5000", "\x00", "1\x00", "7\u202e", " ", "", "null", "None", "[]", "{}", "'; DROP TABLE cases_case; --",
]

# Free text that is hostile but printable: each must be shown back escaped, or refused.
NASTY_TEXT = [
    *HTML_PAYLOADS,
    "'; DROP TABLE cases_debt; --", "' OR '1'='1", "1; SELECT pg_sleep(10)--", "\\'\\\"\\\\%_",
    "javascript:alert(1)", "<svg/onload=alert(1)>", "</textarea><script>alert(1)</script>", "${7*7}", "{% debug %}",
    "\u202eevil\u202c", "\ufeffBOM", "\u200b\u200b", "𠮷野家", "😀" * 50, "Ω≈ç√∫", "ＡＢＣ", "\r\n\r\nX-Injected: 1",
    "%00", "%s%s%s%n", "../../../../etc/passwd", "C:\\Windows\\win.ini", "\t\x0b\x0c",
]

# Characters a field must not store: NUL (PostgreSQL refuses it in text) is refused by every form.
CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(["\x7f", "\u2028", "\u2029", "\x85"])
ANY_CHAR = st.characters(exclude_categories=("Cs",))  # no lone surrogates: they cannot be sent as UTF-8


def hostile_text(max_size: int = 200):
    """Curated nasty strings, or random text with control characters mixed in."""
    return st.sampled_from(NASTY_TEXT) | st.text(CONTROL | ANY_CHAR, min_size=1, max_size=max_size)


def bad_number():
    """Values every number field here must refuse (the field may also be required)."""
    return st.sampled_from([v for v in BAD_NUMBERS if v.strip()]) | st.text(
        ANY_CHAR, min_size=1, max_size=30
    ).filter(lambda s: s.strip() and not any(c.isdigit() for c in s) and s.strip().lower() not in {"true", "false"})


def refused_text(max_length: int):
    """Text no CharField of that length may store: one character too long, or with a NUL inside."""
    # Framed by "x": forms strip surrounding whitespace (which includes "\x85"), and the text must stay too long.
    return st.builds(lambda s, n: "x" + (s * (max_length + n))[: max_length - 1 + n] + "x",
                     hostile_text(20).filter(str.strip), st.integers(0, 50)) | st.builds(
        lambda s: s + "\x00" + s, hostile_text(20))


def bad_date():
    return st.sampled_from([
        "2026-02-30", "2026-13-01", "0000-01-01", "99999-01-01", "9999-99-99", "-2026-01-01", "26-1-1x", "today",
        "1e999", "NaN", "\x00", "2026-01-01\x00", "<script>", "2026/13/40",
    ])


def snapshot(case: Case | None = None) -> dict:
    """Everything the sweep could change, as plain data: the case row (its version
    included), its rows in every table, and the global row counts."""
    data = {
        "users": get_user_model().objects.count(),
        "audit": AuditEvent.objects.count(),
        "cases": Case.objects.count(),
    }
    if case is None:
        return data
    row = Case.objects.filter(pk=case.pk).values().first()
    if row:
        row.pop("updated_at", None)
    data["case"] = row
    for name, model in (("debtor", Debtor), ("debts", Debt), ("budget", BudgetLine), ("evidence", Evidence),
                        ("contacts", Contact), ("letters", Letter), ("proposals", Proposal),
                        ("notes", ReviewerNote)):
        data[name] = [model_to_dict(obj) for obj in model.objects.filter(case_id=case.pk).order_by("pk")]
    return data


def shows_an_error(response) -> bool:
    """The page names what is wrong: a field error, a form-wide error or an error message."""
    html = response.content.decode("utf-8", "replace")
    return response.status_code == 400 or any(
        marker in html for marker in ('class="errorlist', 'aria-invalid="true"', 'class="message error')
    )
