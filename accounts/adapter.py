"""How allauth creates Kindred members and answers throttled logins (``ACCOUNT_ADAPTER``)."""

import uuid
from urllib.parse import urlencode, urlparse, urlsplit, urlunsplit

from django import forms
from django.contrib.sites.shortcuts import get_current_site
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal import ratelimit

from accounts.devices import device_trust, trusted_device
from accounts.services import member_username_generate
from core.emails import site_url
from core.i18n import supported_language
from core.mail import email_queue


def on_public_address(url):
    """``url`` (a link into this site) on the public address ``KINDRED_BASE_URL``.

    allauth builds its email links (confirm, reset, sign up) from the request's
    host; like every Kindred email, they point where the site is served,
    whatever name the request came under.
    """
    parts = urlsplit(url)
    return site_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))


# Django's validators set no upper bound; hashing a megabyte on every login
# attempt is a cheap denial of service. Password managers stay far below this.
PASSWORD_MAX_LENGTH = 1024
EMAIL_MAX_LENGTH = 254


def user_display(user):
    """How allauth names a user in messages and emails (``ACCOUNT_USER_DISPLAY``)."""
    return user.public_name


# allauth's rate limit (ACCOUNT_RATE_LIMITS) for sign-ins from a trusted device.
TRUSTED_DEVICE_ACTION = "login_failed_trusted_device"

# One message whatever was typed and whether or not the account exists.
SIGN_IN_FAILED = gettext_lazy(
    "That email address (or username) and password do not match. Check them and try again."
)


