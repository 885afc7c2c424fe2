from django import forms

from social.models import EmailDelivery, NotificationKind


class PreferencesForm(forms.Form):
    """One radio group per kind of notification: immediate, daily digest or off."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=EmailDelivery.choices,
                widget=forms.RadioSelect,
            )
