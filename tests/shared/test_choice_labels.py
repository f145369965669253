"""The models' own get_FOO_display() (cases.models.choice_label, a dict made once)
gives exactly what Django's generic one gives, in every language, for every stored
value, a value that is not a choice, and an empty one."""

import types

import pytest
from django.db.models import Model
from django.utils import translation

from cases.models import Contact, Debt, Product

CASES = [
    (Contact, "channel", [*Contact.Channel.values, "not-a-channel", ""]),
    (Contact, "direction", [*Contact.Direction.values, ""]),
    (Contact, "outcome", [*Contact.Outcome.values, "gone"]),
    (Contact, "event", [*Contact.Event.values, ""]),
    (Debt, "product", [*Product.values, "unknown", None]),
]


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
@pytest.mark.parametrize(("model", "name", "values"), CASES, ids=[f"{m.__name__}.{n}" for m, n, _ in CASES])
def test_own_labels_equal_djangos(language, model, name, values):
    field = model._meta.get_field(name)
    with translation.override(language):
        for value in values:
            instance = model(**{name: value})
            ours = getattr(instance, f"get_{name}_display")()
            assert ours == Model._get_FIELD_display(instance, field)
            assert type(ours) is type(Model._get_FIELD_display(instance, field))
    # defined by the model: Django's own would be a partialmethod of Model._get_FIELD_display
    assert isinstance(model.__dict__[f"get_{name}_display"], types.FunctionType)


def test_labels_follow_the_active_language():
    contact = Contact(channel=Contact.Channel.HOTLINE)
    with translation.override("zh-hans"):
        chinese = contact.get_channel_display()
    with translation.override("en"):
        english = contact.get_channel_display()
    assert chinese != english and "95188" in chinese and "95188" in english
