"""The other roads (issue 19): what each information page states, one row per statement with
its source and how sure we are (DOMAIN.md "Other roads", "Credit reporting", "Complaint and
escalation channels", "Settlements, payments and collection threats").

Levels follow DOMAIN.md: H high, M medium, U unverified. A page shows every statement below
H with a marker, and U ones say "not yet checked" in words (``Fact.unverified``). Rows without
a legal source are our own advice (``source=""``): the page shows them without a citation.

A leaf module: Django only, so pages, the ladder and letters can all read it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

H, M, U = "H", "M", "U"

# Figures the pages and letters share, each with its source.
MEDIATION_CONFIRMATION_DAYS = 30  # 人民调解法第33条; 民事诉讼法（2023）第205条 (H)
CREDIT_OBJECTION_REPLY_DAYS = 20  # 征信业管理条例第25条 (H)


@dataclass(frozen=True)
class Fact:
    slug: str
    text: str
    source: str = ""  # empty: our own advice, not a legal statement
    level: str = H

    @property
    def unverified(self) -> bool:
        return self.level == U

    @property
    def marked(self) -> bool:
        """Shown with its level: anything less sure than H."""
        return bool(self.source) and self.level != H


_MEDIATION_LAW = "《人民调解法》第33条；《民事诉讼法》（2023年修正）第205条"
_CREDIT_REG = "《征信业管理条例》"
_ARBITRATION = "《仲裁法》（2025年修订，2026年3月1日起施行）"
_SHENZHEN = "《深圳经济特区个人破产条例》（2021年3月1日起施行）"
_XIAMEN = "《厦门经济特区个人破产保护条例》（2025年11月1日起施行）"
_LIMITATION = "最高人民法院《关于审理民事案件适用诉讼时效制度若干问题的规定》第14、19条"

FACTS: tuple[Fact, ...] = (
    # --- Mediation -------------------------------------------------------------------------
    Fact("mediation_what", _(
        "In mediation a neutral third party helps you and the lender look for an agreement. Nobody can make "
        "you sign one; if you do not agree, you keep every other road."),
         "《人民调解法》", U),
    Fact("mediation_when", _(
        "It fits when the lender has refused your request, or answered your complaint without an agreement: "
        "a mediator can bring the lender back to the table with your plan.")),
    Fact("mediation_bodies", _(
        "Court-linked online mediation and financial-dispute mediation committees take disputes like yours. "
        "Most provinces have a banking and insurance dispute mediation organisation, and a financial "
        "institution should not refuse mediation without good reason."),
         "法院在线调解平台；各地银行业保险业纠纷调解组织（具体机构未核实）", U),
    Fact("mediation_confirmation", _(
        "If you reach an agreement through a lawfully established mediation organisation, you and the lender "
        "can apply together to a court to confirm it, within 30 days of the agreement taking effect."),
         _MEDIATION_LAW, H),
    Fact("mediation_centres_qualify", _(
        "Many financial-dispute mediation centres are not people's mediation committees, but their agreements "
        "can still be confirmed by a court in the same way."),
         "《民事诉讼法》（2023年修正）第205条", M),
    Fact("mediation_restarts_limitation", _(
        "Agreeing to pay in mediation is agreeing to pay: it restarts the three-year limitation period. If a debt "
        "may be too old to be claimed, do not agree to pay it before that is checked."),
         _LIMITATION, H),
    # --- Consumer association ----------------------------------------------------------------
    Fact("association_law", _(
        "The consumer protection law lists asking the consumer association to advise and mediate among the ways "
        "to settle a dispute between a consumer and a business."),
         "《消费者权益保护法》第39条", H),
    Fact("association_can", _(
        "It can advise you and try to mediate between you and the lender."),
         "《消费者权益保护法》第39条", H),
    Fact("association_cannot", _(
        "It cannot decide the dispute, order the lender to reduce or stop charges, or stop a lawsuit. In "
        "practice associations rarely take on credit disputes, so use it after the lender's own complaint "
        "process and the financial regulator (12378), not instead of them."),
         "《消费者权益保护法》第39条；各地消费者协会的实际做法", M),
    Fact("association_12315", _(
        "The market-regulation line 12315 usually turns credit disputes away; try it last."),
         "《市场监督管理投诉举报处理暂行办法》第15条第1项", H),
    # --- Lawyer and legal aid ----------------------------------------------------------------
    Fact("lawyer_licence", _(
        "Check the lawyer's practising licence on the local justice bureau's public register of lawyers."),
         "各地司法行政机关律师执业信息公示", M),
    Fact("lawyer_practice", _(
        "Ask which financial-loan disputes the lawyer has handled, and how they would approach yours.")),
    Fact("lawyer_fees", _(
        "Ask for a written fee agreement that says what the work covers and what it costs."),
         "《律师服务收费管理办法》", M),
    Fact("lawyer_no_erasing", _(
        "Walk away from anyone who promises to \"erase\" your debt or your credit record, or wants a success fee "
        "for it: a lawful debt and a true record cannot be bought away.")),
    Fact("lawyer_communication", _(
        "Choose someone who explains in plain words, answers your messages and tells you the risks, not only "
        "the chances.")),
    Fact("legal_aid_12348", _(
        "12348 is the public legal-services hotline: ask there about legal aid where you live."),
         "《法律援助法》（2022年1月1日起施行）; 12348 公共法律服务热线", H),
    Fact("legal_aid_who", _(
        "Defending a debt claim is not on the national list of legal-aid matters, but your province may have "
        "added it; the income limit for who qualifies is also set by your province."),
         "《法律援助法》第31条、第34条", H),
    Fact("legal_aid_what", _(
        "Legal aid can be advice, or help drafting documents such as your answer to a lawsuit."),
         "《法律援助法》第22条", H),
    # --- Credit report ---------------------------------------------------------------------
    Fact("credit_free", _(
        "You can get your own credit report free of charge twice a year."),
         f"{_CREDIT_REG}第17条", H),
    Fact("credit_huabei", _(
        "Huabei has reported to the central credit database every month since September 2021; how Jiebei "
        "reports is not confirmed."),
         "中国人民银行征信中心；花呗自2021年9月起按月报送（借呗报送方式未核实）", U),
    Fact("credit_notice", _(
        "A lender must tell you before it reports negative information about you."),
         f"{_CREDIT_REG}第15条", H),
    Fact("credit_five_years", _(
        "A negative record stays for five years from the day the default ends. A debt that is still unpaid "
        "keeps its record until it is settled, and five years after that."),
         f"{_CREDIT_REG}第16条", H),
    Fact("credit_statement", _(
        "You may add your own explanatory statement to a negative record (for example: illness, and the plan "
        "you agreed)."),
         f"{_CREDIT_REG}第16条第2款", H),
    Fact("credit_objection", _(
        "If a record is wrong — a wrong amount, wrong dates, a debt that is not yours, or negative information "
        "reported without telling you first — you can object in writing. The objection must be checked and "
        "answered within 20 days."),
         f"{_CREDIT_REG}第25条", H),
    Fact("credit_complaint", _(
        "If the objection goes nowhere, complain to the People's Bank of China (12363); a complaint goes to its "
        "local branch, which must reply in writing within 30 days."),
         f"{_CREDIT_REG}第26条", M),
    Fact("credit_no_deletion", _(
        "Nobody can lawfully delete a true record before its five years are up: not a firm, not a lawyer, "
        "not a contact at the bank."),
         f"{_CREDIT_REG}第16条", H),
    Fact("credit_2025_history", _(
        "In 2025 the People's Bank of China ran a one-off scheme hiding small overdue records repaid by 31 March "
        "2026. That deadline has passed; anyone offering it now is not telling the truth."),
         "中国人民银行2025年一次性信用修复政策", M),
    # --- Personal bankruptcy -------------------------------------------------------------------
    Fact("bankruptcy_shenzhen_who", _(
        "Shenzhen's regulation covers people who live in Shenzhen, have paid Shenzhen social insurance for "
        "three years in a row, and cannot repay debts from running a business or from everyday consumption."),
         _SHENZHEN, M),
    Fact("bankruptcy_shenzhen_counselling", _(
        "Before applying you go through free, confidential counselling with the Shenzhen bankruptcy "
        "administration (深圳市破产事务管理署); it has been required since 2022."),
         _SHENZHEN, M),
    Fact("bankruptcy_shenzhen_observation", _(
        "If the court declares you bankrupt, a three-year observation period follows; only after it can the "
        "remaining debts be discharged."),
         _SHENZHEN, M),
    Fact("bankruptcy_shenzhen_keep", _(
        "You keep what you need to live on; which things exactly is set by the regulation and the court — ask "
        "at the counselling."),
         f"{_SHENZHEN}（豁免财产范围未核实）", U),
    Fact("bankruptcy_shenzhen_where", _(
        "Applications go to the Shenzhen Intermediate People's Court (its bankruptcy court), after the "
        "counselling."),
         f"{_SHENZHEN}（受理法院未核实）", U),
    Fact("bankruptcy_creditors", _(
        "Creditors owed at least ¥500,000 together may also ask the court to open the procedure against you."),
         _SHENZHEN, M),
    Fact("bankruptcy_xiamen", _(
        "Xiamen has had a personal bankruptcy regulation since 1 November 2025. We have not yet checked who it "
        "covers, so we cannot offer a self-check for it: ask the Xiamen court or 12348."),
         _XIAMEN, U),
    Fact("bankruptcy_zhejiang", _(
        "Courts in Zhejiang run a court-led clearing of personal debts (个人债务集中清理), similar to personal "
        "bankruptcy: ask your local court."),
         "浙江省高级人民法院 2020年个人债务集中清理指引", M),
    Fact("bankruptcy_elsewhere", _(
        "Personal bankruptcy exists in mainland China only in Shenzhen and Xiamen; Zhejiang's courts run a "
        "similar clearing of personal debts. Elsewhere there is no such procedure yet."),
         "《深圳经济特区个人破产条例》；《厦门经济特区个人破产保护条例》；浙江省个人债务集中清理", M),
    # --- "Mediation centre" calls and arbitration ------------------------------------------------
    Fact("fake_centres", _(
        "Collection firms sometimes call themselves a \"mediation centre\" (调解中心). A real one is linked to a "
        "court, or is a people's mediation committee registered with the justice bureau — and it never asks you "
        "to pay money to \"close the file\"."),
         "《人民调解法》；各地司法行政机关人民调解委员会名录", M),
    Fact("check_centre", _(
        "Ask for the body's full name and the court or justice bureau it works with, then check it yourself: "
        "call that court, or ask 12348. Pay nothing to a \"centre\" — payments go to the lender's own account "
        "only, under an agreement you have in writing.")),
    Fact("arbitration_check", _(
        "An arbitration notice: check that the arbitration commission named in it exists, and that your contract "
        "really contains a written arbitration clause."),
         _ARBITRATION, M),
    Fact("arbitration_answer", _(
        "Answer within the deadline in the notice; it comes from the commission's rules (often 15 days). Enter "
        "it in your log so it is on your calendar."),
         "各仲裁委员会仲裁规则", M),
    Fact("arbitration_deny", _(
        "If you never agreed to arbitration, say so in writing before the first hearing: if you do not deny the "
        "clause by then, it is treated as agreed."),
         f"{_ARBITRATION}第27条", M),
    Fact("arbitration_final", _(
        "An award is final and can be enforced; you cannot appeal it like a court judgment."),
         _ARBITRATION, M),
    Fact("arbitration_challenge", _(
        "Under the arbitration law in force since 1 March 2026, an award can be challenged in court only on "
        "narrow grounds, within three months of receiving it (it was six months before)."),
         f"{_ARBITRATION}第72条", M),
    Fact("arbitration_advance", _(
        "An \"advance arbitration\" award (先予仲裁) made before any dispute existed cannot be enforced."),
         "最高人民法院法释〔2018〕10号", M),
    # --- Going public -------------------------------------------------------------------------
    Fact("public_true", _(
        "Publish only what is true and what you can prove with your log, recordings and screenshots.")),
    Fact("public_defamation", _(
        "Publishing false facts, or another person's private data, can be defamation."),
         "《民法典》第1024条", H),
    Fact("public_staff", _(
        "Leave out the names, phone numbers, photos and other personal data of collectors and staff: describe "
        "what was done, not who the person is.")),
    Fact("public_risks", _(
        "Posts that go beyond provable facts have led to accusations of \"picking quarrels and provoking "
        "trouble\" (寻衅滋事)."),
         "《刑法》第293条（寻衅滋事；适用情形未核实）", U),
    Fact("public_regulator_first", _(
        "Complain to the lender and the financial regulator (12378) first: a complaint has deadlines and leaves a "
        "record, and a post does not.")),
)
FACT_BY_SLUG = {fact.slug: fact for fact in FACTS}


def facts(*slugs: str) -> list[Fact]:
    return [FACT_BY_SLUG[slug] for slug in slugs]


# --- The signs of a "征信修复" scam (our own words; the legal point is credit_no_deletion) ------

SCAM_SIGNS: tuple[str, ...] = (
    _("They promise to delete or \"repair\" overdue records."),
    _("They want a fee up front, or a share of what they \"save\" you."),
    _("They ask for your ID photos, bank passwords or verification codes."),
    _("They claim inside contacts at the People's Bank or at the lender."),
    _("They want to file complaints or objections in your name that say things that are not true."),
    _("They call themselves \"debt optimisation\" (债务优化) or \"rights agents\" (代理维权)."),
)


# --- Personal bankruptcy: where a procedure exists ------------------------------------------

SHENZHEN, XIAMEN, ZHEJIANG, NONE = "shenzhen", "xiamen", "zhejiang", ""


def bankruptcy_regime(province: str, city: str) -> str:
    """Which procedure the case's region has (DOMAIN.md "Personal bankruptcy (two cities)")."""
    city, province = (city or "").strip(), (province or "").strip()
    if "深圳" in city or city.lower().startswith("shenzhen"):
        return SHENZHEN
    if "厦门" in city or "廈門" in city or city.lower().startswith("xiamen"):
        return XIAMEN
    if "浙江" in province or province.lower().startswith("zhejiang"):
        return ZHEJIANG
    return NONE


# The Shenzhen self-check: each question must be "yes" for the regulation to cover the user.
YES, NO, UNSURE = "yes", "no", "unsure"
LIKELY, NOT_COVERED, CHECK = "likely", "not_covered", "unsure"

SHENZHEN_QUESTIONS: tuple[tuple[str, str], ...] = (
    ("lives_in_shenzhen", _("Do you live in Shenzhen?")),
    ("social_insurance", _("Have you paid Shenzhen social insurance for the last three years without a break?")),
    ("debt_origin", _("Did your debts come from running a business or from everyday consumption "
                      "(not, for example, from gambling)?")),
    ("cannot_repay", _("Are you unable to repay them, even with a plan over several years?")),
)


def shenzhen_self_check(answers: dict[str, str]) -> str:
    """``likely`` when every answer is yes, ``not_covered`` when any is no, otherwise ``unsure``.
    An honest screen of the regulation's conditions (DOMAIN.md, H–M), not a legal opinion."""
    values = [answers.get(key, UNSURE) for key, _label in SHENZHEN_QUESTIONS]
    if NO in values:
        return NOT_COVERED
    if all(value == YES for value in values):
        return LIKELY
    return CHECK
