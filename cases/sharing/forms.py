from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Organisation, ShareRole


class InvitationForm(forms.Form):
    role = forms.ChoiceField(
        label=_("What may they do?"), widget=forms.RadioSelect,
        choices=[(ShareRole.VIEW, _("View only: read the case; the ID number, phone and files stay hidden")),
                 (ShareRole.HELP, _("Help: also fill in the case, log calls and draft letters (never delete the case, "
                                    "download your data or change your consent)"))],
        error_messages={"required": _("Choose what they may do.")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Share with an advisers' organisation instead (optional)"), queryset=Organisation.objects.all(),
        required=False, empty_label=_("No: a person I know"),
        help_text=_("Its advisers can read the case, write you notes and send letters for review; they cannot change it."),
    )
    label = forms.CharField(label=_("Who is it for? (optional, only you see it)"), max_length=60, required=False)
    sensitive_consent = forms.BooleanField(
        label=_("I separately agree that they may see my ID number, phone and uploaded files."), required=False,
        help_text=_("Sensitive personal information. Without this tick they see it masked. "
                    "You can withdraw this consent at any time on this page."),
    )


class ShareRoleForm(forms.Form):
    role = forms.ChoiceField(choices=[(ShareRole.VIEW, ShareRole.VIEW), (ShareRole.HELP, ShareRole.HELP)])


class SensitiveConsentForm(forms.Form):
    given = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")


class AdviserNoteForm(forms.Form):
    text = forms.CharField(label=_("Note for the debtor"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": _("Write the note first.")})
