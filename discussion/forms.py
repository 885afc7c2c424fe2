"""Forms for writing and reporting comments. They only parse; ``services`` decides."""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.submissions import token_field

from .models import COMMENT_MAX_LENGTH, REPORT_TEXT_MAX_LENGTH, ReportReason
from .selectors import MAX_ID
from .text import normalise_comment_text

# What is read before refusing: enough to count and quote back, bounded so a
# huge body costs nothing to look at.
RAW_READ_LIMIT = COMMENT_MAX_LENGTH * 4


class CommentForm(forms.Form):
    """A new comment, or a reply when ``parent`` names the comment answered."""

    comment = forms.CharField(
        label=gettext_lazy("Your comment"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
        error_messages={"required": gettext_lazy("Write something before posting.")},
    )
    parent = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    # A double click posts one comment (core.submissions).
    submission = token_field()

    def clean_comment(self):
        raw = self.cleaned_data["comment"]
        text = normalise_comment_text(raw) if len(raw) <= RAW_READ_LIMIT else raw
        if not text:
            raise forms.ValidationError(_("Write something before posting."))
        if len(text) > COMMENT_MAX_LENGTH:
            raise forms.ValidationError(
                _(
                    "Comments can be at most %(limit)s characters long; "
                    "this one has %(length)s. Please shorten it."
                )
                % {
                    "limit": number_format(COMMENT_MAX_LENGTH, force_grouping=True),
                    "length": number_format(len(text), force_grouping=True),
                }
            )
        return text


class EditForm(CommentForm):
    parent = None
    submission = None


class ReportForm(forms.Form):
    """Why a member reports a comment: a reason from the list, and optionally a few words."""

    reason = forms.ChoiceField(
        label=gettext_lazy("Why are you reporting this comment?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose why you are reporting this comment."),
            "invalid_choice": gettext_lazy("Choose why you are reporting this comment."),
        },
    )
    submission = token_field()
    text = forms.CharField(
        label=gettext_lazy("Anything the moderators should know (optional)"),
        required=False,
        max_length=REPORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REPORT_TEXT_MAX_LENGTH}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Worded in the language of the request (a class attribute would be worded once).
        self.fields["text"].error_messages["max_length"] = _(
            "Please keep this to %(limit)s characters."
        ) % {"limit": REPORT_TEXT_MAX_LENGTH}
