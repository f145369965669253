"""Authorization sweep: every URL pattern of the project, visited by everyone.

The test walks the resolver, fills each path parameter from the maps below (objects
of one fully populated case), and checks who gets what:

the exact status code of every URL and method (GET, POST) for every role
(anonymous, owner, a helper with the view role, a helper with the help role and
consent to sensitive data, an adviser of the organisation the case is shared with,
an adviser of another organisation, stranger, the case's assigned reviewer, another
reviewer, a superuser) is the one documented in docs/authorization.md, and that table
keeps the walls: debtor pages are the owner's and, by role, the helpers' and advisers'
(staff get 404 and change nothing), the admin is staff's, a reviewer reaches only
assigned cases.

A URL whose parameter is not in the maps below fails the sweep on purpose: add the
parameter (and an object for it) when you add the URL.
"""

import os
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern

from cases.letters.kinds import EVIDENCE_INDEX, NEGOTIATION_REQUEST
from cases.lenders import lender_slug
from cases.models import Agreement, Case, ReminderSettings, ShareInvitation, ShareRole

from ..factories import make_user
from ..privacy_fixtures import add_letter, make_populated_case
from ..review_fixtures import reviewers_group  # noqa: F401
from ..sharing_fixtures import organisation_with, share_with

ROOT = Path(__file__).resolve().parents[2]

# URL names anyone may open without logging in.
PUBLIC = {
    "landing", "set_language", "signup", "login", "logout", "password_reset", "password_reset_done",
    "password_reset_confirm", "password_reset_complete", "admin:login", "recover",
    "calendar_feed", "reminders_unsubscribe",  # by an unguessable token (issue 18)
}
# The owner's privacy rights: staff reviewing a case get a 404 there too.
OWNER_ONLY = {"case_privacy", "case_consent_withdraw", "case_consent_give", "case_delete",
              "debt_charges",  # the debtor's own copy of their bill (issue 14); staff read it on the proposal
              # Sharing itself, naming the case, consent, deleting a file, confirming statements (issue 20)
              "case_sharing", "share_end", "share_invitation_revoke", "share_sensitive_consent", "share_role",
              "case_rename",
              "intake_consent", "evidence_delete", "letter_statements"}
# Admin URLs that answer 404 or a redirect by design even for a superuser.
ADMIN_NOT_A_PAGE = {"admin:view_on_site", "admin:<catch-all>"}

# Parameters that name a case or an object inside one: a stranger must get a 404.
OBJECT_PARAMETERS = {
    "case_id": lambda w: w.case.pk,
    "evidence_id": lambda w: w.case.evidence.first().pk,
    "letter_id": lambda w: w.case.letters.first().pk,
    "agreement_id": lambda w: w.case.agreements.first().pk,
    "debt_id": lambda w: w.case.debts.first().pk,
    "share_id": lambda w: w.case.shares.get(role=ShareRole.VIEW).pk,
    "invitation_id": lambda w: w.case.share_invitations.pending().get().pk,
}
# `<int:pk>` means a different model in each views module: name it here.
PK_BY_VIEWS_MODULE = {
    "cases.negotiation.views": lambda w: w.case.contacts.first().pk,
    "cases.negotiation.coach_views": lambda w: w.case.contacts.first().pk,
    "cases.letters.views": lambda w: w.lawsuit().pk,
}
# Parameters that select a page or a variant, not an object.
VALUE_PARAMETERS = {
    "kind": lambda w: NEGOTIATION_REQUEST,
    "road": lambda w: "credit-report",
    "version": lambda w: w.case.letters.first().version,
    "lender": lambda w: w.case.letters.first().lender_slug,
    "uidb64": lambda w: "MQ",
    "token": lambda w: "set-password",
}
# Pages that exist only for one letter kind.
VALUES_BY_URL_NAME = {
    "letter_bundle": {"kind": lambda w: EVIDENCE_INDEX},
    "calendar_feed": {"token": lambda w: ReminderSettings.for_user(w.owner).feed_token},
    "reminders_unsubscribe": {"token": lambda w: ReminderSettings.for_user(w.owner).unsubscribe_token},
    "share_accept": {"token": lambda w: w.invitation_token},
}
# Admin parameters, resolved per model admin.
ADMIN_PARAMETERS = {
    "object_id": lambda w, model: w.admin_object(model),
    "id": lambda w, model: w.owner.pk,
    "content_type_id": lambda w, model: ContentType.objects.get_for_model(Case).pk,
    "app_label": lambda w, model: "cases",
    "url": lambda w, model: "no-such-page/",
}


