"""allauth form subclasses (``ACCOUNT_FORMS``).

Kept apart from ``accounts.forms``, which allauth imports while defining its
own forms: importing ``allauth.account.forms`` from there would be circular.
"""

from django.contrib.auth.hashers import make_password
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm

# Longer than any address (254) or username (150); anything beyond is refused
# before it reaches authentication or the throttle counters.
LOGIN_MAX_LENGTH = 254


class LoginForm(AllauthLoginForm):
    """allauth's login form with a bounded, plainly labelled login field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = gettext_lazy("Email or username")
        login.max_length = LOGIN_MAX_LENGTH
        login.validators.append(MaxLengthValidator(LOGIN_MAX_LENGTH))
        login.widget.attrs.update({"maxlength": str(LOGIN_MAX_LENGTH), "placeholder": ""})


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, doing the same work whether or not the address is registered.

    With enumeration prevention allauth answers a registered address as if it
    were new, but skipped the password hash that creating an account costs: the
    answer came back in a fraction of the time (issue 10, finding 4). The
    password is hashed here too, and thrown away.
    """

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
