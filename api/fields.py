"""What the public read API shows of each page type: an allow-list, never a model's fields.

Wagtail's API serialises whatever a model lists in ``api_fields``; Kindred's
models list nothing, and this module decides instead, per type, so that no
field reaches the API because someone added it to a model. Every value is what
a visitor already sees on the page itself:

- every page: ``id``, ``title``, ``language`` (the content language the page
  is written in, its locale's code: "en-gb", "de"; issue 18); meta ``type``,
  ``detail_url``, ``html_url``, ``slug``, ``first_published_at``, ``locale``
  (Wagtail's name for the same code), and ``parent`` on a detail (only when
  the parent is itself readable);
- home, section indexes, information pages: ``intro`` (rich text as HTML);
  an information page also its ``body`` (detail only);
- items (blog posts, expert articles, experience stories, questions,
  answers): ``summary``, ``body`` (detail only, rendered as on the page),
  ``tags``, ``byline``, ``rating``, ``last_published_at``,
  ``medically_reviewed_at``; expert articles ``credentials``; stories
  ``condition`` and ``year_of_diagnosis``.

Never: the author's account (no user id, email, username), ``owner``,
revisions, workflow or review comments, the audience or community, the
question's pseudonym, sharing consent. ``byline`` names the author only where
their profile is public (``social.selectors.profiles.author_profile`` for a
visitor): an anonymous item, a member-only or private profile, a deactivated
account all give ``null``.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist

from wagtail.api import APIField
from wagtail.rich_text import expand_db_html

from rest_framework.fields import Field

from blogs.models import BlogIndexPage, BlogPage, ExpertArticleIndexPage, ExpertArticlePage
from core.languages import language_of
from core.models import ContentPage, HomePage, InformationPage
from experience_stories.models import ExperienceStoryPage, StoryIndexPage
from questions.models import AnswerPage, QuestionIndexPage, QuestionPage
from social.selectors.profiles import author_profile

# The API answers as a visitor, whoever asks.
VISITOR = AnonymousUser()


class WholeObjectField(Field):
    """A read-only field computed from the whole instance (``source="*"``)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)


class LanguageField(WholeObjectField):
    """The content language the page is written in: its locale's code ("en-gb", "de").

    The same code as Wagtail's ``meta.locale``, but shown by default in every
    listing and detail: a reader needs it to mark the text up (``lang``) and
    to pick what to show. From the locale the queryset joined
    (``select_related("locale")``): no query per page.
    """

    def to_representation(self, page):
        return language_of(page)


class BylineField(WholeObjectField):
    """``{"name", "profile_url"}`` where the author's profile is public to visitors, else null.

    Reads the author and profile the listing's ``select_related`` loaded (no
    query per item).
    """

    def to_representation(self, page):
        profile = author_profile(viewer=VISITOR, item=page)
        if profile is None:
            return None
        return {"name": profile.user.public_name, "profile_url": profile.get_absolute_url()}


class RatingField(WholeObjectField):
    """The stars shown on the page: the mean to one place (null before the first) and the count.

    From the rating summary the queryset joined (``select_related("rating_summary")``).
    """

    def to_representation(self, page):
        try:
            summary = page.rating_summary
        except ObjectDoesNotExist:
            summary = None
        if summary is None or not summary.count:
            return {"average": None, "count": 0}
        return {"average": float(summary.average), "count": summary.count}


class TagNamesField(WholeObjectField):
    """The item's tag names, sorted: from the listing's ``prefetch_related("tags")``."""

    def to_representation(self, page):
        return sorted(tag.name for tag in page.tags.all())


class ConditionField(WholeObjectField):
    """A story's condition by name (``select_related("condition")``), or null."""

    def to_representation(self, page):
        return page.condition.name if page.condition_id else None


class RichTextHTMLField(Field):
    """A rich text field as the page shows it: links and embeds expanded to HTML."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return expand_db_html(value or "")


class RenderedStreamField(Field):
    """A StreamField rendered with the site's own block templates (as on the page).

    Member-written rich text was sanitised to an allow-list when it was
    submitted (``core.sanitize``); the templates escape every plain value.
    """

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return str(value)


# What every page shows beyond ``id`` and ``title``, whatever its type (a
# listing of several types serialises them as plain pages).
PAGE_FIELDS = [APIField("language", serializer=LanguageField())]


def _text(name):
    return APIField(name)


ITEM_FIELDS = [
    _text("summary"),
    APIField("body", serializer=RenderedStreamField()),
    APIField("tags", serializer=TagNamesField()),
    APIField("byline", serializer=BylineField()),
    APIField("rating", serializer=RatingField()),
    _text("last_published_at"),
    _text("medically_reviewed_at"),
]
INTRO_FIELDS = [APIField("intro", serializer=RichTextHTMLField())]

# Each exposed page type and its fields (beyond ``id`` and ``title``). A type
# not here is never listed, found or shown, whatever ``readable_content`` says
# of it (communities and their directory are left out: their pages show
# members and counts that belong to the communities app's own rules).
EXPOSED_FIELDS: dict[type, list[APIField]] = {
    HomePage: INTRO_FIELDS,
    BlogIndexPage: INTRO_FIELDS,
    ExpertArticleIndexPage: INTRO_FIELDS,
    StoryIndexPage: INTRO_FIELDS,
    QuestionIndexPage: INTRO_FIELDS,
    InformationPage: [
        *INTRO_FIELDS,
        APIField("body", serializer=RenderedStreamField()),
    ],
    BlogPage: ITEM_FIELDS,
    ExpertArticlePage: [*ITEM_FIELDS, _text("credentials")],
    ExperienceStoryPage: [
        *ITEM_FIELDS,
        APIField("condition", serializer=ConditionField()),
        _text("year_of_diagnosis"),
    ],
    QuestionPage: ITEM_FIELDS,
    AnswerPage: ITEM_FIELDS,
}
EXPOSED_TYPES = tuple(EXPOSED_FIELDS)

# Rendered only on a detail: a body renders blocks (images, links), which a
# listing of twenty must not do twenty times.
DETAIL_ONLY_FIELDS = ["parent", "body"]

# What ``?<field>=`` may filter on and ``?order=`` may order by: plain,
# indexed-or-small columns every exposed type has. Anything else is a 400
# (Wagtail's "not an operation or a recognised field"), never a lookup on a
# column this module did not choose (an ``?author=`` filter would tell who
# wrote an anonymous item).
FILTER_FIELDS = frozenset(["id", "title", "slug", "first_published_at"])


def exposed_fields(model) -> list[APIField]:
    """The fields ``model`` shows beyond ``id`` and ``title`` (none for a type not exposed)."""
    for exposed, fields in EXPOSED_FIELDS.items():
        if model is exposed:
            return fields
    return []


def is_item_model(model) -> bool:
    """Whether ``model`` is a member's or expert's item (a ``ContentPage`` type)."""
    return issubclass(model, ContentPage)