@dataclass
class World:
    owner: object
    case: Case
    helpers: dict
    invitation_token: str

    def lawsuit(self):
        from cases.models import Lawsuit

        return self.case.lawsuits.first() or Lawsuit.objects.create(
            case=self.case, court="深圳市南山区人民法院", plaintiff=self.case.debts.first().lender)

    def admin_object(self, model) -> str:
        if model is None:
            return str(self.case.pk)
        if model is Case:
            return str(self.case.pk)
        if model is type(self.owner):
            return str(self.owner.pk)
        field_names = {f.name for f in model._meta.get_fields()}
        qs = model._default_manager.filter(case=self.case) if "case" in field_names else model._default_manager.all()
        obj = qs.order_by("pk").first()
        return str(obj.pk) if obj else "999999"


@dataclass
class Url:
    name: str
    path: str
    params: set
    is_admin: bool

    @property
    def names_an_object(self) -> bool:
        return not self.is_admin and bool(self.params & (OBJECT_PARAMETERS.keys() | {"pk"}))


ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
REGEX_PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _walk(resolver, parts=(), namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, (*parts, entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            model_admin = getattr(entry.callback, "model_admin", None)
            name = entry.name or ("<catch-all>" if isinstance(entry.pattern, RegexPattern) else "<object redirect>")
            yield f"{namespace}{name}", (*parts, entry.pattern), getattr(model_admin, "model", None), entry.callback


def _fill(pattern, values) -> str:
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = REGEX_PARAM.sub(lambda m: str(values[m.group(1)]), text).lstrip("^").rstrip("$")
        return text.replace("\\", "")
    return ROUTE_PARAM.sub(lambda m: str(values[m.group(1)]), text)


def _params(pattern) -> list[str]:
    regex = REGEX_PARAM if isinstance(pattern, RegexPattern) else ROUTE_PARAM
    return regex.findall(str(pattern))


def all_urls(world: World) -> tuple[list[Url], list[str]]:
    urls, unknown = [], []
    for name, patterns, model, callback in _walk(get_resolver()):
        is_admin = name.startswith("admin:")
        names = [p for pattern in patterns for p in _params(pattern)]
        values = {}
        for param in names:
            if is_admin and param in ADMIN_PARAMETERS:
                values[param] = ADMIN_PARAMETERS[param](world, model)
            elif param in VALUES_BY_URL_NAME.get(name, {}):
                values[param] = VALUES_BY_URL_NAME[name][param](world)
            elif param == "pk" and callback.__module__ in PK_BY_VIEWS_MODULE:
                values[param] = PK_BY_VIEWS_MODULE[callback.__module__](world)
            elif param in OBJECT_PARAMETERS:
                values[param] = OBJECT_PARAMETERS[param](world)
            elif param in VALUE_PARAMETERS:
                values[param] = VALUE_PARAMETERS[param](world)
            else:
                unknown.append(f"{name}: <{param}>")
        if any(p not in values for p in names):
            continue
        path = "/" + "".join(_fill(pattern, values) for pattern in patterns)
        # The path must lead back to the same view, or the sweep would test another one.
        assert resolve(path).func == callback, f"{name}: {path} resolves elsewhere"
        urls.append(Url(name, path, set(names), is_admin))
    return urls, unknown


@pytest.fixture
def world(owner):
    case = make_populated_case(owner)
    add_letter(case, kind=EVIDENCE_INDEX)
    debt = case.debts.first()
    Agreement.objects.create(case=case, lender=debt.lender, lender_slug=lender_slug(debt.lender),
                             monthly=Decimal("100.00"), months=3, first_due=date(2026, 11, 1),
                             agreed_on=date(2026, 10, 1))
    ReminderSettings.for_user(owner).new_feed(by=owner)
    helpers = {"helper_view": make_user("helper-view"), "helper_help": make_user("helper-help"),
               "adviser": make_user("adviser"), "other_adviser": make_user("other-adviser")}
    share_with(case, helpers["helper_view"], ShareRole.VIEW)
    share_with(case, helpers["helper_help"], ShareRole.HELP, sensitive=True)
    share_with(case, helpers["adviser"], organisation=organisation_with(helpers["adviser"]))
    organisation_with(helpers["other_adviser"], name="另一个机构")
    _invitation, token = ShareInvitation.create_for(case, role=ShareRole.VIEW, by=owner, label="未用的链接")
    return World(owner=owner, case=case, helpers=helpers, invitation_token=token)


@pytest.fixture
def sweep(world):
    urls, unknown = all_urls(world)
    assert not unknown, (
        "URL parameters without a mapping in tests/privacy/test_authz_sweep.py "
        f"(add them to OBJECT_PARAMETERS or VALUE_PARAMETERS): {unknown}"
    )
    return urls


def _get(client, url: Url):
    return client.get(url.path, HTTP_ACCEPT_LANGUAGE="en")


def test_every_url_parameter_is_known(sweep):
    assert len(sweep) > 20
    assert any(url.names_an_object for url in sweep)


ROLES = ("anonymous", "owner", "helper_view", "helper_help", "adviser", "other_adviser", "stranger", "reviewer",
         "other_reviewer", "superuser")
SHARED = ("helper_view", "helper_help", "adviser")
METHODS = ("GET", "POST")
TABLE = ROOT / "docs" / "authorization.md"
TABLE_START, TABLE_END = "<!-- sweep table: start -->", "<!-- sweep table: end -->"


def _role_clients(world) -> dict[str, Client]:
    """One client per role. The reviewer is in the Reviewers group and assigned the case;
    the other reviewer is in the group too but not assigned (REVIEW_ASSIGNED_ONLY is on)."""
    group = Group.objects.get(name="Reviewers")
    reviewer = make_user("assigned-reviewer", staff=True)
    other = make_user("other-reviewer", staff=True)
    for user in (reviewer, other):
        user.groups.add(group)
    Case.objects.filter(pk=world.case.pk).update(assigned_reviewer=reviewer)
    users = {"owner": world.owner, **world.helpers, "stranger": make_user("stranger"), "reviewer": reviewer,
             "other_reviewer": other, "superuser": make_user("chief", superuser=True)}
    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def _status(client: Client, method: str, path: str) -> int:
    """The answer to one request, which is then undone: every request sees the same world."""
    cookies = SimpleCookie(client.cookies)
    with transaction.atomic():
        if method == "GET":
            response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        else:
            response = client.post(path, {}, HTTP_ACCEPT_LANGUAGE="en")
        transaction.set_rollback(True)
    client.cookies = cookies  # a logout or an account deletion must not sign the role out
    return response.status_code


def measured_table(sweep, world) -> dict[tuple[str, str], dict[str, int]]:
    clients = _role_clients(world)
    table = {}
    # Every GET first: a POST (deleting the account, say) may remove files a GET would serve.
    for method in METHODS:
        for url in sweep:
            table[(url.name, method)] = {role: _status(clients[role], method, url.path) for role in ROLES}
    return table


def documented_table() -> dict[tuple[str, str], dict[str, int]]:
    text = TABLE.read_text(encoding="utf-8")
    body = text[text.index(TABLE_START) + len(TABLE_START):text.index(TABLE_END)]
    table = {}
    for line in body.strip().splitlines()[2:]:
        cells = [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        table[(cells[0], cells[1])] = dict(zip(ROLES, map(int, cells[2:]), strict=True))
    return table


def render_table(table) -> str:
    lines = ["| URL name | method | " + " | ".join(ROLES) + " |", "|" + " --- |" * (len(ROLES) + 2)]
    for (name, method), statuses in sorted(table.items()):
        lines.append(f"| `{name}` | {method} | " + " | ".join(str(statuses[r]) for r in ROLES) + " |")
    return "\n".join(lines)


@pytest.fixture
def sweep_settings(settings, reviewers_group):
    settings.REVIEW_ASSIGNED_ONLY = True
    # Renders are queued, not run: the sweep asks who may, not how long a PDF takes.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": ["default", "letters"]}}
    return settings


def test_every_role_gets_exactly_the_documented_status_for_every_url_and_method(sweep, world, sweep_settings):
    """docs/authorization.md holds the table: one row per URL and method, one column per role.
    Set SWEEP_WRITE_TABLE=1 to write what was measured there (then read the diff)."""
    measured = measured_table(sweep, world)
    if os.environ.get("SWEEP_WRITE_TABLE") == "1":
        text = TABLE.read_text(encoding="utf-8")
        before, rest = text.split(TABLE_START, 1)
        after = rest.split(TABLE_END, 1)[1]
        TABLE.write_text(f"{before}{TABLE_START}\n{render_table(measured)}\n{TABLE_END}{after}", encoding="utf-8")
    documented = documented_table()
    assert set(documented) == set(measured), (
        "URLs missing from docs/authorization.md: " + ", ".join(map(str, sorted(set(measured) - set(documented))))
        + "; documented but gone: " + ", ".join(map(str, sorted(set(documented) - set(measured)))))
    wrong = [f"{name} {method} {role}: {measured[(name, method)][role]}, documented {expected}"
             for (name, method), row in sorted(documented.items()) for role, expected in row.items()
             if measured[(name, method)][role] != expected]
    assert not wrong, "answers that differ from docs/authorization.md:\n" + "\n".join(wrong)


def test_the_table_keeps_the_walls(sweep):
    """Rules the documented table must follow, so a wrong row cannot be written into it unnoticed."""
    table = documented_table()
    by_name = {url.name: url for url in sweep}
    wrong = []
    for (name, method), row in table.items():
        url = by_name[name]
        if name not in PUBLIC:
            anonymous_ok = row["anonymous"] in (302, 405)
            if not anonymous_ok:
                wrong.append(f"{name} {method}: anonymous {row['anonymous']}")
        if url.names_an_object:
            # Debtor pages are the owner's: everyone else is refused before anything happens.
            for role in ("other_adviser", "stranger", "reviewer", "other_reviewer", "superuser"):
                if row[role] not in (404, 405):
                    wrong.append(f"{name} {method}: {role} {row[role]}")
            # The owner's rights are not shared: helpers and advisers learn nothing there either.
            if name in OWNER_ONLY:
                for role in SHARED:
                    if row[role] not in (404, 405):
                        wrong.append(f"{name} {method}: {role} {row[role]} on the owner's own page")
            # A view-only helper changes nothing: every POST is refused.
            if method == "POST" and row["helper_view"] not in (403, 404, 405):
                wrong.append(f"{name} {method}: helper_view {row['helper_view']}")
        if url.is_admin:
            for role in ("owner", *SHARED, "other_adviser", "stranger"):
                if row[role] != 404:
                    wrong.append(f"{name} {method}: {role} {row[role]} in the admin")
            if "case_id" in url.params and row["other_reviewer"] not in (404, 405):
                wrong.append(f"{name} {method}: a reviewer reaches a case not assigned to them")
        if any(status >= 500 for status in row.values()):
            wrong.append(f"{name} {method}: {row}")
    assert not wrong, "\n".join(wrong)


def test_an_unknown_parameter_fails_the_sweep(world, settings):
    from django.urls import path

    from cases.urls import urlpatterns

    settings.ROOT_URLCONF = type(
        "urls", (), {"urlpatterns": [*urlpatterns, path("cases/<int:case_id>/x/<int:widget_id>/", lambda r: None, name="widget")]}
    )
    _, unknown = all_urls(world)
    assert unknown == ["widget: <widget_id>"]


# Case pages that stay open after consent is withdrawn: the hub (it shows the notice) and the owner's rights.
OPEN_WITHOUT_CONSENT = OWNER_ONLY | {"case_detail"}


def test_withdrawing_consent_stops_every_case_page_but_the_hub_and_privacy(client, sweep, world):
    world.case.withdraw_consent()
    client.force_login(world.owner)
    wrong = []
    for url in sweep:
        if not url.names_an_object:
            continue
        response = _get(client, url)
        if url.name in OPEN_WITHOUT_CONSENT:
            if response.status_code == 404 or response.status_code >= 500:
                wrong.append(f"{url.name} {url.path}: {response.status_code}, should stay open")
            continue
        if response.status_code == 405:
            response = client.post(url.path, {})
        if response.status_code != 403:
            wrong.append(f"{url.name} {url.path}: {response.status_code}, expected 403")
    assert not wrong, "these pages still process a case whose owner withdrew consent:\n" + "\n".join(wrong)
    assert world.case.contacts.count() == 1  # nothing was changed on the way
