from types import SimpleNamespace

from cases.lenders import find_lender, lender_slug, lenders_of


def debt(pk, lender):
    return SimpleNamespace(pk=pk, lender=lender)


DEBTS = [debt(1, "重庆蚂蚁消费金融有限公司"), debt(2, "招商银行 信用卡中心"), debt(3, " 重庆蚂蚁消费金融有限公司 "),
         debt(4, "  ")]


def test_one_lender_per_name_in_order_of_first_debt_and_blank_names_left_out():
    lenders = lenders_of(DEBTS)
    assert [lender.name for lender in lenders] == ["重庆蚂蚁消费金融有限公司", "招商银行 信用卡中心"]
    assert lenders[0].debt_ids == (1, 3)
    assert lenders[1].debt_ids == (2,)


def test_slug_is_stable_url_safe_and_ignores_spacing():
    assert lender_slug("招商银行 信用卡中心") == lender_slug("招商银行信用卡中心")
    assert lender_slug("招商银行信用卡中心") != lender_slug("重庆蚂蚁消费金融有限公司")
    slug = lender_slug("招商银行信用卡中心")
    assert slug.isascii() and slug.isalnum() and len(slug) == 11


def test_a_lender_is_found_by_slug_name_or_one_of_its_debt_ids():
    ant = lenders_of(DEBTS)[0]
    assert find_lender(DEBTS, ant.slug) == ant
    assert find_lender(DEBTS, "重庆蚂蚁消费金融 有限公司") == ant
    assert find_lender(DEBTS, "3") == ant


def test_an_unknown_or_empty_value_names_no_lender():
    assert find_lender(DEBTS, "工商银行") is None
    assert find_lender(DEBTS, "") is None
    assert find_lender(DEBTS, "4") is None  # a debt without a lender name
    assert find_lender(DEBTS, "99") is None
