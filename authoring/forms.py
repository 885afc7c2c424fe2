"""The forms members and experts write in: plain forms that each kind (authoring.kinds) maps."""

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from taggit.models import TagBase

from core.languages import content_languages
from core.models import Audience, Condition
from core.models.mixins import SUMMARY_MAX_LENGTH
from core.sanitize import clean_text
from core.submissions import token_field
from experience_stories.models import EARLIEST_DIAGNOSIS_YEAR

from .markup import MAX_BODY_LENGTH, markdown_to_blocks

if TYPE_CHECKING:
    from .selectors import AudienceChoices

TITLE_MAX_LENGTH = 120
MAX_TAGS = 8
TAG_MAX_LENGTH = 40
MAX_REFERENCES = 20
CITATION_MAX_LENGTH = 500

BODY_HELP = gettext_lazy(
    "Write in plain text. Leave an empty line between paragraphs. "
    "**bold**, *italic*, ## a heading, - a list item, 1. a numbered item, "
    "> a quote, [link text](https://example.org)."
)


# The errors of a list of names, per kind of name: whole sentences, for translators.
TAG_TOO_LONG = {
    "tag": gettext_lazy("Each tag can be at most %(limit)s characters long."),
    "treatment": gettext_lazy("Each treatment can be at most %(limit)s characters long."),
}


def _too_many(label: str, limit: int) -> str:
    """The error for more than ``limit`` names; ``label`` is "tag" or "treatment"."""
    if label == "treatment":
        text = ngettext(
            "Use at most %(limit)s treatment.", "Use at most %(limit)s treatments.", limit
        )
    else:
        text = ngettext("Use at most %(limit)s tag.", "Use at most %(limit)s tags.", limit)
    return text % {"limit": limit}


def parse_tag_list(raw: str | None, *, label: str) -> list[str]:
    """Comma-separated names, normalised: trimmed, lower-case, single spaces, no duplicates.

    ``label`` is "tag" or "treatment": which names the errors speak of.

    Lower-casing here avoids django-taggit's "Test" after "test" collision.
    """
    names = []
    for part in (raw or "").split(","):
        name = re.sub(r"\s+", " ", clean_text(part)).lower()
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise forms.ValidationError(TAG_TOO_LONG[label] % {"limit": TAG_MAX_LENGTH})
        if name not in names:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise forms.ValidationError(_too_many(label, MAX_TAGS))
    return names


def join_tags(tags: Iterable[TagBase]) -> str:
    """The tag field's text for ``tags``: the other way from ``parse_tag_list``."""
    return ", ".join(tag.name for tag in tags)


# The audience radio's values: "everyone", "members", or "community-<id>".
COMMUNITY_PREFIX = "community-"
AUDIENCE_HELP = gettext_lazy(
    "Everyone: anyone on the web can read it, and search engines may list it. "
    "Members of Kindred: only people signed in to Kindred. "
    "A community: only its members; others see the title and that it belongs to the community."
)
AUDIENCE_LABELS = {
    Audience.EVERYONE: gettext_lazy("Everyone (public, also found by search engines)"),
    Audience.MEMBERS: gettext_lazy("Members of Kindred (signed-in members only)"),
}
CHOOSE_LISTED = gettext_lazy("Choose one of the audiences listed.")


def audience_value(audience: str, community_id: int | None) -> str:
    """The radio value for an audience (``community-<id>`` for a community)."""
    return f"{COMMUNITY_PREFIX}{community_id}" if audience == Audience.COMMUNITY else audience


SHARING_HELP = gettext_lazy(
    "Readers may then post a link to it on networks such as Facebook, X or Mastodon, "
    "as far as Kindred's sharing policy allows, and only while everyone may read it. "
    "The link's preview shows the title and summary, never your name. "
    "Turning this off applies at once."
)


