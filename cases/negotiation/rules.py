"""Rules tables of the negotiation log, each row with its source (see DOMAIN.md).

Kept free of queries: functions here take plain values or already-loaded rows,
so the views decide how many SQL queries a page costs.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from ..finance.limitation import add_months, limitation_end
from ..lenders import BANK, CONSUMER_FINANCE, OTHER, PRIVATE
from ..letters.choices import LetterKind
from ..roads.rules import CREDIT_OBJECTION_REPLY_DAYS, MEDIATION_CONFIRMATION_DAYS

SHANGHAI = ZoneInfo("Asia/Shanghai")

# DOMAIN.md gives the permitted hours for collection calls as 8:00–21:00 *or*
# 8:00–22:00 and marks them unverified (U). One constant, shown in the UI as a
# default; change it here when a binding source is confirmed.
PERMITTED_CALL_HOURS: tuple[time, time] = (time(8, 0), time(21, 0))
PERMITTED_HOURS_VERIFIED = False
# While unverified, only a call outside *both* readings is flagged as misconduct (and printed in a
# complaint): a call between 21:00 and 22:00 is a "late call", noted in the log but never asserted as a
# breach. Once a binding source is confirmed, the flag follows PERMITTED_CALL_HOURS alone.
WIDEST_CALL_HOURS: tuple[time, time] = (time(8, 0), time(22, 0))
BREACH_CALL_HOURS = PERMITTED_CALL_HOURS if PERMITTED_HOURS_VERIFIED else WIDEST_CALL_HOURS

# "Repeated calls" has no official number (U): more than this many contacts from
# the same number on one Shanghai calendar day is flagged.
REPEATED_CALLS_PER_DAY = 3

# Channels through which a collector reaches the debtor "by call or message".
CALL_CHANNELS = frozenset({"collector_call", "hotline", "sms"})


_CBIRC = "银行保险机构消费者权益保护管理办法（原银保监会令2022年第9号）第41条"
_NIFA = "中国互联网金融协会《互联网金融逾期债务催收自律公约（试行）》（2018）"
_NFRA = "消费金融公司管理办法（国家金融监督管理总局令2024年第4号）"
_CIVIL = "《民法典》第1032–1033条"

_LICENSED = frozenset({BANK, CONSUMER_FINANCE, OTHER})
# Whom each source on collection conduct binds, by kind of lender (cases.lenders; DOMAIN.md "Debt-collection
# conduct"): CBIRC 2022 No. 9 binds banking and insurance institutions, consumer-finance companies included;
# NIFA's convention binds its members (self-regulation, cited for licensed lenders); the NFRA 2024 No. 4 rules bind
# consumer-finance companies only — never cited against a bank or a lender of unknown kind; the Civil Code binds
# everyone. A lender of unknown kind ("other": it may be a microloan company, not a banking institution) gets
# neither regulation, only the convention and the Civil Code: a citation that may not bind is left out.
COLLECTION_SOURCES: dict[str, tuple[str, frozenset[str]]] = {
    "cbirc": (_CBIRC, frozenset({BANK, CONSUMER_FINANCE})),
    "nifa": (_NIFA, _LICENSED),
    "nfra": (_NFRA, frozenset({CONSUMER_FINANCE})),
    "civil": (_CIVIL, frozenset({BANK, CONSUMER_FINANCE, OTHER, PRIVATE})),
}


@dataclass(frozen=True)
class MisconductRule:
    slug: str
    label: str
    rule: str
    sources: tuple[str, ...]  # keys of COLLECTION_SOURCES
    computed: bool = False

    def source_for(self, lender_kind: str) -> str:
        """The sources that bind a lender of this kind, "；"-joined ("" when none does)."""
        return "；".join(citation for citation, binds in (COLLECTION_SOURCES[key] for key in self.sources)
                         if lender_kind in binds)

    @property
    def source(self) -> str:
        """What the log shows beside a flag, whoever the lender: what binds every licensed lender."""
        return self.source_for(OTHER)


MISCONDUCT_RULES: tuple[MisconductRule, ...] = (
    MisconductRule(
        "night_call", _("Call or message outside permitted hours"),
        _("Collectors must not harass you, including by calling at night."),
        ("cbirc", "nifa", "civil"), computed=True,
    ),
    MisconductRule(
        "repeated_calls", _("Repeated calls from the same number"),
        _("Calling again and again on one day is harassment."),
        ("cbirc", "nifa", "civil"), computed=True,
    ),
    MisconductRule(
        "third_party", _("Contacted family, employer or friends"),
        _("Collectors must not contact people who have nothing to do with the debt."),
        ("cbirc", "nifa", "nfra"),
    ),
    MisconductRule(
        "disclosure", _("Told others about my debt"),
        _("Collectors must not disclose your debt to third parties."),
        ("cbirc", "nifa", "civil"),
    ),
    MisconductRule(
        "threat_insult", _("Threats, intimidation or insults"),
        _("Violence, threats, intimidation and insults are prohibited in collection."),
        ("cbirc", "nifa"),
    ),
    MisconductRule(
        "impersonation", _("Pretended to be a court, police or other authority"),
        _("Collectors must not impersonate courts, police or government bodies."),
        ("cbirc", "nifa"),
    ),
    MisconductRule(
        "fake_documents", _("Fake legal documents"),
        _("Sending forged or made-up legal papers to frighten you is fraud and prohibited."),
        ("cbirc", "nifa"),
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


def late_call(channel: str, direction: str, moment: datetime) -> bool:
    """A collector's call in the disputed hour (after PERMITTED_CALL_HOURS, within BREACH_CALL_HOURS):
    the log says so, letters do not assert it."""
    return (direction == "incoming" and channel in CALL_CHANNELS and outside_permitted_hours(moment)
            and not outside_permitted_hours(moment, BREACH_CALL_HOURS))


def computed_misconduct(channel: str, direction: str, moment: datetime, calls_that_day: int) -> list[str]:
    """The flags we derive ourselves for a contact from a collector."""
    if direction != "incoming" or channel not in CALL_CHANNELS:
        return []
    flags = []
    if outside_permitted_hours(moment, BREACH_CALL_HOURS):
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
        "credit_objection", "credit_objection", CREDIT_OBJECTION_REPLY_DAYS,
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


def rules_started_by(start: str) -> list[DeadlineRule]:
    return [rule for rule in DEADLINE_RULES if rule.starts == start]


# The first deadline each logged event starts: it becomes the contact's follow-up.
DEADLINES: dict[str, DeadlineRule] = {
    rule.starts: rule for rule in reversed(DEADLINE_RULES) if rule.days is not None
}


def deadline_for(event: str, on: date) -> date | None:
    rule = DEADLINES.get(event)
    return on + timedelta(days=rule.days) if rule else None


# Months and the limitation period are counted as the finance engine counts them (one rule, in
# finance.limitation; ``add_months`` is imported above for the log's own dates).
limitation_date = limitation_end


# --- The escalation ladder ----------------------------------------------------


@dataclass(frozen=True)
class LogFacts:
    """What the ladder needs to know about a case's log, gathered in a few queries."""

    no_answers: int = 0
    refusals: int = 0
    unaffordable_offer: bool = False
    misconduct: bool = False
    sued_on: date | None = None
    agreed_contact_id: int | None = None  # the latest "Agreed" entry not yet recorded as a lender's plan
    case_agreed: bool = False  # any lender ever agreed (the case's status, or an entry marked agreed)
    # The other roads (issue 19).
    contacts: int = 0
    complaint_filed: bool = False
    complaint_answered: bool = False  # a refusal, offer or information logged after the first complaint
    mediation_centre_called: bool = False
    arbitration_notice_on: date | None = None
    mediation_agreed_on: date | None = None
    today: date | None = None
    bankruptcy_regime: str = ""  # roads.rules.bankruptcy_regime of the case's region

    @property
    def settled(self) -> bool:
        return self.agreed_contact_id is not None or self.case_agreed

    @property
    def stuck(self) -> bool:
        """Negotiation has not worked: two refusals or an offer above the budget."""
        return self.refusals >= 2 or self.unaffordable_offer


