"""The form renderer: Django's own form and widget templates rendered by Jinja2.

Form rendering was most of the wizard's CPU time (a profile of the debts step:
~85 % in about 160 widget renders through Django's template language). Django
ships the same templates for Jinja2, which renders them about three times faster
(docs/performance.md). Templates that exist only for Django's template language
(the admin's widgets) are still rendered by it.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FastFormRenderer(BaseRenderer):
    def __init__(self) -> None:
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
