"""What the membership forms post (communities.views), parsed and bounded.

The fields each form on the community page sends:

- join, rules_accept, invitation_accept: ``accept_rules`` ("on" when ticked)
  and ``rules_version`` (the version shown on the page: ``community.rules_version``);
- profile_listing: ``show`` ("on" to list the community on one's profile);
- invite: ``handle`` (the invitee's profile handle);
- request_decide: ``membership`` (the request's id), ``decision`` ("approve" or
  "refuse") and ``reason`` (required to refuse; the person is told it);
- member_remove: ``membership`` (the member's id) and ``reason`` (required).

leave and invitation_decline send nothing but the CSRF token.
"""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from social.models import HANDLE_MAX_LENGTH

from .services import APPROVE, REASON_MAX_LENGTH, REFUSE

# Rules versions and row ids fit PostgreSQL's integer; larger is nonsense, not a 500.
ID_MAX = 2**31 - 1


class RulesForm(forms.Form):
    accept_rules = forms.BooleanField(required=False)
    rules_version = forms.IntegerField(
        min_value=1,
        max_value=ID_MAX,
        # Missing or malformed: the page did not send what it shows; the same words.
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"),
            gettext_lazy("Read the rules, then accept them."),
        ),
    )


class ProfileListingForm(forms.Form):
    show = forms.BooleanField(required=False)


class InviteForm(forms.Form):
    handle = forms.CharField(
        max_length=HANDLE_MAX_LENGTH,
        error_messages={
            "required": gettext_lazy(
                "Give the handle of the person to invite (from their profile)."
            ),
            "max_length": gettext_lazy("That is longer than any handle."),
        },
    )


def _reason_field(*, required: bool) -> forms.CharField:
    return forms.CharField(
        required=required,
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": gettext_lazy("Say why, in a few words: the person is told."),
            "max_length": format_lazy(
                gettext_lazy("Keep the reason under {count} characters."), count=REASON_MAX_LENGTH
            ),
        },
    )


class MembershipIdField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(
            min_value=1,
            max_value=ID_MAX,
            error_messages=dict.fromkeys(
                ("required", "invalid", "min_value", "max_value"),
                gettext_lazy("Choose whom this is about."),
            ),
            **kwargs,
        )


class RequestDecideForm(forms.Form):
    membership = MembershipIdField()
    decision = forms.ChoiceField(
        choices=[(APPROVE, gettext_lazy("Approve")), (REFUSE, gettext_lazy("Refuse"))],
        error_messages={
            "required": gettext_lazy("Choose to approve or refuse the request."),
            "invalid_choice": gettext_lazy("Choose to approve or refuse the request."),
        },
    )
    reason = _reason_field(required=False)


class MemberRemoveForm(forms.Form):
    membership = MembershipIdField()
    reason = _reason_field(required=True)


def first_error(form: forms.Form) -> str:
    """The first error of an invalid ``form``, in its own words."""
    for errors in form.errors.values():
        return str(errors[0])
    return _("Check what you sent.")