def _confirmation_open(f: LogFacts) -> bool:
    if f.mediation_agreed_on is None or f.today is None:
        return False
    return 0 <= (f.today - f.mediation_agreed_on).days <= MEDIATION_CONFIRMATION_DAYS


@dataclass(frozen=True)
class LadderRule:
    slug: str
    applies: Callable[[LogFacts], bool]
    advice: str
    reason: str
    source: str
    letters: tuple[str, ...] = ()
    road: str = ""  # the page of the other roads it leads to (roads/pages.py)


_MEDIATION_LAW = "《人民调解法》第33条；《民事诉讼法》（2023年修正）第205条"
_ARBITRATION = "《仲裁法》（2025年修订，2026年3月1日起施行）第27、72条（M）"

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
        "arbitration",
        lambda f: f.arbitration_notice_on is not None,
        _("You received an arbitration notice: check the commission and the clause, and answer by the deadline."),
        _("If you never agreed to arbitration, deny the clause in writing before the first hearing; an award is "
          "final and can be challenged only within three months."),
        _ARBITRATION,
        road="arbitration",
    ),
    LadderRule(
        "lawyer",
        lambda f: f.sued_on is not None or f.arbitration_notice_on is not None,
        _("A court or arbitration case is open: talk to a lawyer or ask for legal aid (12348)."),
        _("A one-page summary of your case makes the first consultation short and cheap."),
        "《法律援助法》第22、31、34条; 12348",
        (LetterKind.LAWYER_SUMMARY,),
        road="lawyer",
    ),
    LadderRule(
        "mediation_confirmation",
        _confirmation_open,
        _("You reached an agreement in mediation: you and the lender can ask a court to confirm it within 30 days."),
        _("A court-confirmed agreement is harder to go back on than a promise on the phone."),
        _MEDIATION_LAW,
        road="mediation",
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
        "mediation_centre",
        lambda f: f.mediation_centre_called,
        _("A \"mediation centre\" contacted you: check that it is real before you pay or sign anything."),
        _("Collection firms sometimes call themselves a mediation centre; a real one is linked to a court or "
          "registered with the justice bureau, and never charges you to close the file."),
        "《人民调解法》；各地司法行政机关人民调解委员会名录（M）",
        road="arbitration",
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
        "mediation",
        lambda f: not f.settled and (f.stuck or f.complaint_answered),
        _("Negotiation has stalled: ask a mediator to help you and the lender agree."),
        _("A mediator can bring the lender back to the table, and an agreement reached there can be confirmed by a court."),
        _MEDIATION_LAW,
        (LetterKind.MEDIATION_APPLICATION,),
        road="mediation",
    ),
    LadderRule(
        "consumer_association",
        lambda f: not f.settled and f.complaint_filed,
        _("After the regulator, the consumer association is one more channel — with limits."),
        _("It can advise and mediate, but cannot decide the dispute; it rarely takes credit disputes."),
        "《消费者权益保护法》第39条",
        road="consumer-association",
    ),
    LadderRule(
        "bankruptcy",
        lambda f: bool(f.bankruptcy_regime) and (f.stuck or f.sued_on is not None),
        _("Where you live, a personal bankruptcy or debt-clearing procedure exists: see whether it may cover you."),
        _("It is a last road for debts that cannot be repaid even over years."),
        "《深圳经济特区个人破产条例》; 《厦门经济特区个人破产保护条例》; 浙江个人债务集中清理（M）",
        road="bankruptcy",
    ),
    LadderRule(
        "going_public",
        lambda f: f.misconduct and f.complaint_filed,
        _("If you think of going public about the collectors, read this first."),
        _("Only true, provable facts, and no one's personal data: false or private details can be defamation."),
        "《民法典》第1024条",
        road="going-public",
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
        lambda f: f.agreed_contact_id is not None,
        _("You reached an agreement: record it as that lender's plan, so each payment can be checked off."),
        _("Keeping the exact terms lets you check every payment; agreeing to pay restarts the three-year limitation period."),
        "《民法典》第195条; 最高人民法院诉讼时效规定第14条",
    ),
    LadderRule(
        "credit_report",
        lambda f: f.contacts > 0,
        _("Check your credit report (free twice a year). Nobody can lawfully delete a true record: anyone who "
          "charges to \"repair\" it is running a scam."),
        _("A wrong record can be objected to, with an answer within 20 days; a true one stays five years after "
          "the default ends."),
        "《征信业管理条例》第16、17、25条",
        road="credit-report",
    ),
)


def ladder(facts: LogFacts) -> list[LadderRule]:
    """The steps that apply now, most urgent first (the table's order)."""
    return [rule for rule in LADDER if rule.applies(facts)]
