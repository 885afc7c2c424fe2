from django.utils.text import slugify

from wagtail.rich_text import RichText

import factory

from blogs.models import BlogPage, ExpertArticlePage
from experience_stories.models import ExperienceStoryPage

from .users import UserFactory


def letters(number: int) -> str:
    """``number`` in letters, as spreadsheets name columns: 0 -> "a", 25 -> "z", 26 -> "aa"."""
    word = ""
    number += 1
    while number:
        number, remainder = divmod(number - 1, 26)
        word = chr(ord("a") + remainder) + word
    return word


class ContentPageFactory(factory.django.DjangoModelFactory):
    """Creates a content page under ``parent`` (a section page, required).

    ``publish=True`` (the default) publishes it directly, as a superuser
    could; ``publish=False`` leaves an unpublished draft with one revision.
    ``tags=[...]`` sets its tags.
    """

    class Meta:
        abstract = True

    # Numbered in letters ("part a", "part ab"): a test's place in the run decides the
    # number, and some numbers look like a phone number to the personal-data hints
    # (safety.detection), so a test of those hints failed when pytest-xdist ran it later.
    title = factory.Sequence(lambda n: f"Living well with MS, part {letters(n)}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    summary = "What helped, what did not, and what I would tell myself a year ago."
    author = factory.SubFactory(UserFactory)
    owner = factory.SelfAttribute("author")
    body = factory.LazyFunction(
        lambda: [("paragraph", RichText("<p>Some days are harder than others.</p>"))]
    )

    @classmethod
    def _create(cls, model_class, *args, parent, publish=True, tags=(), **kwargs):
        page = model_class(*args, live=False, **kwargs)
        if tags:
            page.tags.add(*tags)
        parent.add_child(instance=page)
        revision = page.save_revision(user=page.author)
        if publish:
            revision.publish()
            page.refresh_from_db()
        return page


class BlogPageFactory(ContentPageFactory):
    class Meta:
        model = BlogPage


class ExpertArticlePageFactory(ContentPageFactory):
    credentials = "Consultant neurologist"

    class Meta:
        model = ExpertArticlePage


class ExperienceStoryPageFactory(ContentPageFactory):
    class Meta:
        model = ExperienceStoryPage
