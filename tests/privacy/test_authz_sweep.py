"""Authorization sweep: every URL pattern of the project, visited by everyone.

The test walks the resolver, fills each path parameter from the maps below (objects
of one fully populated case), and checks who gets what:

- anonymous: redirected to log in, except the pages in PUBLIC;
- a stranger (signed in, not staff): 404 on every URL that names a case or an
  object in one, and on every admin URL;
- the owner: never 404 or 500 on their own objects;
- a reviewer (staff): never 404 or 500 on case URLs, except the owner's own rights
  in OWNER_ONLY; staff reach the admin.

A URL whose parameter is not in the maps below fails the sweep on purpose: add the
parameter (and an object for it) when you add the URL.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern

from cases.letters.kinds import EVIDENCE_INDEX, NEGOTIATION_REQUEST
from cases.lenders import lender_slug
from cases.models import Agreement, Case, ReminderSettings

from ..factories import make_user
from ..privacy_fixtures import add_letter, make_populated_case

# URL names anyone may open without logging in.
PUBLIC = {
    "landing", "set_language", "signup", "login", "logout", "password_reset", "password_reset_done",
    "password_reset_confirm", "password_reset_complete", "admin:login", "recover",
    "calendar_feed", "reminders_unsubscribe",  # by an unguessable token (issue 18)
}
# The owner's privacy rights: staff reviewing a case get a 404 there too.
OWNER_ONLY = {"case_privacy", "case_consent_withdraw", "case_consent_give", "case_delete"}
# Admin URLs that answer 404 or a redirect by design even for a superuser.
ADMIN_NOT_A_PAGE = {"admin:view_on_site", "admin:<catch-all>"}

# Parameters that name a case or an object inside one: a stranger must get a 404.
OBJECT_PARAMETERS = {
    "case_id": lambda w: w.case.pk,
    "evidence_id": lambda w: w.case.evidence.first().pk,
    "letter_id": lambda w: w.case.letters.first().pk,
    "agreement_id": lambda w: w.case.agreements.first().pk,
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
    return World(owner=owner, case=case)


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


def test_anonymous_users_are_sent_to_log_in(client, sweep):
    wrong = []
    for url in sweep:
        response = _get(client, url)
        if url.name in PUBLIC:
            if response.status_code >= 500:
                wrong.append(f"{url.name} {url.path}: {response.status_code}")
            continue
        # The admin sends to its own login page, or LoginRequiredMiddleware to ours.
        logins = ("/admin/login/", "/accounts/login/") if url.is_admin else ("/accounts/login/",)
        if response.status_code != 302 or not response["Location"].startswith(logins):
            wrong.append(f"{url.name} {url.path}: {response.status_code} {response.get('Location', '')}")
    assert not wrong, "anonymous users reach these pages:\n" + "\n".join(wrong)


def test_a_stranger_gets_404_for_every_object_url_and_the_admin(client, sweep, world):
    client.force_login(make_user("stranger"))
    wrong = []
    for url in sweep:
        response = _get(client, url)
        if url.names_an_object and response.status_code == 405:
            # A POST-only view must also refuse before it acts.
            response = client.post(url.path, {})
        if url.names_an_object or url.is_admin:
            if response.status_code != 404:
                wrong.append(f"{url.name} {url.path}: {response.status_code}")
        elif response.status_code >= 500:
            wrong.append(f"{url.name} {url.path}: {response.status_code}")
    assert not wrong, "a stranger is not refused with a 404 here:\n" + "\n".join(wrong)
    assert Case.objects.filter(pk=world.case.pk, consent_at__isnull=False).exists()


def test_the_owner_reaches_every_page_of_their_case(client, sweep, world):
    client.force_login(world.owner)
    wrong = []
    for url in sweep:
        response = _get(client, url)
        expected_404 = url.is_admin
        if (response.status_code == 404) != expected_404 or response.status_code >= 500:
            wrong.append(f"{url.name} {url.path}: {response.status_code}")
    assert not wrong, "the owner is refused or the page fails:\n" + "\n".join(wrong)


def test_a_reviewer_reaches_case_pages_but_not_the_owners_privacy_rights(client, sweep):
    client.force_login(make_user("reviewer", staff=True))
    wrong = []
    for url in sweep:
        if url.is_admin:
            continue
        response = _get(client, url)
        expected_404 = url.name in OWNER_ONLY
        if expected_404 and response.status_code == 405:
            response = client.post(url.path, {})
        if (response.status_code == 404) != expected_404 or response.status_code >= 500:
            wrong.append(f"{url.name} {url.path}: {response.status_code}")
    assert not wrong, "unexpected answers for a reviewer:\n" + "\n".join(wrong)


def test_staff_reach_the_admin(client, sweep):
    client.force_login(make_user("chief", superuser=True))
    wrong = []
    for url in sweep:
        if not url.is_admin or url.name in ADMIN_NOT_A_PAGE:
            continue
        response = _get(client, url)
        if response.status_code in (404, 500):
            wrong.append(f"{url.name} {url.path}: {response.status_code}")
    assert not wrong, "staff cannot reach these admin pages:\n" + "\n".join(wrong)


def test_a_reviewer_without_admin_permissions_never_breaks_the_admin(client, sweep):
    client.force_login(make_user("junior", staff=True))
    broken = [f"{u.name} {u.path}" for u in sweep if u.is_admin and _get(client, u).status_code >= 500]
    assert not broken


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
