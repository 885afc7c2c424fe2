"""allauth form subclasses (``ACCOUNT_FORMS``).

Kept apart from ``accounts.forms``, which allauth imports while defining its
own forms: importing ``allauth.account.forms`` from there would be circular.
"""

from django.core.validators import MaxLengthValidator

from allauth.account.forms import LoginForm as AllauthLoginForm

# Longer than any address (254) or username (150); anything beyond is refused
# before it reaches authentication or the throttle counters.
LOGIN_MAX_LENGTH = 254


class LoginForm(AllauthLoginForm):
    """allauth's login form with a bounded, plainly labelled login field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Email or username"
        login.max_length = LOGIN_MAX_LENGTH
        login.validators.append(MaxLengthValidator(LOGIN_MAX_LENGTH))
        login.widget.attrs.update({"maxlength": str(LOGIN_MAX_LENGTH), "placeholder": ""})
