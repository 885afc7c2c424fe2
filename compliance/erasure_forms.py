"""The form of "Delete my account": the password, and the choice for published items."""

from django import forms

from compliance.models import ErasureRequest

# Longer than any password a person types; more is refused before hashing.
PASSWORD_MAX_LENGTH = 1024


class ErasureRequestForm(forms.Form):
    """Checks the password of ``user`` (the signed-in member) and reads their choice."""

    password = forms.CharField(
        label="Your password",
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    published_items = forms.ChoiceField(
        label="Your published items",
        choices=ErasureRequest.Published.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password. Nothing has been changed.")
        return password
