"""Forms for writing and reporting comments. They only parse; ``services`` decides."""

from django import forms

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
        label="Your comment",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
        error_messages={"required": "Write something before posting."},
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
            raise forms.ValidationError("Write something before posting.")
        if len(text) > COMMENT_MAX_LENGTH:
            raise forms.ValidationError(
                f"Comments can be at most {COMMENT_MAX_LENGTH:,} characters long; "
                f"this one has {len(text):,}. Please shorten it."
            )
        return text


class EditForm(CommentForm):
    parent = None
    submission = None


class ReportForm(forms.Form):
    """Why a member reports a comment: a reason from the list, and optionally a few words."""

    reason = forms.ChoiceField(
        label="Why are you reporting this comment?",
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose why you are reporting this comment.",
            "invalid_choice": "Choose why you are reporting this comment.",
        },
    )
    submission = token_field()
    text = forms.CharField(
        label="Anything the moderators should know (optional)",
        required=False,
        max_length=REPORT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REPORT_TEXT_MAX_LENGTH}),
        error_messages={
            "max_length": f"Please keep this to {REPORT_TEXT_MAX_LENGTH} characters.",
        },
    )
