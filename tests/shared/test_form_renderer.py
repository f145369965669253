"""Forms render Django's own templates through Jinja2; the admin's widgets still work."""

from django.forms.renderers import get_default_renderer
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template

from cases.intake.forms import DebtorForm


def test_our_forms_use_the_jinja2_templates():
    renderer = get_default_renderer()
    assert isinstance(renderer.get_template("django/forms/widgets/input.html"), Jinja2Template)
    html = DebtorForm().as_div()
    assert 'name="name"' in html and "<label" in html


def test_admin_only_widget_templates_fall_back_to_the_template_language():
    renderer = get_default_renderer()
    assert isinstance(renderer.get_template("admin/widgets/related_widget_wrapper.html"), DjangoTemplate)


def test_the_admin_add_form_renders(admin_client):
    response = admin_client.get("/admin/auth/group/add/")
    assert response.status_code == 200
    assert 'name="permissions"' in response.content.decode()
