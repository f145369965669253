"""The legal facts letters cite, one table per fact, each with its source (see
/work/shared/DOMAIN.md). Letters copy the rows they use into their snapshot, so a
later change here never alters a letter already generated."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ..lenders import BANK
from ..negotiation.rules import DEADLINES, MISCONDUCT_BY_SLUG

# SPC 《关于进一步加强金融审判工作的若干意见》 法发〔2017〕22号 item 2 (DOMAIN.md, H).
# The rate itself is the finance engine's (cases.finance.rules.CEILING_ANNUAL_RATE).
CEILING = {
    "source": "最高人民法院《关于进一步加强金融审判工作的若干意见》（法发〔2017〕22号）第二条",
    "summary": (
        "金融借款合同的借款人以贷款人同时主张的利息、复利、罚息、违约金和其他费用过高，"
        "显著背离实际损失为由，请求对总计超过年利率24%的部分予以调减的，人民法院应予支持。"
    ),
}

# Private lending (individuals, non-financial companies): 4 × the one-year LPR caps interest, overdue interest,
# penalty and fees together (SPC 民间借贷规定, rev. 2020-12-29, Arts 25, 29; Art 31 for contracts made before
# 2020-08-20; DOMAIN.md "How the ceiling test is done", H). Which rule applies, and the rate, are the finance
# engine's (the snapshot's ``ceiling_rule``/``ceiling_rate``); this is only how a letter states it.
PRIVATE_LENDING_CEILING = {
    "source": "最高人民法院《关于审理民间借贷案件适用法律若干问题的规定》第二十五条、第二十九条、第三十一条",
    "summary": (
        "民间借贷的利息与逾期利息、违约金和其他费用，总计超过合同成立时一年期贷款市场报价利率四倍的部分，"
        "人民法院不予支持；2020年8月20日前成立的合同，自该日起按起诉时一年期贷款市场报价利率的四倍计算。"
    ),
}


def ceiling_for(rule: str, rate: str = "") -> dict:
    """How a letter names the cap of one snapshot rule: "24%" (licensed lenders) or "4xLPR" (private lending,
    ``rate`` the fraction the engine used, e.g. "0.1200")."""
    if rule == "4xLPR":
        words = "一年期贷款市场报价利率四倍"
        if rate:
            words += f"（年利率{(Decimal(str(rate)) * 100).quantize(Decimal('0.01'))}%）"
        return {"rule": rule, "words": words, **PRIVATE_LENDING_CEILING}
    return {"rule": "24%", "words": "年利率24%", **CEILING}


# Every article a letter cites, in one table: our own paraphrase of what the article says (never more), its
# source, and what letters may use it for (DOMAIN.md "Citations: what each article supports", issue 15).
# Left out on purpose: 民法典 676 (overdue interest per contract: it supports the lender), 678 (an extension
# applied for before maturity: not a basis for an overdue debt); 533 only as a request to consider negotiating.
CITATIONS = {
    "cc585": {"source": "《中华人民共和国民法典》第五百八十五条",
              "text": "约定的违约金过分高于造成的损失的，当事人可以请求人民法院或者仲裁机构予以适当减少。"},
    "spc_contract_65": {"source": "最高人民法院《关于适用〈中华人民共和国民法典〉合同编通则若干问题的解释》"
                                  "（法释〔2023〕13号）第六十五条",
                        "text": "约定的违约金超过造成损失的百分之三十的，人民法院一般可以认定为过分高于造成的损失。"},
    # Job loss or illness is usually not the unforeseeable, non-commercial change 533 needs: letters print only
    # ``request`` (asking the lender to consider negotiating), never the article's text as the debtor's right.
    "cc533": {"source": "《中华人民共和国民法典》第五百三十三条",
              "text": "合同成立后，合同的基础条件发生当事人在订立合同时无法预见的、不属于商业风险的重大变化，"
                      "继续履行对一方明显不公平的，受不利影响的当事人可以与对方重新协商。",
              "request": "本人请求贵司考虑本人的上述实际情况，与本人协商调整还款安排"},
    # 商业银行信用卡业务监督管理办法 Art 70 (DOMAIN.md "Credit-card plans", "Instalment length", M–H): the issuing bank
    # MAY agree an individual plan of up to 5 years — a request, not a right; only for a bank's credit-card debt
    # (``card_plan_point``). Our own words.
    "card70": {"source": "《商业银行信用卡业务监督管理办法》第七十条",
               "text": "信用卡欠款超出持卡人的还款能力、而持卡人仍愿意还款的，发卡银行可以与持卡人协商，"
                       "约定个性化的分期还款安排，期限最长不超过5年。",
               "request": "本人仍愿意还款，请求贵司考虑依照该条，与本人就上述信用卡欠款协商个性化分期还款安排"},
    "cc188": {"source": "《中华人民共和国民法典》第一百八十八条",
              "text": "向人民法院请求保护民事权利的诉讼时效期间为三年，自权利人知道或者应当知道权利受到损害以及义务人之日起计算。"},
    "cc192": {"source": "《中华人民共和国民法典》第一百九十二条",
              "text": "诉讼时效期间届满的，义务人可以提出不履行义务的抗辩。"},
    "cc193": {"source": "《中华人民共和国民法典》第一百九十三条",
              "text": "人民法院不得主动适用诉讼时效的规定。"},
    "cc1032": {"source": "《中华人民共和国民法典》第一千零三十二条",
               "text": "自然人享有隐私权；隐私是自然人的私人生活安宁和不愿为他人知晓的私密空间、私密活动、私密信息。"},
    "cc1033": {"source": "《中华人民共和国民法典》第一千零三十三条",
               "text": "除法律另有规定或者权利人明确同意外，任何组织或者个人不得以电话、短信、即时通讯工具、"
                       "电子邮件、传单等方式侵扰他人的私人生活安宁。"},
    "pipl45": {"source": "《中华人民共和国个人信息保护法》第四十五条",
               "text": "个人有权向个人信息处理者查阅、复制其个人信息；个人请求查阅、复制的，个人信息处理者应当及时提供。"},
    "civil_procedure_128": {"source": "《中华人民共和国民事诉讼法》第一百二十八条",
                            "text": "被告应当在收到起诉状副本之日起十五日内提出答辩状。"},
    # The credit-report objection (issue 19; DOMAIN.md "Credit reporting", H).
    "credit_15": {"source": "《征信业管理条例》第十五条",
                  "text": "信息提供者向征信系统提供个人不良信息，应当事先告知信息主体本人。"},
    "credit_25": {"source": "《征信业管理条例》第二十五条",
                  "text": "信息主体认为征信机构或者信息提供者采集、保存、提供的信息存在错误、遗漏的，有权提出异议，"
                          "要求更正；收到异议的，应当对相关信息作出存在异议的标注，自收到异议之日起20日内进行核查和处理，"
                          "并将结果书面答复异议人。"},
    # The mediation application (issue 19; DOMAIN.md "Other roads", H).
    "mediation_confirmation": {"source": "《中华人民共和国人民调解法》第三十三条、《中华人民共和国民事诉讼法》第二百零五条",
                               "text": "经依法设立的调解组织调解达成调解协议的，双方当事人可以自调解协议生效之日起三十日内，"
                                       "共同向人民法院申请司法确认。"},
    "credit_16": {"source": "《征信业管理条例》第十六条",
                  "text": "征信机构对个人不良信息的保存期限，自不良行为或者事件终止之日起为5年。"},
}

def citation(key: str) -> dict:
    return {"key": key, **CITATIONS[key]}


def card_plan_point(lender_kind: str, products) -> dict | None:
    """The credit-card instalment rule (``CITATIONS["card70"]``) when the letter's lender is a bank and a debt in
    it is a credit card; never for Huabei/Jiebei or a consumer-finance company, whose plans no such rule governs."""
    if lender_kind == BANK and "credit_card" in set(products):
        return citation("card70")
    return None


# Statements of fact no log entry can show: printed only when the user ticked them as true (Case.statements).
# The code -> (what the user confirms, in the UI's words, the sentence letters print).
STATEMENTS = {
    "never_refused": (_("I have never refused to pay."), "本人从未明确拒绝还款。"),
    "paid_some": (_("Since falling behind, I have still paid something when I could."),
                  "逾期后，本人在能力范围内仍偿还过部分款项。"),
    "no_new_borrowing": (_("I have not borrowed anything new since falling behind."),
                         "逾期后本人未再新增任何借款。"),
    "will_pay_more": (_("If my income improves, I will pay more each month or pay off early."),
                      "如本人收入情况好转，本人愿意提高每月还款金额或提前还款。"),
}

# A neutral documents request for a debt that may be time-barred (DOMAIN.md "Limitation", M): no amounts,
# none of 欠款/还款/分期/延期/减免/困难, a PIPL Art 45 access request, and this sentence.
NOT_AN_ACKNOWLEDGEMENT = "本函仅为核实信息、索取资料，不构成对任何债务存在或金额的确认，亦不构成同意履行的意思表示。"
NEUTRAL_FORBIDDEN_WORDS = ("欠款", "还款", "分期", "延期", "减免", "困难")

# 银行业保险业消费投诉处理管理办法 (原银保监会令2020年第3号): 15 days for a simple complaint, 30 for a complex
# one, at most 60 (DOMAIN.md, H for the figures). The article is unverified, so none is cited (Art 13 lists a
# complaint's materials). The days are the negotiation log's deadline table's.
COMPLAINT_DEADLINE = {
    "days": DEADLINES["complaint_filed"].days,
    "source": "《银行业保险业消费投诉处理管理办法》（原中国银保监会令2020年第3号）",
    "summary": "金融机构应当自收到投诉之日起15日内作出处理决定并告知投诉人；情况复杂的，可延长至30日，"
               "经批准最长不超过60日。",
}

# Complaint and escalation channels (DOMAIN.md "Complaint and escalation channels").
REGULATORS = {
    "nfra": {"name": "国家金融监督管理总局", "hotline": "12378",
             "office_pattern": "国家金融监督管理总局{}监管局",
             "scope": "银行、消费金融公司等金融机构的服务与催收行为"},
    "pboc": {"name": "中国人民银行", "hotline": "12363", "scope": "征信与支付"},
}

# How long a lender gets to answer our demand letter; our choice, matched to the
# complaint-handling deadline above so the two letters tell the same story.
DEMAND_RESPONSE_DAYS = 15

# Debt-collection conduct: the slugs, and the legal sources, are the negotiation
# log's rules table (cases.negotiation.rules.MISCONDUCT_RULES); here only the
# formal Chinese a letter prints for each.
MISCONDUCT_WORDING = {
    "night_call": ("夜间或非合理时间催收", "催收应在合理时间进行，不得在夜间打扰债务人、侵扰其私人生活安宁。"),
    "repeated_calls": ("同一号码当日反复致电", "不得以反复致电、发送信息等方式骚扰债务人。"),
    "third_party": ("联系与债务无关的第三人", "不得向与债务无关的第三人（家人、同事、通讯录联系人等）催收或施压。"),
    "disclosure": ("向他人泄露债务信息", "不得向他人透露债务人的债务情况及个人信息。"),
    "threat_insult": ("威胁、恐吓或侮辱", "催收不得使用暴力、威胁、恐吓、侮辱等手段。"),
    "impersonation": ("冒充公检法或其他机关", "催收不得冒充司法机关、行政机关或者其他机构人员。"),
    "fake_documents": ("伪造法律文书", "催收不得使用虚假的法律文书或者以欺诈方式施压。"),
}
OTHER_MISCONDUCT = ("其他不当催收行为", "催收应当依法合规，不得采用不正当手段。")


def misconduct_rule(slug: str, lender_kind: str) -> dict:
    """What a complaint prints for one flag, citing only what binds a lender of ``lender_kind`` (cases.lenders)."""
    label, rule = MISCONDUCT_WORDING.get(slug, OTHER_MISCONDUCT)
    known = MISCONDUCT_BY_SLUG.get(slug) or MISCONDUCT_BY_SLUG["threat_insult"]
    return {"code": slug, "label": label, "rule": rule, "source": known.source_for(lender_kind)}
