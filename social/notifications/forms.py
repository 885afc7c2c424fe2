from django import forms

from social.models import EmailDelivery, NotificationKind, kind_label


class PreferencesForm(forms.Form):
    """One radio group per kind of notification: immediate, daily digest or off."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in NotificationKind.values:
            self.fields[kind] = forms.ChoiceField(
                label=kind_label(kind),
                choices=EmailDelivery.choices,
                widget=forms.RadioSelect,
            )
