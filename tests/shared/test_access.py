"""Who may open which page, and the Content-Security-Policy every page is sent with."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ..factories import make_case

# The only pages a visitor who is not logged in may open.
PUBLIC = {
    "landing", "signup", "login", "set_language",
    "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete", "recover",
    "calendar_feed", "reminders_unsubscribe",  # by an unguessable token (issue 18)
}


def app_url_patterns(patterns=None, prefix=""):
    """(name, route) of every URL of the app (the admin has its own login)."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue
            yield from app_url_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry.name, prefix + str(entry.pattern), entry.callback


def concrete_url(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "1" if m.group(1) == "int" else "x", route)


def test_the_public_pages_are_exactly_the_expected_ones():
    public = {name for name, _route, view in app_url_patterns() if getattr(view, "login_required", True) is False}
    assert public == PUBLIC


@pytest.mark.parametrize(
    "route", [route for name, route, _view in app_url_patterns() if name not in PUBLIC], ids=lambda route: route
)
def test_every_other_page_sends_visitors_to_the_login(client, db, route):
    url = concrete_url(route)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("name", ["landing", "signup", "login", "password_reset", "password_reset_done",
                                  "password_reset_complete"])
def test_public_pages_open_without_login(client, db, name):
    assert client.get(reverse(name)).status_code == 200


def test_the_admin_is_invisible_to_users_who_are_not_staff(owner_client):
    assert owner_client.get("/admin/").status_code == 404


def test_the_admin_opens_for_staff(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/admin/").status_code == 200


def test_private_media_has_no_public_url(client, owner, settings):
    (settings.PRIVATE_MEDIA_ROOT / "evidence").mkdir()
    (settings.PRIVATE_MEDIA_ROOT / "evidence" / "secret.txt").write_text("x")
    client.force_login(owner)
    for url in ("/media/evidence/secret.txt", "/private/evidence/secret.txt", "/evidence/secret.txt"):
        assert client.get(url).status_code == 404


# --- Content-Security-Policy -------------------------------------------------


@pytest.fixture
def pages(client, owner):
    """The foundation's pages, rendered for a visitor and for a signed-in user."""
    anonymous = [reverse(name) for name in ("landing", "signup", "login", "password_reset", "password_reset_done")]
    html = {url: client.get(url) for url in anonymous}
    case = make_case(owner)
    client.force_login(owner)
    for url in (reverse("dashboard"), reverse("account"), reverse("password_change"), reverse("case_detail", args=[case.pk])):
        html[url] = client.get(url)
    return html


def test_every_page_forbids_inline_script_and_eval(pages):
    for url, response in pages.items():
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
        assert directives["script-src"] == "'self'", url
        assert directives["style-src"] == "'self'", url
        assert directives["object-src"] == "'none'", url
        assert directives["frame-ancestors"] == "'self'", url
        assert "unsafe" not in csp, url


def test_pages_contain_no_inline_script_style_or_event_handler(pages):
    for url, response in pages.items():
        html = response.content.decode()
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts and all(" src=" in tag for tag in scripts), url
        assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html), url  # no script body
        assert not re.search(r"\sstyle\s*=", html), url
        assert "<style" not in html, url
        assert not re.search(r"\s(?:hx-on|on[a-z]+)\s*[:=]", html), url


def test_htmx_is_served_by_us_and_configured_to_need_neither_eval_nor_inline_styles(client, db):
    html = client.get(reverse("landing")).content.decode()
    assert re.search(r'<script src="/static/django_htmx/htmx[^"]*\.js"', html)
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html).group(1)
    assert '"allowEval": false' in config
    assert '"includeIndicatorStyles": false' in config
    assert all(src.startswith("/static/") for src in re.findall(r'src="([^"]*)"', html))  # no CDN
