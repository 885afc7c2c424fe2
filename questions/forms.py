"""The forms askers and experts write in, on the site (experts never use the admin for this)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from authoring.forms import BODY_HELP, ContributionForm
from authoring.markup import MAX_BODY_LENGTH, markdown_to_blocks
from core.models import Condition
from core.models.mixins import SUMMARY_MAX_LENGTH
from core.sanitize import clean_text, one_line
from core.submissions import token_field

MAX_CONDITIONS = 5


def summary_from(text: str) -> str:
    """A listing's summary made from the asker's own words: their first lines, cut at a word."""
    return one_line(clean_text(text), max_length=SUMMARY_MAX_LENGTH)


class QuestionForm(ContributionForm):
    """Title, details, conditions, topics, audience and byline.

    The listing's summary is the start of the details (``summary_from``).
    """

    BYLINE_CHOICES = [
        ("name", gettext_lazy("Ask under my display name")),
        (
            "anonymous",
            gettext_lazy(
                "Ask anonymously (nobody sees who asked; reviewers and the expert see a pseudonym)"
            ),
        ),
    ]

    summary = None  # made from the details (summary_from)
    conditions = forms.ModelMultipleChoiceField(
        queryset=Condition.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    byline = forms.ChoiceField(
        choices=BYLINE_CHOICES,
        widget=forms.RadioSelect,
        initial="name",
        label=gettext_lazy("Byline"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conditions"].help_text = _(
            "The conditions your question concerns (up to %(count)s)."
        ) % {"count": MAX_CONDITIONS}
        self.fields["title"].label = _("Your question")
        self.fields["title"].help_text = _("One sentence, e.g. “Can I exercise during a relapse?”")
        self.fields["body"].label = _("Details")
        self.fields["body"].help_text = _(
            "What the expert needs to know. Leave out names, phone numbers and anything "
            "that identifies you or others."
        )

    def clean_conditions(self):
        conditions = self.cleaned_data["conditions"]
        if len(conditions) > MAX_CONDITIONS:
            raise forms.ValidationError(
                _("Choose at most %(count)s conditions.") % {"count": MAX_CONDITIONS}
            )
        return conditions

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["summary"] = summary_from(self.data.get("body", "") if self.is_bound else "")
        return cleaned


class AnswerForm(forms.Form):
    """An expert's answer: the text only. Its title, audience and topics come from the question.

    ``standard_replies`` (a queryset of ``StandardReply``), given when an answer
    is started, offers them instead of writing: the posted ``standard_reply``
    then replaces the text. ``audiences`` is accepted and ignored, because
    authoring's edit view passes it to every kind's form (an answer's
    audience is always its question's).
    """

    submission = token_field()
    body = forms.CharField(
        label=gettext_lazy("Your answer"),
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14, "data-markdown-editor": ""}),
    )

    def __init__(self, *args, audiences=None, standard_replies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = "{} {}".format(
            _(
                "Answer in general terms; you cannot assess the asker here. A medical reviewer "
                "checks it before it is published."
            ),
            BODY_HELP,
        )
        if standard_replies is not None:
            self.fields["body"].required = False
            self.fields["standard_reply"] = forms.ModelChoiceField(
                queryset=standard_replies,
                required=False,
                widget=forms.RadioSelect,
                empty_label=None,
                label=_("Or answer with a standard reply"),
                error_messages={"invalid_choice": _("Choose one of the standard replies shown.")},
            )

    def clean_body(self):
        text = self.cleaned_data.get("body", "")
        if not text and not self.fields["body"].required:
            return []
        blocks = markdown_to_blocks(text)
        if not blocks:
            raise forms.ValidationError(_("Write something before saving."))
        return blocks

    def clean(self) -> dict:
        cleaned = super().clean()
        reply = cleaned.get("standard_reply")
        body = cleaned.get("body")
        if "standard_reply" in self.fields and "body" not in self.errors:
            if reply is not None and body:
                raise forms.ValidationError(
                    _("Either write your answer or choose a standard reply, not both.")
                )
            if reply is None and not body and "standard_reply" not in self.errors:
                self.add_error("body", _("Write your answer, or choose a standard reply."))
        # The listing's summary from the expert's own words (only once they passed the
        # length check: clean_text on an oversized post would be wasted work).
        text = self.data.get("body", "") if self.is_bound and "body" not in self.errors else ""
        cleaned["summary"] = summary_from(str(text))
        return cleaned
