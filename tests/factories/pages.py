from django.utils.text import slugify

from wagtail.rich_text import RichText

import factory

from blogs.models import BlogPage, ExpertArticlePage
from experience_stories.models import ExperienceStoryPage

from .users import UserFactory


class ContentPageFactory(factory.django.DjangoModelFactory):
    """Creates a content page under ``parent`` (a section page, required).

    ``publish=True`` (the default) publishes it directly, as a superuser
    could; ``publish=False`` leaves an unpublished draft with one revision.
    ``tags=[...]`` sets its tags.
    """

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Living well with MS, part {n}")
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
