"""The form renderer: Django's own form and widget templates, the common ones
written out in Python.

Checked against Django 6.1's form templates; on any other Django version it
renders every template the plain way (Jinja2, or Django's template language),
and ``FAST_FORM_RENDERER=0`` swaps it for Django's own ``DjangoTemplates``.

Form rendering was most of the wizard's CPU time (docs/performance.md, docs/decisions/010), nearly
all of it widget renders through Django's template language. The templates every
form here uses on every field (the field group, label, error list,
text/number/date inputs, selects, text areas, check boxes) are plain Python
functions that produce the same markup, character for character:
``tests/shared/test_renderers.py`` compares them with the templates on every page with
a form, empty, filled and with errors. Any other template is rendered by Jinja2,
and templates that exist only for Django's template language (the admin's
widgets) by it.
"""

import logging
from functools import cache

import django
from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from markupsafe import escape

logger = logging.getLogger(__name__)

# The Django feature release whose form templates the functions below copy.
CHECKED_DJANGO = (6, 1)


def checked_version(installed: tuple) -> bool:
    """Whether ``installed`` (a ``django.VERSION``) is the release this was checked against."""
    return tuple(installed[:2]) == CHECKED_DJANGO


@cache
def _refuse(installed: str) -> None:
    logger.warning(
        "Django %s is not the version the fast form renderer was checked against (%s): "
        "forms are rendered from Django's own templates.", installed, ".".join(map(str, CHECKED_DJANGO)))


def _attrs(attrs) -> str:
    """widgets/attrs.html and attrs.html: ``True`` is a bare attribute, ``False`` none."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget) -> str:
    value = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
    return f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _input_option(widget) -> str:
    if not widget["wrap_label"]:
        return _input(widget)
    label_for = f' for="{escape(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f'<label{label_for}>{_input(widget)} {escape(widget["label"])}</label>'


def _select_option(widget) -> str:
    return f'<option value="{escape(widget["value"])}"{_attrs(widget["attrs"])}>{escape(widget["label"])}</option>'


def _select(widget, renderer) -> str:
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in group_choices:
            parts.append("\n  " + renderer.render_option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _multiple_input(widget, renderer) -> str:
    attrs = widget["attrs"]
    parts = [
        "<div",
        f' id="{escape(attrs["id"])}"' if attrs.get("id") else "",
        f' class="{escape(attrs["class"])}"' if attrs.get("class") else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{escape(group)}</label>")
        for option in options:
            parts.append("<div>\n    " + renderer.render_option(option) + "</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _textarea(widget) -> str:
    value = escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _label(context) -> str:
    if not context["use_tag"]:
        return str(escape(context["label"]))
    tag = escape(context["tag"])
    attrs = _attrs(context["attrs"]) if context["attrs"] else ""
    return f"<{tag}{attrs}>{escape(context['label'])}</{tag}>"


def _error_list(context) -> str:
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    ident = f' id="{escape(field_id)}_error"' if field_id else ""
    items = "".join(f"<li>{escape(error)}</li>" for error in errors)
    return f'<ul class="{escape(context["error_class"])}"{ident}>{items}</ul>'


def _field(context) -> str:
    field = context["field"]
    if field.use_fieldset:
        described = f' aria-describedby="{escape(field.aria_describedby)}"' if field.aria_describedby else ""
        head = f"<fieldset{described}>\n  " + (str(escape(field.legend_tag())) if field.label else "") + "\n"
    else:
        head = "\n  " + (str(escape(field.label_tag())) if field.label else "") + "\n"
    help_text = ""
    if field.help_text:
        ident = f' id="{escape(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{ident}>{field.help_text}</div>'
    tail = "</fieldset>" if field.use_fieldset else ""
    return f"{head}\n{help_text}\n{escape(field.errors)}\n{escape(field)}\n{tail}"


_INPUTS = ("text", "number", "date", "email", "password", "hidden", "checkbox", "url", "tel", "datetime", "time",
           "search", "color")
_WIDGETS = {f"django/forms/widgets/{name}.html": _input for name in _INPUTS}
_WIDGETS["django/forms/widgets/input.html"] = _input
_WIDGETS["django/forms/widgets/textarea.html"] = _textarea
_OPTIONS = {
    "django/forms/widgets/select_option.html": _select_option,
    "django/forms/widgets/checkbox_option.html": _input_option,
    "django/forms/widgets/radio_option.html": _input_option,
    "django/forms/widgets/input_option.html": _input_option,
}
_CHOICES = {
    "django/forms/widgets/select.html": _select,
    "django/forms/widgets/checkbox_select.html": _multiple_input,
    "django/forms/widgets/radio.html": _multiple_input,
    "django/forms/widgets/multiple_input.html": _multiple_input,
}
_OTHERS = {
    "django/forms/field.html": _field,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _error_list,
    "django/forms/errors/list/ul.html": _error_list,
}


class FastFormRenderer(BaseRenderer):
    def __init__(self) -> None:
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()
        self.fast = checked_version(django.VERSION)
        if not self.fast:
            _refuse(django.get_version())

    def get_template(self, template_name):
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)

    def render(self, template_name, context, request=None):
        if not self.fast:
            return super().render(template_name, context, request=request)
        if (render := _WIDGETS.get(template_name)) is not None:
            return render(context["widget"])
        if (render := _CHOICES.get(template_name)) is not None:
            return render(context["widget"], self)
        if (render := _OTHERS.get(template_name)) is not None:
            return render(context).strip()
        return super().render(template_name, context, request=request)

    def render_option(self, option) -> str:
        if self.fast and (render := _OPTIONS.get(option["template_name"])) is not None:
            return render(option)
        return self.get_template(option["template_name"]).render({"widget": option}).strip()
