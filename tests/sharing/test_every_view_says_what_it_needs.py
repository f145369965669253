"""Every debtor view states what it needs from get_case_for / get_in_case (issue 20): a call without
``need=`` would fall back to the owner's alone, safe but silent; the list below makes each choice visible."""

import re
from pathlib import Path

CASES = Path(__file__).resolve().parents[2] / "cases"
LOOKUP = re.compile(r"(?<!def )\b(get_case_for|get_in_case|_letter_or_404)\(request,")


def _calls(text: str):
    for match in LOOKUP.finditer(text):
        depth, i = 0, match.end() - len("request,") - 1
        while True:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        yield text.count("\n", 0, match.start()) + 1, text[match.start():i + 1]


def test_every_case_lookup_in_a_view_names_its_need():
    missing = []
    for path in sorted(CASES.rglob("*views.py")):
        if path.parent.name == "review":
            continue  # staff's workplace has its own lookups (cases/review_access.py)
        for line, call in _calls(path.read_text(encoding="utf-8")):
            if "need=" not in call:
                missing.append(f"{path.relative_to(CASES.parent)}:{line}: {call}")
    assert not missing, "case lookups without need=:\n" + "\n".join(missing)


def test_the_check_finds_a_lookup_without_a_need():
    assert [call for _line, call in _calls("x = get_case_for(request, case_id, queryset=qs(a))")] == [
        "get_case_for(request, case_id, queryset=qs(a))"]
