"""The member's profile form: every field bounded and checked before a service sees it."""

import re
import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Condition

from .avatars import AvatarError, avatar_prepare
from .models import BIO_MAX_LENGTH, ProfileVisibility

DISPLAY_NAME_MIN_LENGTH = 2
DISPLAY_NAME_MAX_LENGTH = 60
# Something@something.tld anywhere in the name: a display name is public and
# must not turn into a way to publish (or be tricked into publishing) an address.
EMAIL_LIKE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# Bidirectional overrides and isolates let a name render as something else
# ("evil\u202emoc.liame"); zero-width joiners stay allowed for emoji.
# Ids are positive 64-bit integers; 18 digits always fit.
PK_PATTERN = re.compile(r"[0-9]{1,18}")
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _has_control_characters(value, *, allow=""):
    return any(
        (unicodedata.category(char) in ("Cc", "Zl", "Zp") and char not in allow)
        or char in BIDI_CONTROLS
        for char in value
    )


# Said next to the fields themselves (not by a script), so that it is true
# whichever choice is ticked when the form is sent.
CONDITIONS_HELP = gettext_lazy(
    "Shown on your profile to everyone who can see it. If you choose “Everyone” below, "
    "your conditions of interest are public: anyone, signed in or not, can read them."
)


def _public_choice_label(label):
    return _("%(label)s: your profile, including your conditions of interest, is public") % {
        "label": label
    }


VISIBILITY_CHOICES = [
    (
        value,
        lazy(_public_choice_label, str)(label) if value == ProfileVisibility.EVERYONE else label,
    )
    for value, label in ProfileVisibility.choices
]


class PlainTextField(forms.CharField):
    """A CharField that counts a line break as one character, however it was sent.

    Browsers send CRLF; without this a 500-character bio with line breaks
    would fail the length check it visibly meets.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class ConditionChoiceField(forms.ModelMultipleChoiceField):
    """Condition checkboxes that refuse impossible ids before any query.

    Django passes posted ids straight to the database; on SQLite an id past
    64 bits raises OverflowError, which would be a 500.
    """

    def _check_values(self, value):
        for pk in value:
            if not isinstance(pk, str) or not PK_PATTERN.fullmatch(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class ProfileForm(forms.Form):
    """Display name, bio, avatar, conditions, visibility, the suggestions, follow-list and
    followed-topics choices, and whether old profile addresses keep working.

    Fields not declared here (``user``, ``handle``, ``avatar`` paths...) are
    ignored whatever is posted. A valid avatar upload is re-encoded during
    validation, so ``cleaned_data["avatar"]`` is a ``PreparedAvatar`` or None.
    """

    display_name = forms.CharField(
        min_length=DISPLAY_NAME_MIN_LENGTH,
        max_length=DISPLAY_NAME_MAX_LENGTH,
        label=gettext_lazy("Display name"),
        help_text=gettext_lazy(
            "The only name shown publicly, next to everything you write. "
            "A pseudonym is fine; an email address is not. Changing it gives your profile "
            "a new address without the old name."
        ),
    )
    bio = PlainTextField(
        required=False,
        max_length=BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        label=gettext_lazy("Bio"),
        help_text=lazy(
            lambda: _("Plain text, up to %(count)s characters.") % {"count": BIO_MAX_LENGTH}, str
        )(),
    )
    avatar = forms.FileField(
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        label=gettext_lazy("Avatar"),
        help_text=gettext_lazy(
            "JPEG, PNG, WebP or GIF, at most 2 MB. We remove location and camera "
            "details and crop it to a square."
        ),
    )
    remove_avatar = forms.BooleanField(required=False, label=gettext_lazy("Remove my picture"))
    conditions = ConditionChoiceField(
        queryset=Condition.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Conditions of interest"),
        help_text=CONDITIONS_HELP,
    )
    visibility = forms.ChoiceField(
        choices=VISIBILITY_CHOICES,
        widget=forms.RadioSelect,
        label=gettext_lazy("Who can see my profile"),
    )
    show_in_suggestions = forms.BooleanField(
        required=False,
        label=gettext_lazy("Suggest me to members with similar conditions of interest"),
        help_text=gettext_lazy(
            "Only members who opted in too see you among their suggestions, and only "
            "the conditions you share are named."
        ),
    )
    show_follow_lists = forms.BooleanField(
        required=False,
        label=gettext_lazy("Show whom I follow and who follows me on my profile"),
    )
    show_followed_topics = forms.BooleanField(
        required=False,
        label=gettext_lazy("Show the topics I follow on my profile"),
        help_text=gettext_lazy(
            "Off by default: the topics you follow can say what you live with. "
            "When ticked, whoever can see your list of people you follow sees them too."
        ),
    )
    redirect_former_handles = forms.BooleanField(
        required=False,
        label=gettext_lazy("Keep my old profile addresses working"),
        help_text=gettext_lazy(
            "When you change your display name, your profile gets a new address. "
            "Your old address contains your previous name: tick this only if you want links "
            "to it to keep leading to your profile. Off by default."
        ),
    )

    def clean_display_name(self):
        # CharField has already stripped surrounding whitespace and checked
        # the length; NFC so that "é" typed two ways counts as one name.
        name = unicodedata.normalize("NFC", self.cleaned_data["display_name"])
        if _has_control_characters(name):
            raise ValidationError(_("Please remove invisible or control characters."))
        if EMAIL_LIKE.search(name):
            raise ValidationError(_("A display name must not be an email address."))
        if len(name) < DISPLAY_NAME_MIN_LENGTH or len(name) > DISPLAY_NAME_MAX_LENGTH:
            raise ValidationError(
                _("Use between %(min)s and %(max)s characters.")
                % {"min": DISPLAY_NAME_MIN_LENGTH, "max": DISPLAY_NAME_MAX_LENGTH}
            )
        # Whatever rules the User model itself holds for the name (the
        # accounts app owns them) apply here too, so both forms agree.
        get_user_model()._meta.get_field("display_name").run_validators(name)
        return name

    def clean_bio(self):
        bio = self.cleaned_data["bio"]
        if _has_control_characters(bio, allow="\n\t"):
            raise ValidationError(_("Please remove invisible or control characters."))
        return bio

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload:
            return None
        try:
            return avatar_prepare(upload)
        except AvatarError as error:
            raise ValidationError(str(error)) from error
