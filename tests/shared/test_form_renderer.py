"""Forms render Django's own templates through Jinja2 (fast renderer on) or Django's
template language (off); the admin's widgets work either way."""

import pytest
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template

from cases.intake.forms import DebtorForm


fast_renderer_only = pytest.mark.skipif(
    not settings.FAST_FORM_RENDERER, reason="the fast form renderer is off (FAST_FORM_RENDERER=0)")


@fast_renderer_only
def test_our_forms_use_the_jinja2_templates():
    renderer = get_default_renderer()
    assert isinstance(renderer.get_template("django/forms/widgets/input.html"), Jinja2Template)
    html = DebtorForm().as_div()
    assert 'name="name"' in html and "<label" in html


@fast_renderer_only
def test_admin_only_widget_templates_fall_back_to_the_template_language():
    renderer = get_default_renderer()
    assert isinstance(renderer.get_template("admin/widgets/related_widget_wrapper.html"), DjangoTemplate)


def test_the_admin_add_form_renders(admin_client):
    response = admin_client.get("/admin/auth/group/add/")
    assert response.status_code == 200
    assert 'name="permissions"' in response.content.decode()
