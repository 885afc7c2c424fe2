"""The forms askers and experts write in, on the site (experts never use the admin for this)."""

from django import forms

from authoring.forms import BODY_HELP, ContributionForm
from authoring.markup import MAX_BODY_LENGTH, markdown_to_blocks
from core.models import Condition
from core.models.mixins import SUMMARY_MAX_LENGTH
from core.sanitize import clean_text
from core.submissions import token_field

MAX_CONDITIONS = 5


def summary_from(text: str) -> str:
    """A listing's summary made from the asker's own words: their first lines, cut at a word."""
    line = " ".join(clean_text(text).split())
    if len(line) <= SUMMARY_MAX_LENGTH:
        return line
    return line[: SUMMARY_MAX_LENGTH - 1].rsplit(" ", 1)[0] + "…"


class QuestionForm(ContributionForm):
    """Title, details, conditions, topics, audience and byline.

    The listing's summary is the start of the details (``summary_from``).
    """

    BYLINE_CHOICES = [
        ("name", "Ask under my display name"),
        (
            "anonymous",
            "Ask anonymously (nobody sees who asked; reviewers and the expert see a pseudonym)",
        ),
    ]

    summary = None  # made from the details (summary_from)
    conditions = forms.ModelMultipleChoiceField(
        queryset=Condition.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=f"The conditions your question concerns (up to {MAX_CONDITIONS}).",
    )
    byline = forms.ChoiceField(
        choices=BYLINE_CHOICES, widget=forms.RadioSelect, initial="name", label="Byline"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].label = "Your question"
        self.fields["title"].help_text = "One sentence, e.g. “Can I exercise during a relapse?”"
        self.fields["body"].label = "Details"
        self.fields["body"].help_text = (
            "What the expert needs to know. Leave out names, phone numbers and anything "
            "that identifies you or others."
        )

    def clean_conditions(self):
        conditions = self.cleaned_data["conditions"]
        if len(conditions) > MAX_CONDITIONS:
            raise forms.ValidationError(f"Choose at most {MAX_CONDITIONS} conditions.")
        return conditions

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["summary"] = summary_from(self.data.get("body", "") if self.is_bound else "")
        return cleaned


class AnswerForm(forms.Form):
    """An expert's answer: the text only. Its title, audience and topics come from the question."""

    submission = token_field()
    body = forms.CharField(
        label="Your answer",
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14, "data-markdown-editor": ""}),
        help_text=(
            "Answer in general terms; you cannot assess the asker here. A medical reviewer "
            "checks it before it is published. " + BODY_HELP
        ),
    )

    def clean_body(self):
        blocks = markdown_to_blocks(self.cleaned_data.get("body", ""))
        if not blocks:
            raise forms.ValidationError("Write something before saving.")
        return blocks
