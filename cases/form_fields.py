"""Form fields every feature's forms use."""

from django import forms


class FiniteDecimalField(forms.DecimalField):
    """A DecimalField that refuses NaN and Infinity already when converting, not only when validating.

    Django's DecimalField turns "sNaN" into Decimal("sNaN") and refuses it later, in validate(); but
    has_changed() (called by every formset) compares that value with the initial one first, and comparing a
    signalling NaN raises InvalidOperation: a 500 instead of "Enter a number"."""

    def to_python(self, value):
        number = super().to_python(value)
        if number is not None and not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number
