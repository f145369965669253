"""The legal facts letters cite, one table per fact, each with its source (see
/work/shared/DOMAIN.md). Letters copy the rows they use into their snapshot, so a
later change here never alters a letter already generated."""

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

# 民法典 articles letters cite (DOMAIN.md, all H). Our own summaries, not the statute text.
CIVIL_CODE = {
    "533": "合同成立后，合同的基础条件发生当事人在订立合同时无法预见的重大变化，继续履行对一方明显不公平的，"
    "受不利影响的当事人可以与对方重新协商；协商不成的，可以请求人民法院变更或者解除合同。",
    "585": "约定的违约金过分高于造成的损失的，当事人可以请求人民法院或者仲裁机构予以适当减少。",
    "676": "借款人未按照约定的期限返还借款的，应当按照约定或者国家有关规定支付逾期利息。",
    "678": "借款人可以在还款期限届满前向贷款人申请展期；贷款人同意的，可以展期。",
    "188": "向人民法院请求保护民事权利的诉讼时效期间为三年。",
    "189": "当事人约定同一债务分期履行的，诉讼时效期间自最后一期履行期限届满之日起计算。",
    "195": "权利人向义务人提出履行请求、义务人同意履行、权利人提起诉讼等情形，诉讼时效中断，重新计算。",
    "1032": "任何组织或者个人不得以电话、短信、即时通讯工具等方式侵扰他人的私人生活安宁。",
    "1034": "身份证件号码等个人信息受法律保护。",
}

# 银行业保险业消费投诉处理管理办法 (原银保监会令2020年第3号) Art 13 (DOMAIN.md, H–M); the number of
# days is the negotiation log's deadline table's, which turns a logged complaint into a follow-up.
COMPLAINT_DEADLINE = {
    "days": DEADLINES["complaint_filed"].days,
    "source": "《银行业保险业消费投诉处理管理办法》（中国银保监会令2020年第3号）第十三条",
    "summary": "金融机构应当自收到投诉之日起15日内作出处理决定并告知投诉人；情况复杂的，可以依规定延长。",
}

# Complaint and escalation channels (DOMAIN.md "Complaint and escalation channels").
REGULATORS = {
    "nfra": {"name": "国家金融监督管理总局", "hotline": "12378",
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


def misconduct_rule(slug: str) -> dict:
    label, rule = MISCONDUCT_WORDING.get(slug, OTHER_MISCONDUCT)
    known = MISCONDUCT_BY_SLUG.get(slug)
    source = known.source if known else MISCONDUCT_BY_SLUG["threat_insult"].source
    return {"code": slug, "label": label, "rule": rule, "source": source}