class AudienceForm(forms.Form):
    """Who can read the item: everyone, members of Kindred, or one of the writer's communities.

    ``audiences`` (``authoring.selectors.AudienceChoices``) says which
    communities the writer may address; without it only everyone and members
    are offered. Anything else posted (someone else's community, an unlisted
    one, a made-up id) gets the same form error, as a missing one would; a
    community of the writer's whose rules changed since they accepted says so.
    Cleaned: ``audience`` (an ``Audience``) and ``community`` (or None).
    """

    audience = forms.CharField(
        label=gettext_lazy("Who can read it"),
        max_length=40,
        widget=forms.RadioSelect,
        help_text=AUDIENCE_HELP,
        error_messages={"required": gettext_lazy("Choose who can read it.")},
    )

    def __init__(self, *args, audiences: "AudienceChoices | None" = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Asked last, after the text it applies to (and after a story's byline).
        self.fields["audience"] = self.fields.pop("audience")
        self.audiences = audiences
        communities = list(audiences.communities) if audiences else []
        current = audiences.current if audiences else None
        if current is not None and current not in communities:
            communities.append(current)
        self.fields["audience"].widget.choices = [
            *AUDIENCE_LABELS.items(),
            *(
                (
                    audience_value(Audience.COMMUNITY, c.pk),
                    _("Members of %(community)s only") % {"community": c.title},
                )
                for c in communities
            ),
        ]
        self.rules_pending = list(audiences.rules_pending) if audiences else []

    def clean_audience(self) -> str:
        value = self.cleaned_data["audience"]
        self._community = None
        if value in (Audience.EVERYONE, Audience.MEMBERS):
            return value
        raw_id = value.removeprefix(COMMUNITY_PREFIX)
        if not value.startswith(COMMUNITY_PREFIX) or not raw_id.isascii() or not raw_id.isdigit():
            raise forms.ValidationError(CHOOSE_LISTED)
        pk = int(raw_id)
        community = self.audiences.community(pk) if self.audiences else None
        if community is None:
            pending = self.audiences.pending(pk) if self.audiences else None
            if pending is not None:
                raise forms.ValidationError(
                    _(
                        "The rules of “%(community)s” have changed since you accepted them. "
                        "Accept the new rules on the community's page before writing there."
                    )
                    % {"community": pending.title}
                )
            raise forms.ValidationError(CHOOSE_LISTED)
        self._community = community
        return Audience.COMMUNITY

    def clean(self) -> dict:
        cleaned = super().clean()
        if "audience" in cleaned:
            cleaned["community"] = getattr(self, "_community", None)
        return cleaned


class ContributionForm(AudienceForm):
    # A double click must not create two items (core.submissions).
    submission = token_field()
    title = forms.CharField(label=gettext_lazy("Title"), max_length=TITLE_MAX_LENGTH)
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        max_length=SUMMARY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One or two sentences shown in listings."),
    )
    body = forms.CharField(
        label=gettext_lazy("Body"),
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 18, "data-markdown-editor": ""}),
        help_text=BODY_HELP,
    )
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        max_length=MAX_TAGS * (TAG_MAX_LENGTH + 2),
        help_text=format_lazy(
            gettext_lazy("Topics, separated by commas (up to {limit}), e.g. fatigue, work."),
            limit=MAX_TAGS,
        ),
    )

    # The item's language (issue 18; Wagtail's locale, core.languages): readers
    # filter by it and search stems it in it. Left out of a submission (an older
    # form, a script), an item keeps its own and a new one takes the writer's.
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=[],
        required=False,
        help_text=gettext_lazy("The language you are writing in."),
    )

    # The author's consent to sharing (core.models.SharingChoiceMixin); what is
    # offered first depends on the kind (Kind.share_default).
    may_be_shared = forms.BooleanField(
        required=False,
        label=gettext_lazy("May be shared outside Kindred"),
        help_text=SHARING_HELP,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = list(content_languages().items())

    def _clean_line(self, name):
        value = clean_text(self.cleaned_data.get(name, "")).replace("\n", " ")
        if not value:
            raise forms.ValidationError(_("This field is required."))
        return value

    def clean_title(self):
        return self._clean_line("title")

    def clean_summary(self):
        return self._clean_line("summary")

    def clean_body(self):
        blocks = markdown_to_blocks(self.cleaned_data.get("body", ""))
        if not blocks:
            raise forms.ValidationError(_("Write something before saving."))
        return blocks

    def clean_tags(self):
        return parse_tag_list(self.cleaned_data.get("tags"), label="tag")


class StoryForm(ContributionForm):
    BYLINE_CHOICES = [
        ("name", gettext_lazy("Publish under my display name")),
        (
            "anonymous",
            gettext_lazy("Publish anonymously (your name is never shown with this story)"),
        ),
    ]

    condition = forms.ModelChoiceField(
        label=gettext_lazy("Condition"),
        queryset=Condition.objects.all(),
        required=False,
        empty_label=gettext_lazy("Not stated"),
    )
    treatments = forms.CharField(
        label=gettext_lazy("Treatments"),
        required=False,
        max_length=MAX_TAGS * (TAG_MAX_LENGTH + 2),
        help_text=gettext_lazy("Treatments the story mentions, separated by commas."),
    )
    year_of_diagnosis = forms.IntegerField(
        label=gettext_lazy("Year of diagnosis"),
        required=False,
        min_value=EARLIEST_DIAGNOSIS_YEAR,
        help_text=gettext_lazy("Optional."),
    )
    byline = forms.ChoiceField(
        choices=BYLINE_CHOICES,
        widget=forms.RadioSelect,
        initial="name",
        label=gettext_lazy("Byline"),
    )

    def clean_treatments(self):
        return parse_tag_list(self.cleaned_data.get("treatments"), label="treatment")

    def clean_year_of_diagnosis(self):
        year = self.cleaned_data.get("year_of_diagnosis")
        if year is not None and year > timezone.now().year:
            raise forms.ValidationError(_("The year of diagnosis cannot be in the future."))
        return year


class ArticleForm(ContributionForm):
    credentials = forms.CharField(
        label=gettext_lazy("Credentials"),
        max_length=200,
        help_text=gettext_lazy(
            'How readers should know you, e.g. "Consultant neurologist, MS clinic".'
        ),
    )
    references = forms.CharField(
        label=gettext_lazy("References"),
        required=False,
        max_length=MAX_REFERENCES * (CITATION_MAX_LENGTH + 200),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "One per line: the citation, then optionally | and a link starting https://."
        ),
    )

    def clean_credentials(self):
        return self._clean_line("credentials")

    def clean_references(self):
        references = []
        check_url = URLValidator(schemes=["http", "https"])
        for line in (self.cleaned_data.get("references") or "").splitlines():
            citation, _bar, url = (part.strip() for part in clean_text(line).partition("|"))
            if not citation:
                continue
            if len(citation) > CITATION_MAX_LENGTH:
                raise forms.ValidationError(
                    _("Each citation can be at most %(limit)s characters long.")
                    % {"limit": CITATION_MAX_LENGTH}
                )
            if url:
                try:
                    check_url(url)
                except forms.ValidationError as error:
                    raise forms.ValidationError(
                        _("“%(url)s” is not a web address.") % {"url": url}
                    ) from error
            references.append({"citation": citation, "url": url})
        if len(references) > MAX_REFERENCES:
            raise forms.ValidationError(
                ngettext(
                    "Use at most %(limit)s reference.",
                    "Use at most %(limit)s references.",
                    MAX_REFERENCES,
                )
                % {"limit": MAX_REFERENCES}
            )
        return references