def recipient_language(user):
    """The language of an email about ``user``'s account: their saved one, else the current one."""
    return supported_language(getattr(user, "language", "")) or translation.get_language()


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": SIGN_IN_FAILED,
        "username_password_mismatch": SIGN_IN_FAILED,
        "too_many_login_attempts": gettext_lazy(
            "Too many attempts to sign in. Please wait a few minutes and try again."
        ),
    }

    def populate_username(self, request, user):
        # allauth would derive the username from the email address or names;
        # a member's username must say nothing about them.
        if not user.username:
            user.username = member_username_generate()

    def save_user(self, request, user, form, commit=True):
        # Set before allauth's save so the new user is written once, complete.
        display_name = form.cleaned_data.get("display_name")
        if display_name:
            user.display_name = display_name
        # Issue 18: the language the member joined in is their language from now on
        # (pages on every device, every email, even those sent by the worker); they
        # can change it, or follow their browser, on the account page.
        user.language = supported_language(translation.get_language()) or ""
        return super().save_user(request, user, form, commit=commit)

    def clean_email(self, email):
        # Django's form field allows 320 characters, the database column 254:
        # refuse here rather than fail on PostgreSQL when saving.
        if len(email) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(
                gettext_lazy("Use at most %(max)d characters."),
                code="email_too_long",
                params={"max": EMAIL_MAX_LENGTH},
            )
        return super().clean_email(email)

    def clean_password(self, password, user=None):
        if len(password) > PASSWORD_MAX_LENGTH:
            raise forms.ValidationError(
                gettext_lazy("Use at most %(max)d characters."),
                code="password_too_long",
                params={"max": PASSWORD_MAX_LENGTH},
            )
        return super().clean_password(password, user=user)

    def pre_authenticate(self, request, **credentials):
        # Count this attempt before checking the password (allauth rolls the
        # count back if the password was right). allauth reports a throttled
        # login as a form error with status 200; answering 429 tells clients
        # and monitoring what is happening.
        cache_key = self._get_login_attempts_cache_key(request, **credentials)
        device = trusted_device(request, credentials.get("email", credentials.get("username")))
        if device:
            # A browser that signed in to this account before has a counter of
            # its own (per account and browser, no per-address limit): others'
            # failures cannot lock the owner out (issue 10, finding 5).
            self._login_failed_rl_usage = ratelimit.consume(
                request,
                app="allauth.account",
                action=TRUSTED_DEVICE_ACTION,
                key=f"{cache_key}:{device}",
            )
        else:
            # Everyone else: per client address, and per account ("key").
            self._login_failed_rl_usage = ratelimit.consume(
                request, app="allauth.account", action="login_failed", key=cache_key
            )
        if not self._login_failed_rl_usage:
            raise ImmediateHttpResponse(render(request, "account/login_throttled.html", status=429))

    def post_login(self, request, user, **kwargs):
        # This browser has now proved it belongs to the account's owner
        # (password, or the emailed link): its own throttle counter from now on.
        response = super().post_login(request, user, **kwargs)
        return device_trust(request, response, user)

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # A password reset (proof of the address) lifts the per-account limit
        # at once: allauth clears it for each address; the username, which
        # members may sign in with too, is cleared here.
        super()._delete_login_attempts_cached_email(request, **credentials)
        email = credentials.get("email")
        address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        if address is not None:
            super()._delete_login_attempts_cached_email(request, username=address.user.username)

    def get_signup_redirect_url(self, request):
        # Where a new member lands once signed in for the first time. With
        # mandatory verification that is right after confirming the address in
        # the browser that signed up (allauth resumes the sign-up's login, and
        # its post_login asks this, not get_email_verification_redirect_url).
        # A "next" carried through sign-up still wins.
        return reverse("accounts:welcome")

    def get_email_verification_redirect_url(self, email_address):
        # Confirming from another browser (or after the sign-up session ended)
        # confirms without signing in. Someone who has never signed in is a new
        # member: after signing in they go on to the welcome steps, as they
        # would have in the browser that signed up. (A changed address is
        # confirmed by someone who has signed in before: the default applies.)
        url = super().get_email_verification_redirect_url(email_address)
        if self.request.user.is_authenticated or email_address.user.last_login is not None:
            return url
        return f"{reverse('account_login')}?{urlencode({'next': reverse('accounts:welcome')})}"

    def is_safe_url(self, url):
        if not super().is_safe_url(url):
            return False
        # Wagtail sends a signed-in person without admin access to the sign-in
        # page with ?next=/admin/..., and allauth sends signed-in people straight
        # on to "next": a member opening /admin/ would bounce between the two
        # for ever. Such a "next" is dropped, so they land on the home page with
        # the admin's "You do not have permission" message instead.
        user = getattr(allauth_context.request, "user", None)
        signed_in = user is not None and user.is_authenticated
        into_admin = urlparse(url).path.startswith(reverse("wagtailadmin_home"))
        return not (signed_in and into_admin and not user.has_perm("wagtailadmin.access_admin"))

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # A change to a known account is told in its owner's saved language.
        with translation.override(recipient_language(user)):
            super().send_notification_mail(template_prefix, user, context=context, email=email)

    def send_mail(self, template_prefix, email, context):
        # Every link allauth puts in an email (``activate_url``,
        # ``password_reset_url``, ``signup_url``) goes to the public address.
        context = {
            key: on_public_address(value) if key.endswith("_url") and value else value
            for key, value in context.items()
        }
        # allauth's send_mail, except that the worker sends it: a sign-up with
        # a registered address ("you already have an account") and one with a
        # new address (the confirmation link) both only queue an email, so
        # the mail server's pace tells nothing (issue 10, finding 4).
        request = allauth_context.request
        # The request's language (the member's, else the browser's), unless the
        # email is about an account whose owner chose a language (issue 18).
        with translation.override(recipient_language(context.get("user"))):
            message = self._render_mail(template_prefix, email, context, request)
        # Through the outbox like every Kindred email: retried while the mail
        # server is down, sent once. Each allauth email is its own.
        email_queue(message=message, key=f"accounts:{template_prefix}:{uuid.uuid4().hex}")

    def _render_mail(self, template_prefix, email, context, request):
        return self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
