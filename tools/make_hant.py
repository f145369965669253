"""Write the Traditional Chinese catalog from the Simplified one with OpenCC
(s2twp: Taiwan standard with phrase conversion). Entries translated by hand in
zh_Hant (marked with the comment "hand") are kept as they are."""

import sys
from pathlib import Path

import opencc
import polib

ROOT = Path(__file__).resolve().parent.parent
HANS = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
HANT = ROOT / "locale/zh_Hant/LC_MESSAGES/django.po"
# What s2twp gets wrong in our texts: Taiwan vocabulary where a legal or review term must stay as it is. An entry
# whose conversion contains one of these is reported, to be reviewed and marked "hand" (issue 17).
NEEDS_A_HAND = {"稽核": "審核 (review), not 稽核 (audit)", "資訊保護法": "a law keeps its own name: 個人信息保護法",
                "摺合": "折合", "明瞭": "寫明了"}


def main() -> int:
    converter = opencc.OpenCC("s2twp")
    hans = polib.pofile(str(HANS))
    hand = {}
    if HANT.exists():
        for entry in polib.pofile(str(HANT)):
            if "hand" in (entry.tcomment or ""):
                hand[(entry.msgctxt, entry.msgid)] = entry
    out = polib.POFile(wrapwidth=0)
    out.metadata = dict(hans.metadata)
    out.metadata["Language"] = "zh_Hant"
    out.metadata["Language-Team"] = "Traditional Chinese (generated from zh_Hans by tools/make_hant.py)"
    for entry in hans:
        if (entry.msgctxt, entry.msgid) in hand:
            out.append(hand[(entry.msgctxt, entry.msgid)])
            continue
        new = polib.POEntry(
            msgid=entry.msgid,
            msgid_plural=entry.msgid_plural,
            msgctxt=entry.msgctxt,
            occurrences=entry.occurrences,
            flags=[f for f in entry.flags if f != "fuzzy"] if entry.msgstr or entry.msgstr_plural else entry.flags,
        )
        if entry.msgid_plural:
            new.msgstr_plural = {k: converter.convert(v) for k, v in entry.msgstr_plural.items()}
        else:
            new.msgstr = converter.convert(entry.msgstr)
        out.append(new)
        converted = " ".join([new.msgstr, *new.msgstr_plural.values()])
        for term, why in NEEDS_A_HAND.items():
            if term in converted:
                print(f"review by hand ({why}): {entry.msgid[:60]!r}", file=sys.stderr)
    HANT.parent.mkdir(parents=True, exist_ok=True)
    out.save(str(HANT))
    print(f"wrote {HANT} ({len(out)} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
