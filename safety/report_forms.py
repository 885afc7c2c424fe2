""" "Report a side effect": the form anyone may send to the Pharmacovigilance group."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.models import Page

from core.sanitize import clean_text
from core.selectors import readable_content
from core.submissions import token_field

# What a case keeps (``SafetyCase.excerpt``): "what happened" and "when", together.
EXCERPT_MAX_LENGTH = 4000
WHAT_MAX_LENGTH = 4000
WHEN_MAX_LENGTH = 100
MEDICINE_MAX_LENGTH = 200
CONTACT_MAX_LENGTH = 254
# Larger ids do not fit the database's column (PostgreSQL would refuse the query).
MAX_PAGE_ID = 2**31 - 1
PHONE = re.compile(r"^\+?[\d\s().\-/]{6,30}$")


def readable_item(*, user, raw: object) -> Page | None:
    """The live page ``raw`` names (an id, as text) if ``user`` may read it, else None.

    Anything else (not a number, too large, a draft, someone else's community item, a
    made-up id) gives None, all alike: a report never says which pages exist.
    """
    text = str(raw or "").strip()
    if not text.isdigit() or len(text) > 10 or not 0 < int(text) <= MAX_PAGE_ID:
        return None
    # The base page is enough: the form shows its title and address.
    return readable_content(user=user, queryset=Page.objects.filter(pk=int(text))).first()


def _limit(message, limit: int) -> dict:
    """``max_length``'s message: ``message`` names the field, with ``{limit}`` for the limit
    and ``%(show_value)s`` for the length given (Django fills that in)."""
    grouped = lazy(lambda: number_format(limit, force_grouping=True), str)()
    return {"max_length": format_lazy(message, limit=grouped)}


class SideEffectReportForm(forms.Form):
    """What happened (required), the medicine, when, whether it was serious, how to reach
    the reporter, and the item they were reading (``item``: a page id, kept only when the
    reporter may read it; see ``readable_item``)."""

    submission = token_field()
    item = forms.CharField(required=False, widget=forms.HiddenInput)
    what_happened = forms.CharField(
        label=gettext_lazy("What happened?"),
        max_length=WHAT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "The side effect in your own words: what you noticed, how long it lasted, "
            "what you did about it."
        ),
        error_messages={
            "required": gettext_lazy("Tell us what happened: it is the one thing we need."),
            **_limit(
                gettext_lazy(
                    "“What happened” can be at most {limit} characters long "
                    "(it has %(show_value)s)."
                ),
                WHAT_MAX_LENGTH,
            ),
        },
    )
    medicine = forms.CharField(
        label=gettext_lazy("Which medicine? (optional)"),
        max_length=MEDICINE_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy("Its name as on the pack, and the dose if you know it."),
        error_messages=_limit(
            gettext_lazy(
                "The medicine can be at most {limit} characters long (it has %(show_value)s)."
            ),
            MEDICINE_MAX_LENGTH,
        ),
    )
    when = forms.CharField(
        label=gettext_lazy("When did it happen? (optional)"),
        max_length=WHEN_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy("A date, or e.g. “two weeks after starting it”."),
        error_messages=_limit(
            gettext_lazy("“When” can be at most {limit} characters long (it has %(show_value)s)."),
            WHEN_MAX_LENGTH,
        ),
    )
    serious = forms.BooleanField(
        label=gettext_lazy(
            "It was serious: it led to a hospital stay, was life-threatening, caused "
            "lasting harm or disability, or a birth defect."
        ),
        required=False,
    )
    contact = forms.CharField(
        label=gettext_lazy("How can we reach you? (optional)"),
        max_length=CONTACT_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy(
            "An email address or phone number, if you are happy for our "
            "pharmacovigilance team to contact you with questions. Leave it empty to stay "
            "anonymous."
        ),
        error_messages=_limit(
            gettext_lazy(
                "The contact can be at most {limit} characters long (it has %(show_value)s)."
            ),
            CONTACT_MAX_LENGTH,
        ),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["contact"].widget.attrs["autocomplete"] = "off"

    def clean_what_happened(self) -> str:
        text = clean_text(self.cleaned_data["what_happened"])
        if not text:
            raise ValidationError(_("Tell us what happened: it is the one thing we need."))
        return text

    def clean_medicine(self) -> str:
        return clean_text(self.cleaned_data["medicine"])

    def clean_when(self) -> str:
        return " ".join(clean_text(self.cleaned_data["when"]).split())

    def clean_contact(self) -> str:
        contact = clean_text(self.cleaned_data["contact"])
        if not contact:
            return ""
        if "@" in contact:
            try:
                validate_email(contact)
            except ValidationError:
                raise ValidationError(_("This email address does not look right.")) from None
            return contact
        if not PHONE.match(contact) or sum(char.isdigit() for char in contact) < 6:
            raise ValidationError(
                _(
                    "Give an email address or a phone number (digits, spaces and +), "
                    "or leave it empty."
                )
            )
        return contact

    def clean_item(self) -> Page | None:
        # Silently dropped when not readable: the report still goes, without the link.
        return readable_item(user=self.user, raw=self.cleaned_data.get("item"))

    def clean(self) -> dict:
        cleaned = super().clean()
        if len(excerpt_of(cleaned)) > EXCERPT_MAX_LENGTH:
            self.add_error(
                "what_happened",
                _(
                    "Together with “when”, this is longer than %(limit)s characters: please "
                    "shorten it a little."
                )
                % {"limit": number_format(EXCERPT_MAX_LENGTH, force_grouping=True)},
            )
        return cleaned


def excerpt_of(cleaned: dict) -> str:
    """The case's excerpt: when it happened (if given), then what happened, in full."""
    what = cleaned.get("what_happened") or ""
    when = cleaned.get("when") or ""
    return f"When: {when}\n\n{what}" if when else what
