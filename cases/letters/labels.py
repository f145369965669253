"""The formal Chinese words letters use for our choice values.

Letters are always in Simplified Chinese, whatever language the user browses in,
so they do not go through the UI translation catalog."""

PRODUCTS = {
    "huabei": "花呗",
    "jiebei": "借呗",
    "wangshangdai": "网商贷",
    "credit_card": "信用卡",
    "other": "其他消费信贷",
}

HARDSHIP = {
    "unemployment": "失业",
    "illness": "本人或家人患病、受伤",
    "business": "经营失败",
    "income_cut": "收入大幅减少",
    "family": "家庭突发变故",
    "disaster": "自然灾害或意外事故",
    "other": "其他原因",
}

BUDGET = {
    "salary": "工资收入",
    "business": "经营或自由职业收入",
    "benefits": "社会保障、养老金及补贴",
    "family_support": "亲友资助",
    "other_income": "其他收入",
    "housing": "房租或房贷",
    "utilities": "水电燃气及物业费",
    "food": "伙食及日用品",
    "transport": "交通",
    "children": "子女抚养及教育",
    "medical": "医疗",
    "insurance": "保险",
    "communication": "通讯及网络",
    "other_essential": "其他必要支出",
    "savings": "应急储备",
}

EVIDENCE = {
    "pay_slip": ("工资条", "收入情况"),
    "bank_statement": ("银行流水", "收入及资金往来情况"),
    "medical": ("病历及医疗单据", "患病及医疗支出情况"),
    "unemployment": ("解除劳动合同证明等失业材料", "失业事实"),
    "contract": ("借款合同", "借款金额、期限、利率等合同约定"),
    "bill": ("账单", "欠款金额及已收取的费用"),
    "transfer": ("转账记录", "借款发放及还款情况"),
    "call_recording": ("通话录音", "沟通及催收过程"),
    "chat_screenshot": ("聊天记录截图", "沟通经过"),
    "misconduct": ("不当催收证据", "不当催收行为"),
    "other": ("其他材料", "相关事实"),
}

CHANNELS = {
    "in_app": "在线客服",
    "hotline": "95188客服电话",
    "collector_call": "催收来电",
    "sms": "短信",
    "letter": "书面信函",
    "email": "电子邮件",
    "in_person": "当面沟通",
    "court": "法院或调解组织",
}

OUTCOMES = {
    "no_answer": "未获答复",
    "refused": "对方拒绝",
    "offer": "对方提出方案",
    "agreed": "达成一致",
    "callback": "对方承诺回复",
    "info": "仅了解情况",
}

PLANS = {
    "full_balance": "全额分期还款",
    "waiver": "减免罚息、违约金及费用后分期还款",
    "stop_interest": "停息挂账分期还款",
    "deferral": "延期还款",
    "settlement": "一次性清偿结清",
    "own_amount": "按本人提出的每月金额还款",
    "arrangement": "按现有还款能力每月还款并停息，到期复核",
    "hold": "暂缓还款并停息，到期复核",
}

DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """0-9999 in Chinese numerals, for headings like 一、二、……十一、……一百零一;
    larger numbers in Arabic figures (no letter numbers that many items)."""
    if n < 0 or n >= 10000:
        return str(n)
    if 10 <= n < 20:  # 十, 十一 … 十九: no leading 一
        return "十" + (DIGITS[n - 10] if n > 10 else "")
    words, gap = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            words += ("零" if gap else "") + DIGITS[digit] + unit
            gap = False
        elif words:
            gap = True
    return words or DIGITS[0]
