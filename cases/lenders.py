"""The lenders of a case: one per name on the contracts, each with a stable slug for URLs.

A case's lenders are not rows of their own: the lender is what the user typed as the name on
each debt's contract (DOMAIN.md "Products and lenders": always the name on the contract). Letters,
call cards and offers are per lender, so every feature names a lender the same way: by its
``slug`` in URLs and commands, by its ``name`` in print.
"""

import hashlib
from dataclasses import dataclass


def normalise(name: str) -> str:
    """The form two spellings of one lender share: surrounding and inner runs of space removed."""
    return "".join(name.split())


def lender_slug(name: str) -> str:
    """A short, URL-safe key for a lender's name, the same for every spelling that normalises alike."""
    return "l" + hashlib.sha256(normalise(name).encode()).hexdigest()[:10]


@dataclass(frozen=True)
class Lender:
    name: str
    slug: str
    debt_ids: tuple[int, ...]

    @property
    def url_slug(self) -> str:
        """The slug in a letter's URL: "-" for a case-wide document (no addressee; legacy letters too)."""
        return self.slug or "-"


# What kind of institution a lender is: it decides which collection rules bind it (DOMAIN.md "Debt-collection
# conduct") and whether the credit-card instalment rule can be asked for (letters/rules.py). The name on the
# contract tells: only a bank approved by the regulator may put "银行" in its name (商业银行法 Art 11), and a
# consumer-finance company's name says "消费金融" (重庆蚂蚁消费金融有限公司, Huabei's and Jiebei's lender). A name
# that says neither is a licensed lender of unknown kind ("other"), unless every debt with it is private lending.
BANK = "bank"
CONSUMER_FINANCE = "consumer_finance"
OTHER = "other"
PRIVATE = "private"


def lender_kind(name: str, private_lending: bool = False) -> str:
    """BANK, CONSUMER_FINANCE, OTHER or PRIVATE for the lender named ``name`` on the contracts;
    ``private_lending``: every debt with it is marked private lending (Debt.lender_type)."""
    key = normalise(name)
    if "消费金融" in key:
        return CONSUMER_FINANCE
    if "银行" in key:
        return BANK
    return PRIVATE if private_lending else OTHER


# The addressee of a case-wide document (the lawyer summary): no lender. Stored like the letters from
# before letters had one addressee: lender "" and slug "", "-" in URLs.
CASE_WIDE = Lender("", "", ())


def lenders_of(debts) -> list[Lender]:
    """The lenders of these debts, in the order their first debt appears; debts with an empty
    lender name are left out (the intake asks for the name before any letter)."""
    found: dict[str, tuple[str, list[int]]] = {}
    for debt in debts:
        key = normalise(debt.lender)
        if not key:
            continue
        found.setdefault(key, (debt.lender.strip(), []))[1].append(debt.pk)
    return [Lender(name, lender_slug(name), tuple(ids)) for name, ids in found.values()]


def find_lender(debts, value: str) -> Lender | None:
    """The lender ``value`` names among these debts: its slug, its name (any spacing), or the id of
    one of its debts. None when it names none of them."""
    lenders = lenders_of(debts)
    value = (value or "").strip()
    for lender in lenders:
        if value == lender.slug or (normalise(value) and normalise(value) == normalise(lender.name)):
            return lender
    if value.isdigit():
        for lender in lenders:
            if int(value) in lender.debt_ids:
                return lender
    return None


def concerned(lenders: list[Lender], debt_ids, collecting_for: str, organisation: str) -> list[Lender]:
    """Which of a case's ``lenders`` a negotiation-log entry concerns — the one rule letters, the coach
    and the outcome counts share: the lenders of the debts the entry names and the lender the caller
    collects for; an entry that names neither concerns the lender its organisation names (the
    lender's own staff called). An entry that matches none concerns no lender."""
    ids = set(debt_ids or ())
    collecting = normalise(collecting_for or "")
    found = [lender for lender in lenders
             if ids.intersection(lender.debt_ids) or (collecting and normalise(lender.name) == collecting)]
    if found:
        return found
    organisation = normalise(organisation or "")
    return [lender for lender in lenders if organisation and normalise(lender.name) == organisation]
