"""What a person may write on the site, where each kind lives, and how its form maps onto its page.

Each kind carries its own mapping both ways: ``apply`` puts a cleaned form
onto a page (form to page) and ``initial`` reads a page back into form values
for editing (page to form). The services and views ask the kind and never
look at which kind it is, so a new kind is one entry in ``KINDS``. An app
above authoring adds its own kinds through the ``WRITING_KINDS`` hook
(questions: a question and an answer), since authoring may not import it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from modelcluster.contrib.taggit import _ClusterTaggableManager
from wagtail import hooks
from wagtail.models import Locale

from accounts.models import User
from blogs.models import BlogIndexPage, BlogPage, ExpertArticleIndexPage, ExpertArticlePage
from core import roles
from core.languages import language_of, writer_language
from core.models import Audience, CommunityPage, ContentPage, SectionIndexPage
from experience_stories.models import ExperienceStoryPage, StoryIndexPage

from .forms import ArticleForm, ContributionForm, StoryForm, audience_value, join_tags
from .markup import blocks_to_markdown


def _tag_text(tags: _ClusterTaggableManager) -> str:
    """The tag field's text for one of a page's tag managers, in one query.

    On a revision object the tags are held in memory as rows that name each tag
    by id; reading ``tags.all()`` would fetch the tags one query at a time.
    """
    tagged = list(tags.get_tagged_item_manager().all())
    prefetch_related_objects(tagged, "tag")
    return join_tags(item.tag for item in tagged)


@dataclass(frozen=True)
class Kind:
    """A kind of item written on the site: a blog post, with the fields every kind shares.

    Subclasses add the mapping of their own fields to ``apply`` and ``initial``.
    """

    slug: str
    model: type[ContentPage]
    index_model: type[SectionIndexPage]
    form_class: type[ContributionForm]
    label: str | Promise
    description: str | Promise
    experts_only: bool = False
    # Who reads a new item unless the writer chooses otherwise. Stories are
    # the most personal, so they start with the members of Kindred.
    default_audience: str = Audience.EVERYONE
    # Whether /write/ offers it; an answer is started from its question instead.
    offered: bool = True
    # Whether "may be shared outside Kindred" starts ticked (sharing.policy:
    # the author's consent). Members' own writing starts unshared; experts
    # write articles to be read widely.
    share_default: bool = False
    # Said under the form: which review the item goes through.
    review_note: str | Promise = gettext_lazy(
        "Nothing is published until an editor and a medical reviewer have approved it."
    )
    # The heading of the form for a new one ("New blog post"): a whole phrase, since
    # languages differ in how "new" goes with each kind. Without it, "New <label>".
    new_title: str | Promise = ""

    def section(self) -> SectionIndexPage | None:
        """The published index page new items of this kind go under."""
        return self.index_model.objects.live().first()

    def apply(self, page: ContentPage, data: Mapping[str, Any]) -> None:
        """Put ``data`` (the kind's cleaned form) onto ``page``: a new page or its newest version.

        Only the form's own fields are applied, so crafted POST data has
        nowhere to go. Body blocks the plain-text editor cannot show (added by
        an editor in the admin) are kept after the writer's text.
        """
        page.title = data["title"]
        page.summary = data["summary"]
        _text, kept = blocks_to_markdown(page.body) if page.pk else ("", [])
        page.body = [*data["body"], *kept]
        page.tags.set(data["tags"])
        # Services called without an audience (older callers, the demo seed)
        # leave the page's own.
        if "audience" in data:
            page.audience = data["audience"]
            page.community = data.get("community")
        if data.get("language"):
            page.locale = Locale.objects.get(language_code=data["language"])
        elif not page.pk:
            # Services called without it (the demo seed): the writer's interface language.
            page.locale = Locale.objects.get(language_code=writer_language())
        if "may_be_shared" in data:
            page.may_be_shared = data["may_be_shared"]
        elif not page.pk:
            # Services called without it (the demo seed) give a new item the kind's default.
            page.may_be_shared = self.share_default

    def initial(self, page: ContentPage) -> dict[str, Any]:
        """The form values for editing ``page`` (its newest version, a revision object)."""
        body, _kept = blocks_to_markdown(page.body)
        return {
            "title": page.title,
            "summary": page.summary,
            "body": body,
            "tags": _tag_text(page.tags),
            "audience": audience_value(page.audience, page.community_id),
            "may_be_shared": page.may_be_shared,
            "language": language_of(page),
        }

    def new_initial(self, community: CommunityPage | None = None) -> dict[str, Any]:
        """The form values for a new item: the kind's audience, or ``community``'s."""
        # Offered first: the language the writer reads the site in.
        language = writer_language()
        if community is not None:
            return {
                "audience": audience_value(Audience.COMMUNITY, community.pk),
                "may_be_shared": self.share_default,
                "language": language,
            }
        return {
            "audience": self.default_audience,
            "may_be_shared": self.share_default,
            "language": language,
        }


class StoryKind(Kind):
    """An experience story: condition, treatments, year of diagnosis, and a byline or none."""

    def apply(self, page: ExperienceStoryPage, data: Mapping[str, Any]) -> None:
        super().apply(page, data)
        page.condition = data["condition"]
        page.treatments.set(data["treatments"])
        page.year_of_diagnosis = data["year_of_diagnosis"]
        page.is_anonymous = data["byline"] == "anonymous"

    def initial(self, page: ExperienceStoryPage) -> dict[str, Any]:
        return {
            **super().initial(page),
            "condition": page.condition_id,
            "treatments": _tag_text(page.treatments),
            "year_of_diagnosis": page.year_of_diagnosis,
            "byline": "anonymous" if page.is_anonymous else "name",
        }


class ArticleKind(Kind):
    """An expert article: the author's credentials and a list of references."""

    def apply(self, page: ExpertArticlePage, data: Mapping[str, Any]) -> None:
        super().apply(page, data)
        page.credentials = data["credentials"]
        page.references = [("reference", reference) for reference in data["references"]]

    def initial(self, page: ExpertArticlePage) -> dict[str, Any]:
        return {
            **super().initial(page),
            "credentials": page.credentials,
            # One reference a line, as the form takes them: "citation | link".
            "references": "\n".join(
                " | ".join(filter(None, [block.value["citation"], block.value["url"]]))
                for block in page.references
            ),
        }


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in (
        StoryKind(
            "story",
            ExperienceStoryPage,
            StoryIndexPage,
            StoryForm,
            gettext_lazy("Experience story"),
            gettext_lazy("What happened to you, in your own words. You can share it anonymously."),
            default_audience=Audience.MEMBERS,
            new_title=gettext_lazy("New experience story"),
        ),
        Kind(
            "blog",
            BlogPage,
            BlogIndexPage,
            ContributionForm,
            gettext_lazy("Blog post"),
            gettext_lazy("Thoughts, tips and everyday life."),
            new_title=gettext_lazy("New blog post"),
        ),
        ArticleKind(
            "article",
            ExpertArticlePage,
            ExpertArticleIndexPage,
            ArticleForm,
            gettext_lazy("Expert article"),
            gettext_lazy("For verified clinicians: explain a topic, with references."),
            experts_only=True,
            new_title=gettext_lazy("New expert article"),
            share_default=True,
        ),
    )
}


# ``fn() -> [Kind]``: kinds of items that apps above authoring define.
WRITING_KINDS = "kindred_writing_kinds"


def all_kinds() -> dict[str, Kind]:
    """Every kind by slug: authoring's own and those registered under ``WRITING_KINDS``."""
    registered = {kind.slug: kind for fn in hooks.get_hooks(WRITING_KINDS) for kind in fn()}
    return {**KINDS, **registered}


def is_expert(user: User) -> bool:
    """Whether ``user`` is a verified clinician (in the experts group)."""
    return user.groups.filter(name=roles.EXPERTS).exists()


def kinds_for(user: User) -> list[Kind]:
    """The kinds ``user`` may start at /write/: experts also write expert articles."""
    expert = is_expert(user)
    return [
        kind for kind in all_kinds().values() if kind.offered and (expert or not kind.experts_only)
    ]


def kind_of(page: ContentPage) -> Kind:
    """The kind of an existing content page."""
    for kind in all_kinds().values():
        if isinstance(page, kind.model):
            return kind
    raise LookupError(f"{type(page).__name__} is not written on the site")
