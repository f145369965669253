"""The demo case's negotiation log: two months of calls and chats, including one
night-time collector call with a threat to tell the employer (issue 6), and a call about the card
from a collector whose debt is known only by whom they collect for (issue 15)."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from ..models import Case, Contact
from ..negotiation.rules import SHANGHAI


def _at(days_ago: int, hh: int, mm: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime.combine(day, time(hh, mm), tzinfo=SHANGHAI)


def add_demo_contacts(case: Case) -> None:
    if case.contacts.exists():
        return
    huabei = case.debts.filter(product="huabei").first()
    jiebei = case.debts.filter(product="jiebei").first()
    today = timezone.localdate()
    entries = [
        ({"occurred_at": _at(58, 10, 15), "channel": "in_app", "direction": "outgoing",
          "organisation": "支付宝在线客服", "outcome": "refused",
          "asked": "因失业收入中断，申请花呗欠款分24期还款，并减免逾期费。",
          "notes": "在线客服称系统无法办理个性化分期，只能按账单全额还款。已截图保存聊天记录。"}, [huabei]),
        ({"occurred_at": _at(51, 14, 20), "channel": "hotline", "direction": "outgoing",
          "organisation": "支付宝客服 95188", "phone_number": "95188", "outcome": "no_answer",
          "notes": "排队等待约25分钟后自动挂断。"}, [huabei, jiebei]),
        ({"occurred_at": _at(46, 9, 40), "channel": "hotline", "direction": "outgoing",
          "organisation": "支付宝客服 95188", "person_name": "王女士", "staff_id": "A30517",
          "phone_number": "95188", "outcome": "offer",
          "asked": "说明失业和家庭情况，申请借呗停息分期。",
          "offer_months": 12, "offer_monthly": Decimal("1850.00"), "offer_waiver": Decimal("620.00"),
          "offer_text": "借呗可分12期，减免部分罚息；需先还一期才能办理。",
          "notes": "每月1850元超出我能承受的范围，已告知客服需要考虑。",
          "follow_up_on": _at(43, 0, 0).date(), "follow_up_done": True}, [jiebei]),
        ({"occurred_at": _at(39, 16, 5), "channel": "in_app", "direction": "outgoing",
          "organisation": "支付宝在线客服", "outcome": "refused",
          "asked": "再次申请延期3个月，提供了解除劳动合同通知书。",
          "notes": "客服表示不符合延期条件，建议联系借款机构。"}, [huabei]),
        ({"occurred_at": _at(33, 22, 40), "channel": "collector_call", "direction": "incoming",
          "organisation": "某资产管理有限公司（委托催收）", "person_name": "自称“李经理”",
          "phone_number": "021-60887316", "outcome": "info", "misconduct": ["threat_insult"],
          "notes": "晚上22:40来电，语气强硬，说如果三天内不还清就打电话到我单位，让领导和同事都知道。已录音。"},
         [huabei]),
        ({"occurred_at": _at(20, 11, 0), "channel": "email", "direction": "outgoing",
          "organisation": "重庆蚂蚁消费金融有限公司", "outcome": "callback",
          "asked": "书面提交协商还款申请，附收入支出表和困难证明。",
          "follow_up_on": today}, [huabei, jiebei]),
        ({"occurred_at": _at(12, 21, 50), "channel": "collector_call", "direction": "incoming",
          "organisation": "自称招商银行信用卡中心委托的外包公司", "phone_number": "0755-83217760",
          "collecting_for": "招商银行股份有限公司信用卡中心", "outcome": "info", "misconduct": ["third_party"],
          "notes": "来电称已联系我的紧急联系人（我妹妹），并说如果不还款会继续打给我的家人。"}, []),
    ]
    for fields, debts in entries:
        contact = Contact.objects.create(case=case, **fields)
        contact.debts.set([d for d in debts if d is not None])
