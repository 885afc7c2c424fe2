"""The form of "Delete my account": the password, and the choice for published items."""

from django import forms
from django.utils.translation import gettext_lazy

from compliance.models import ErasureRequest

# Longer than any password a person types; more is refused before hashing.
PASSWORD_MAX_LENGTH = 1024


class ErasureRequestForm(forms.Form):
    """Checks the password of ``user`` (the signed-in member) and reads their choice."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    published_items = forms.ChoiceField(
        label=gettext_lazy("Your published items"),
        # The model's labels, in the reader's language (the model's own stay as they are).
        choices=[
            (ErasureRequest.Published.REMOVE, gettext_lazy("Remove them")),
            (ErasureRequest.Published.KEEP_ANONYMOUS, gettext_lazy("Keep them without my name")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                gettext_lazy("That is not your password. Nothing has been changed.")
            )
        return password
