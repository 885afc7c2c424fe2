"""Kindred's part of the sign-up form, and the display-name field profiles reuse.

allauth builds its sign-up form by inheriting from ``SignupForm`` here
(``ACCOUNT_SIGNUP_FORM_CLASS``), so this module must not import
``allauth.account.forms``: that import would be circular.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from accounts.services import member_register
from accounts.validators import DISPLAY_NAME_MAX_LENGTH, validate_display_name
from core import consent
from core.models import Condition
from social.forms import ConditionChoiceField
from social.models import ProfileVisibility

MULTIPLE_SPACES = re.compile(r" {2,}")
CONSENT_UPDATED = gettext_lazy(
    "We updated this text while you were reading it. Please read the new version "
    "and tick the box again."
)


class DisplayNameField(forms.CharField):
    """The public name: trimmed, runs of spaces collapsed, then validated.

    Profiles reuse this field so that every place a display name is set
    applies the same rules.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Display name"))
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "The only name other people see, next to everything you write. A pseudonym "
                "is fine; please do not use your email address."
            ),
        )
        kwargs.setdefault("max_length", DISPLAY_NAME_MAX_LENGTH)
        kwargs.setdefault("validators", [validate_display_name])
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "nickname")

    def to_python(self, value):
        value = super().to_python(value)
        # Two names that differ only in spacing would look identical on the page.
        return MULTIPLE_SPACES.sub(" ", value) if value else value


class SignupForm(forms.Form):
    """The fields Kindred adds to allauth's sign-up (``ACCOUNT_SIGNUP_FORM_CLASS``).

    Both consents are required. Each checkbox travels with the version of the
    text that was on screen; if the text changed meanwhile the member is asked
    to read it again, so a consent record never names a text nobody saw.
    """

    display_name = DisplayNameField()
    accept_guidelines = forms.BooleanField(
        label=gettext_lazy(consent.CURRENT[consent.GUIDELINES].source_agreement),
        error_messages={
            "required": gettext_lazy("Please accept the community guidelines to join.")
        },
    )
    consent_health_data = forms.BooleanField(
        label=gettext_lazy(consent.CURRENT[consent.HEALTH_DATA].source_agreement),
        error_messages={
            "required": gettext_lazy(
                "Kindred is about sharing health experiences, so we need your "
                "consent to process health information before you can join."
            )
        },
    )
    guidelines_version = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    health_data_version = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    field_order = [
        "display_name",
        "email",
        "password1",
        "password2",
        "accept_guidelines",
        "consent_health_data",
    ]

    # (checkbox, hidden version field, text)
    CONSENT_FIELDS = (
        ("accept_guidelines", "guidelines_version", consent.CURRENT[consent.GUIDELINES]),
        ("consent_health_data", "health_data_version", consent.CURRENT[consent.HEALTH_DATA]),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for _box, version_field, text in self.CONSENT_FIELDS:
            self.fields[version_field].initial = text.version

    @property
    def consent_texts(self):
        """The texts behind the checkboxes, for linking and versioning in the template."""
        return consent.CURRENT

    def clean(self):
        cleaned_data = super().clean()
        for box, version_field, text in self.CONSENT_FIELDS:
            if cleaned_data.get(box) and cleaned_data.get(version_field) != text.version:
                self.add_error(box, CONSENT_UPDATED)
        return cleaned_data

    def signup(self, request, user):
        """Called by allauth once the user is saved (never for an existing address)."""
        member_register(user=user)


# --- The welcome page (/welcome/) ----------------------------------------------

# Far more boxes than the page ever shows; a longer list is not a person ticking.
WELCOME_MAX_CHOICES = 200
NOT_ON_OFFER = gettext_lazy("Choose from the list shown.")


class BoundedChoiceField(ConditionChoiceField):
    """Checkboxes posting ids: at most ``WELCOME_MAX_CHOICES``, well-formed ids only,
    and errors that never repeat what was posted."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": NOT_ON_OFFER,
                "invalid_pk_value": NOT_ON_OFFER,
                "invalid_list": NOT_ON_OFFER,
            },
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(**kwargs)

    def _check_values(self, value):
        if len(value) > WELCOME_MAX_CHOICES:
            raise ValidationError(NOT_ON_OFFER, code="too_many")
        return super()._check_values(value)


class WelcomeInterestsForm(forms.Form):
    """Step 1: conditions of interest and topics to follow; nothing ticked unless chosen before.

    ``interests`` is an ``accounts.selectors.WelcomeInterests`` (what is
    offered); ``readable_tags`` the tags a topic may be (any readable one, so
    an item published meanwhile does not turn a tick into an error). Tags
    that are unknown, unreadable or malformed get the same error.
    """

    conditions = BoundedChoiceField(
        queryset=Condition.objects.all(), label=gettext_lazy("Conditions you are interested in")
    )
    topics = BoundedChoiceField(queryset=None, label=gettext_lazy("Topics to follow"))

    def __init__(self, *args, interests, readable_tags, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "conditions": interests.chosen_condition_ids,
                "topics": [tag.pk for tag in interests.followed_topics],
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["conditions"].widget.choices = [
            (condition.pk, condition.name) for condition in interests.conditions
        ]
        topics = self.fields["topics"]
        topics.queryset = readable_tags
        # Setting the queryset reset the widget's choices; show only what is offered.
        topics.widget.choices = [(tag.pk, tag.name) for tag in interests.topics]


VISIBILITY_EXPLAINED = {
    ProfileVisibility.EVERYONE: gettext_lazy(
        "Your profile page is public: anyone can see your display "
        "name, bio, picture and your conditions of interest, without signing in."
    ),
    ProfileVisibility.MEMBERS: gettext_lazy(
        "Only people signed in to Kindred see your profile page and "
        "your conditions of interest. Every profile starts like this."
    ),
    ProfileVisibility.ONLY_ME: gettext_lazy(
        "Nobody else sees your profile page or your conditions of "
        "interest, and your name on what you publish does not link to it."
    ),
}


class WelcomeVisibilityForm(forms.Form):
    """Step 2: who may see the profile, each choice explained beside it."""

    visibility = forms.ChoiceField(
        choices=ProfileVisibility.choices,
        widget=forms.RadioSelect,
        label=gettext_lazy("Who can see your profile"),
        error_messages={"invalid_choice": NOT_ON_OFFER, "required": gettext_lazy("Choose one.")},
    )

    @property
    def visibility_options(self):
        """``(radio, explanation)`` for each choice, for the template."""
        return [(radio, VISIBILITY_EXPLAINED[radio.data["value"]]) for radio in self["visibility"]]
