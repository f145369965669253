"""Apply the hand review of legal and review terms to the Traditional catalogue (issue 17).

OpenCC's s2twp turns 审核 (review) into 稽核 (audit) and renames laws (个人信息保护法 → 個人資訊保護法). Each
entry that make_hant.py reports is read, corrected with the table below where that is the whole fix, and marked
"hand" so that make_hant.py keeps it from then on. Run it after make_hant.py; read what it prints."""

import sys
from pathlib import Path

import polib

HANT = Path(__file__).resolve().parent.parent / "locale/zh_Hant/LC_MESSAGES/django.po"
FIXES = {"稽核": "審核", "個人資訊保護法": "個人信息保護法", "摺合": "折合", "寫明瞭": "寫明了"}
NOTE = "hand: reviewed — 審核 (review), not 稽核 (audit); a law keeps its own name; 折合"


def fix(text: str) -> str:
    for wrong, right in FIXES.items():
        text = text.replace(wrong, right)
    return text


def main() -> int:
    catalogue = polib.pofile(str(HANT))
    changed = 0
    for entry in catalogue:
        if entry.msgid_plural:
            new = {k: fix(v) for k, v in entry.msgstr_plural.items()}
            if new == entry.msgstr_plural:
                continue
            entry.msgstr_plural = new
        else:
            new = fix(entry.msgstr)
            if new == entry.msgstr:
                continue
            entry.msgstr = new
        entry.tcomment = NOTE
        changed += 1
        print(f"{entry.msgid[:60]!r} -> {entry.msgstr or entry.msgstr_plural}")
    catalogue.save()
    print(f"{changed} entries corrected and marked hand", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
