"""Rows for bench/admin.py and the query-plan tests, generated inside PostgreSQL (``INSERT … SELECT generate_series``): a million
cases load in minutes instead of hours through the ORM.

Proportions per case, as a working desk would have them (the numbers are the bench's assumption, printed
with its figures): one owner each; a debtor on 85 % (drafts often have none yet); 1–4 debts (2.5 on
average, 花呗 and 借呗 the commonest); two budget lines; 1–3 letters on non-draft cases, of which 2 % of all
cases have one waiting for review; 0–5 log entries on non-draft cases; 30 % of cases assigned to one of 20
reviewers (each assignment with its audit entry), and two audit entries per case. Encrypted fields hold one
value encrypted once and repeated. Statuses, provinces and hardship reasons are skewed, not uniform.
"""

import time

from django.db import connection

from cases.crypto import encrypt

REVIEWERS = 20
IN_REVIEW_SHARE = 0.02

# Skewed on purpose: a few provinces and products hold most cases, as on a real desk.
PROVINCES = ["广东省", "河南省", "山东省", "四川省", "江苏省", "河北省", "湖南省", "安徽省", "湖北省", "浙江省",
             "广西壮族自治区", "云南省", "江西省", "辽宁省", "福建省", "陕西省", "贵州省", "山西省", "重庆市", "黑龙江省",
             "新疆维吾尔自治区", "甘肃省", "内蒙古自治区", "上海市", "吉林省", "北京市", "天津市", "海南省", "宁夏回族自治区",
             "青海省", "西藏自治区"]
HARDSHIP = ['["unemployment"]', '["illness", "family"]', '["business"]', '["income_cut"]', "[]",
            '["unemployment", "income_cut"]', '["illness"]', '["family"]', '["disaster"]', '["other"]']
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
            "罗", "高"]
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀兰", "霞", "平", "刚", "桂英", "小明", "建华", "志强", "海燕", "丹", "鹏", "婷"]
LETTER_KINDS = ["negotiation_request", "hardship_statement", "regulator_complaint"]


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + value.replace("'", "''") + "'" for value in values) + "]"


def _pick(values: list[str], skew: str = "random()") -> str:
    """SQL for one element of ``values``; ``random()^2`` favours the first ones."""
    return f"({_array(values)})[1 + floor({skew} * {len(values)})::int]"


