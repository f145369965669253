from cases import demo
from cases.negotiation.case_log import CaseLog


def test_demo_log_is_realistic_and_idempotent(db):
    case = demo.seed()["case"]
    count = case.contacts.count()
    assert count >= 5
    demo.seed()
    assert case.contacts.count() == count
    log = CaseLog(case)
    night = next(c for c in case.contacts.filter(channel="collector_call") if "threat_insult" in c.misconduct)
    assert {f.slug for f in log.flags(night.pk)} == {"night_call", "threat_insult"}
    assert case.contacts.filter(channel="hotline", outcome="offer", offer_monthly__isnull=False).exists()
    assert case.contacts.filter(channel="in_app", outcome="refused").exists()
    assert {"misconduct", "refused"} <= {r.slug for r in log.suggestions()}
