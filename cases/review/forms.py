"""The reviewers' forms: assigning cases, deciding on a letter, internal notes."""

from django import forms
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext_lazy as _

from ..models import ReviewerNote
from . import workplace


def _reviewer_field(required: bool) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=workplace.reviewers(), required=required, label=_("reviewer"), empty_label=_("(choose a reviewer)")
    )


class CaseActionForm(ActionForm):
    reviewer = _reviewer_field(required=False)


class AssignForm(forms.Form):
    reviewer = _reviewer_field(required=True)


class DecisionForm(forms.Form):
    APPROVE = workplace.APPROVE
    REQUEST_CHANGES = workplace.REQUEST_CHANGES

    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[(APPROVE, _("Approve")), (REQUEST_CHANGES, _("Request changes"))],
    )
    note = forms.CharField(
        label=_("Note to the user"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The user sees this note on their case page. Required when you ask for changes."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REQUEST_CHANGES and not (data.get("note") or "").strip():
            self.add_error("note", _("Say what the user should change."))
        return data


class ReviewerNoteForm(forms.ModelForm):
    class Meta:
        model = ReviewerNote
        fields = ["text"]
        labels = {"text": _("Internal note")}
        help_texts = {"text": _("Only staff see this note; the user never does.")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": _("Write the note first.")}}

    def clean_text(self):
        text = self.cleaned_data["text"]
        if len(text) > 5000:
            raise forms.ValidationError(_("Keep the note under 5000 characters."))
        return text
