"""Rules tables of the negotiation log, each row with its source (see DOMAIN.md).

Kept free of queries: functions here take plain values or already-loaded rows,
so the views decide how many SQL queries a page costs.
"""

import calendar
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from ..letters.choices import LetterKind

SHANGHAI = ZoneInfo("Asia/Shanghai")

# DOMAIN.md gives the permitted hours for collection calls as 8:00–21:00 *or*
# 8:00–22:00 and marks them unverified (U). One constant, shown in the UI as a
# default; change it here when a binding source is confirmed.
PERMITTED_CALL_HOURS: tuple[time, time] = (time(8, 0), time(21, 0))
PERMITTED_HOURS_VERIFIED = False

# "Repeated calls" has no official number (U): more than this many contacts from
# the same number on one Shanghai calendar day is flagged.
REPEATED_CALLS_PER_DAY = 3

# Channels through which a collector reaches the debtor "by call or message".
CALL_CHANNELS = frozenset({"collector_call", "hotline", "sms"})


@dataclass(frozen=True)
class MisconductRule:
    slug: str
    label: str
    rule: str
    source: str
    computed: bool = False


_CBIRC = "银行保险机构消费者权益保护管理办法（原银保监会令2022年第9号）第41条"
_NIFA = "中国互联网金融协会《互联网金融逾期债务催收自律公约（试行）》（2018）"
_NFRA = "消费金融公司管理办法（国家金融监督管理总局令2024年第4号）"
_CIVIL = "《民法典》第1032–1033条"

MISCONDUCT_RULES: tuple[MisconductRule, ...] = (
    MisconductRule(
        "night_call", _("Call or message outside permitted hours"),
        _("Collectors must not harass you, including by calling at night."),
        f"{_CBIRC}; {_NIFA}; {_CIVIL}", computed=True,
    ),
    MisconductRule(
        "repeated_calls", _("Repeated calls from the same number"),
        _("Calling again and again on one day is harassment."),
        f"{_CBIRC}; {_NIFA}; {_CIVIL}", computed=True,
    ),
    MisconductRule(
        "third_party", _("Contacted family, employer or friends"),
        _("Collectors must not contact people who have nothing to do with the debt."),
        f"{_CBIRC}; {_NIFA}; {_NFRA}",
    ),
    MisconductRule(
        "disclosure", _("Told others about my debt"),
        _("Collectors must not disclose your debt to third parties."),
        f"{_CBIRC}; {_NIFA}; {_CIVIL}",
    ),
    MisconductRule(
        "threat_insult", _("Threats, intimidation or insults"),
        _("Violence, threats, intimidation and insults are prohibited in collection."),
        f"{_CBIRC}; {_NIFA}",
    ),
    MisconductRule(
        "impersonation", _("Pretended to be a court, police or other authority"),
        _("Collectors must not impersonate courts, police or government bodies."),
        f"{_CBIRC}; {_NIFA}",
    ),
    MisconductRule(
        "fake_documents", _("Fake legal documents"),
        _("Sending forged or made-up legal papers to frighten you is fraud and prohibited."),
        f"{_CBIRC}; {_NIFA}",
    ),
)
MISCONDUCT_BY_SLUG = {r.slug: r for r in MISCONDUCT_RULES}
REPORTED_MISCONDUCT = tuple(r for r in MISCONDUCT_RULES if not r.computed)


def local(moment: datetime) -> datetime:
    return moment.astimezone(SHANGHAI)


def outside_permitted_hours(moment: datetime, hours: tuple[time, time] = PERMITTED_CALL_HOURS) -> bool:
    """True if ``moment`` (aware, any zone) falls outside the hours on a Shanghai clock."""
    start, end = hours
    t = local(moment).time()
    return not (start <= t < end)


def computed_misconduct(channel: str, direction: str, moment: datetime, calls_that_day: int) -> list[str]:
    """The flags we derive ourselves for a contact from a collector."""
    if direction != "incoming" or channel not in CALL_CHANNELS:
        return []
    flags = []
    if outside_permitted_hours(moment):
        flags.append("night_call")
    if calls_that_day > REPEATED_CALLS_PER_DAY:
        flags.append("repeated_calls")
    return flags


