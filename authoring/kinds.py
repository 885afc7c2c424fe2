"""What a person may write on the site, and where each kind lives."""

from dataclasses import dataclass

from blogs.models import BlogIndexPage, BlogPage, ExpertArticleIndexPage, ExpertArticlePage
from core import roles
from experience_stories.models import ExperienceStoryPage, StoryIndexPage


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type
    index_model: type
    label: str
    description: str
    experts_only: bool = False

    def section(self):
        """The published index page new items of this kind go under."""
        return self.index_model.objects.live().first()


KINDS = {
    kind.slug: kind
    for kind in (
        Kind(
            "story",
            ExperienceStoryPage,
            StoryIndexPage,
            "Experience story",
            "What happened to you, in your own words. You can share it anonymously.",
        ),
        Kind("blog", BlogPage, BlogIndexPage, "Blog post", "Thoughts, tips and everyday life."),
        Kind(
            "article",
            ExpertArticlePage,
            ExpertArticleIndexPage,
            "Expert article",
            "For verified clinicians: explain a topic, with references.",
            experts_only=True,
        ),
    )
}


def is_expert(user):
    return user.groups.filter(name=roles.EXPERTS).exists()


def kinds_for(user):
    """The kinds ``user`` may write: experts also write expert articles."""
    expert = is_expert(user)
    return [kind for kind in KINDS.values() if expert or not kind.experts_only]


def kind_of(page):
    """The kind of an existing content page."""
    for kind in KINDS.values():
        if isinstance(page, kind.model):
            return kind
    raise LookupError(f"{type(page).__name__} is not written on the site")