def statements(cases: int) -> list[tuple[str, str]]:
    """(what, SQL) in order; each runs in its own statement so progress can be printed."""
    id_number = encrypt("110101199003077777").replace("'", "''")
    account = encrypt("6222020200112233").replace("'", "''")
    return [
        ("users (owners and reviewers)", f"""
            INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                   is_active, date_joined)
            SELECT '!', false, 'bench-owner-' || g, '', '', '', false, true, now() - interval '2 years'
            FROM generate_series(1, {cases}) g;
            INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                   is_active, date_joined)
            SELECT '!', false, 'bench-reviewer-' || g, '', '', '', true, true, now()
            FROM generate_series(1, {REVIEWERS}) g;
            INSERT INTO auth_user_groups (user_id, group_id)
            SELECT u.id, grp.id FROM auth_user u, auth_group grp
            WHERE u.username LIKE 'bench-reviewer-%' AND grp.name = 'Reviewers';
        """),
        ("cases", f"""
            WITH owners AS (SELECT min(id) AS first FROM auth_user WHERE username LIKE 'bench-owner-%'),
                 reviewers AS (SELECT array_agg(id ORDER BY id) AS ids FROM auth_user
                               WHERE username LIKE 'bench-reviewer-%'),
                 rows AS (SELECT g, random() AS r, random() AS s,
                                 now() - random() * interval '730 days' AS created
                          FROM generate_series(1, {cases}) g)
            INSERT INTO cases_case (owner_id, title, status, province, city, household_size, dependants,
                hardship_reasons, hardship_what_happened, hardship_income_change, hardship_actions,
                hardship_can_pay, savings, consent_version, consent_at, completed_steps, statements,
                assigned_reviewer_id, created_at, updated_at, version)
            SELECT owners.first + g - 1, '案件' || g,
                   CASE WHEN r < 0.30 THEN 'draft' WHEN r < 0.45 THEN 'ready' WHEN r < 0.80 THEN 'negotiating'
                        WHEN r < 0.90 THEN 'agreed' WHEN r < 0.95 THEN 'escalated' ELSE 'closed' END,
                   {_pick(PROVINCES, "random() ^ 2")}, '', 1 + (g % 5), g % 3,
                   ({_array(HARDSHIP)})[1 + floor(random() ^ 2 * {len(HARDSHIP)})::int]::jsonb,
                   '失业后收入中断', '', '', '', 0, '2026-01', created, '[]', '[]',
                   CASE WHEN s < 0.30 THEN reviewers.ids[1 + g % {REVIEWERS}] END,
                   created, created + random() * (now() - created), 1
            FROM rows, owners, reviewers ORDER BY g;
        """),
        ("debtors", f"""
            INSERT INTO cases_debtor (case_id, name, id_number, phone, address)
            SELECT c.id, {_pick(SURNAMES, "random() ^ 2")} || {_pick(GIVEN)},
                   '{id_number}', '13' || lpad(c.id::text, 9, '0'), '某市某区某路' || c.id || '号'
            FROM cases_case c WHERE c.status <> 'draft' OR c.id % 2 = 0;
        """),
        ("debts", f"""
            INSERT INTO cases_debt (case_id, product, lender, account_number, principal, overdue_amount,
                annual_rate, billed_charges, grace_days, position, created_at, billed_lines,
                include_despite_limitation, lender_type, overdue_interest)
            SELECT c.id, p.product, p.lender, '{account}', 1000 + (c.id * 7 + n * 13) % 40000, 500,
                   0.1825, 0, 3, n, c.created_at, '[]', false, 'licensed', 0
            FROM cases_case c CROSS JOIN LATERAL generate_series(1, 1 + c.id % 4) n
            CROSS JOIN LATERAL (SELECT CASE WHEN x < 0.40 THEN 'huabei' WHEN x < 0.70 THEN 'jiebei'
                                            WHEN x < 0.80 THEN 'wangshangdai' WHEN x < 0.95 THEN 'credit_card'
                                            ELSE 'other' END AS product,
                                       CASE WHEN x < 0.80 THEN '重庆蚂蚁消费金融有限公司' ELSE '某商业银行' END AS lender
                                FROM (SELECT random() + 0 * n AS x) rnd) p;
        """),
        ("budget lines", """
            INSERT INTO cases_budgetline (case_id, kind, category, label, amount, position)
            SELECT c.id, b.kind, b.category, '', b.amount, 0
            FROM cases_case c CROSS JOIN (VALUES ('income', 'salary', 5200), ('expense', 'housing', 1800)) AS
                 b(kind, category, amount);
        """),
        ("letters", f"""
            INSERT INTO cases_letter (case_id, kind, lender, lender_slug, version, status, snapshot, content_hash,
                html, pdf, created_at, submitted_at, review_note, sent_channel)
            SELECT c.id, ({_array(LETTER_KINDS)})[n], '重庆蚂蚁消费金融有限公司', 'l1', 1,
                   CASE WHEN n = 1 AND c.id % 50 = 0 THEN 'in_review'
                        WHEN c.status IN ('agreed', 'closed') THEN 'sent' ELSE 'draft' END,
                   '{{}}', md5(c.id || '-' || n), '<p>尊敬的重庆蚂蚁消费金融有限公司：</p>', '', c.updated_at,
                   CASE WHEN n = 1 AND c.id % 50 = 0 THEN now() - random() * interval '20 days' END, '', ''
            FROM cases_case c CROSS JOIN LATERAL generate_series(1, 1 + c.id % 3) n
            WHERE c.status <> 'draft' OR c.id % 50 = 0;
            UPDATE cases_case c SET waiting_since = w.first
            FROM (SELECT case_id, min(submitted_at) AS first FROM cases_letter WHERE status = 'in_review'
                  GROUP BY case_id) w
            WHERE c.id = w.case_id;
        """),
        ("log entries", """
            INSERT INTO cases_contact (case_id, occurred_at, channel, direction, organisation, person_name, staff_id,
                phone_number, asked, offer_text, outcome, event, follow_up_done, misconduct, notes, created_at,
                collecting_for, counterpart, form_token, version)
            SELECT c.id, c.created_at + n * interval '3 days', 'hotline', 'outgoing', '花呗', '', '', '', '', '',
                   'refused', '', false, '[]', '', c.created_at + n * interval '3 days', '', 'lender', '', 1
            FROM cases_case c CROSS JOIN LATERAL generate_series(1, c.id % 6) n WHERE c.status <> 'draft';
        """),
        ("audit entries", """
            INSERT INTO cases_auditevent (actor_id, actor_ref, case_ref, action, target, detail, at)
            SELECT c.owner_id, md5('user:' || c.owner_id), md5('case:' || c.id), a.action, '', '{}',
                   c.created_at + a.after
            FROM cases_case c CROSS JOIN (VALUES ('case_created', interval '0'), ('consent_given', interval '1 minute'))
                 AS a(action, after);
            INSERT INTO cases_auditevent (actor_id, actor_ref, case_ref, action, target, detail, at)
            SELECT NULL, '', md5('case:' || c.id), 'admin.case_assigned', 'user:' || c.assigned_reviewer_id, '{}',
                   c.updated_at
            FROM cases_case c WHERE c.assigned_reviewer_id IS NOT NULL;
        """),
        # VACUUM sets the visibility map (index-only scans), as autovacuum would; not possible in a test's transaction.
        ("visibility map and statistics", "ANALYZE;" if connection.in_atomic_block else "VACUUM ANALYZE;"),
    ]


def fill(cases: int, say=print) -> None:
    with connection.cursor() as cursor:
        # A connection that ran earlier tests has cached the foreign-key checks' plans for tables of a few
        # rows (a sequential scan of cases_case per inserted row); planned again, they use the primary keys.
        cursor.execute("DISCARD PLANS")
        cursor.execute("SELECT setseed(0.21)")
        for what, sql in statements(cases):
            started = time.perf_counter()
            for statement in filter(str.strip, sql.split(";\n")):
                cursor.execute(statement)
            say(f"  {what}: {time.perf_counter() - started:.1f} s")