def computed_flags(contacts) -> dict[int, list[str]]:
    """The flags we derive for each contact of a case's whole log, by id: a call is
    repeated by the incoming calls from its number that China day. ``contacts`` are
    Contact objects or rows with id, channel, direction, occurred_at, phone_number."""
    def number_day(contact) -> tuple[str, date]:
        return contact.phone_number.strip(), local(contact.occurred_at).date()

    calls = Counter(number_day(c) for c in contacts if c.direction == "incoming" and c.channel in CALL_CHANNELS)
    return {
        c.id: computed_misconduct(c.channel, c.direction, c.occurred_at,
                                  calls[number_day(c)] if c.phone_number.strip() else 0)
        for c in contacts
    }


# --- Every date that matters: one deadline table ------------------------------
#
# Each rule counts calendar days from its start date (the day the event was logged,
# or the served-on date of a lawsuit): start + days. The law counts a period from
# the next day, which gives the same date. Dates are shown as they fall; we do not
# move them for public holidays, so the user never relies on a later date than the
# one we show.

_COMPLAINTS = "《银行业保险业消费投诉处理管理办法》（原银保监会令2020年第3号）"


@dataclass(frozen=True)
class DeadlineRule:
    slug: str
    starts: str  # what starts it: a Contact.Event value, or "follow_up", "plan_payment", "limitation", "lawsuit"
    days: int | None  # None: the date is given (a follow-up, a plan's due date) or counted in years
    label: str
    source: str
    whose: str  # who must act by the date: "you", "lender", "regulator"
    note: str = ""


DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule(
        "follow_up", "follow_up", None, _("Follow up"),
        _("the date you chose in the log"), "you",
    ),
    DeadlineRule(
        "complaint_reply", "complaint_filed", 15, _("The lender must answer your complaint"),
        _COMPLAINTS, "lender",
        _("15 days for a simple complaint, counted from the day you logged it."),
    ),
    DeadlineRule(
        "complaint_reply_complex", "complaint_filed", 30,
        _("Latest answer to your complaint if the lender says it is complex"),
        _COMPLAINTS, "lender",
        _("A complex complaint may take 30 days."),
    ),
    DeadlineRule(
        "complaint_reply_extended", "complaint_filed", 60,
        _("Latest answer to your complaint with an approved extension"),
        _COMPLAINTS, "lender",
        _("With approval the lender may take 30 more days, 60 at most."),
    ),
    DeadlineRule(
        "regulator_acceptance", "regulator_complaint", 15,
        _("The regulator should say whether it accepts your report"),
        "国家金融监督管理总局 12378（受理期限，DOMAIN.md：M）", "regulator",
        _("Reported practice: a decision on acceptance within 15 days."),
    ),
    DeadlineRule(
        "regulator_handling", "regulator_complaint", 60,
        _("The regulator's investigation should be finished"),
        "国家金融监督管理总局 12378（办理期限，DOMAIN.md：M）", "regulator",
        _("Reported practice: an investigation within 60 days."),
    ),
    DeadlineRule(
        "credit_objection", "credit_objection", 20,
        _("Your credit-report objection must be decided"),
        "《征信业管理条例》第25条", "lender",
    ),
    DeadlineRule(
        "court_answer", "lawsuit_served", 15, _("Your defence to the court is due"),
        "《民事诉讼法》第128条", "you",
        _("15 days from the day the court papers were served on you."),
    ),
    DeadlineRule(
        "plan_payment", "plan_payment", None, _("Payment due under your agreement"),
        _("the agreement you recorded"), "you",
    ),
    DeadlineRule(
        "limitation", "limitation", None, _("Three years since the last interruption of the time limit"),
        "《民法典》第188、189、195条；最高人民法院诉讼时效规定第8、14条", "lender",
        _("After this date the lender may be too late to sue, unless something interrupted the time limit. "
          "Paying, promising or agreeing a plan starts it again."),
    ),
)
DEADLINE_BY_SLUG = {rule.slug: rule for rule in DEADLINE_RULES}
LIMITATION_YEARS = 3  # 《民法典》第188条


def rules_started_by(start: str) -> list[DeadlineRule]:
    return [rule for rule in DEADLINE_RULES if rule.starts == start]


# The first deadline each logged event starts: it becomes the contact's follow-up.
DEADLINES: dict[str, DeadlineRule] = {
    rule.starts: rule for rule in reversed(DEADLINE_RULES) if rule.days is not None
}


def deadline_for(event: str, on: date) -> date | None:
    rule = DEADLINES.get(event)
    return on + timedelta(days=rule.days) if rule else None


def add_months(on: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month0 = on.month - 1 + months
    year, month = on.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(on.day, calendar.monthrange(year, month)[1]))


def limitation_date(last_interruption: date) -> date:
    """Three years on (29 February becomes 28 February), as the finance engine counts them."""
    return add_months(last_interruption, 12 * LIMITATION_YEARS)


# --- The escalation ladder ----------------------------------------------------


@dataclass(frozen=True)
class LogFacts:
    """What the ladder needs to know about a case's log, gathered in a few queries."""

    no_answers: int = 0
    refusals: int = 0
    unaffordable_offer: bool = False
    misconduct: bool = False
    sued_on: date | None = None
    agreed_contact_id: int | None = None
    case_agreed: bool = False


@dataclass(frozen=True)
class LadderRule:
    slug: str
    applies: Callable[[LogFacts], bool]
    advice: str
    reason: str
    source: str
    letters: tuple[str, ...] = ()


LADDER: tuple[LadderRule, ...] = (
    LadderRule(
        "sued",
        lambda f: f.sued_on is not None,
        _("You have been sued: file a written defence within 15 days of service."),
        _("If no defence is filed in time, the court decides on the lender's papers alone."),
        "《民事诉讼法》第124、128条; 要素式民事答辩状（金融借款合同纠纷）",
        (LetterKind.COURT_DEFENCE,),
    ),
    LadderRule(
        "misconduct",
        lambda f: f.misconduct,
        _("Collection misconduct is in your log: complain about it in writing."),
        _("Harassment, threats and contacting third parties are prohibited; a written complaint with dates and evidence must be answered."),
        f"{_CBIRC}; {_NIFA}; {_CIVIL}",
        (LetterKind.COLLECTION_COMPLAINT,),
    ),
    LadderRule(
        "refused",
        lambda f: f.refusals >= 2 or f.unaffordable_offer,
        _("The lender refused twice or offered more than you can pay: send a hardship statement and complain to the regulator."),
        _("Lenders often refuse for lack of proof; evidence of hardship and a regulator complaint (12378) move the case forward."),
        "银行业保险业消费投诉处理管理办法（2020年第3号）; 国家金融监督管理总局 12378",
        (LetterKind.HARDSHIP_STATEMENT, LetterKind.REGULATOR_COMPLAINT),
    ),
    LadderRule(
        "no_answer",
        lambda f: f.no_answers >= 2,
        _("Two attempts went unanswered: make your request in writing."),
        _("A written request leaves a record the lender has to deal with."),
        "DOMAIN.md: negotiation practice (written requests leave a record)",
        (LetterKind.NEGOTIATION_REQUEST,),
    ),
    LadderRule(
        "agreed",
        lambda f: f.agreed_contact_id is not None and not f.case_agreed,
        _("You reached an agreement: record the agreed plan and mark the case agreed."),
        _("Keeping the exact terms lets you check every payment; agreeing to pay restarts the three-year limitation period."),
        "《民法典》第195条; 最高人民法院诉讼时效规定第14条",
    ),
)


def ladder(facts: LogFacts) -> list[LadderRule]:
    """The steps that apply now, most urgent first (the table's order)."""
    return [rule for rule in LADDER if rule.applies(facts)]
