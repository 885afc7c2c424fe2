"""The erasure's proof on the real engine: no document holds the member's canary afterwards.

``search_backend`` (tests/engine/conftest.py) switches the test to the engine
SEARCH_URL names, in indices of its own; it skips locally without an engine
and fails in CI. Every document of those indices is read back (match_all,
with its source) before the erasure, where the canary must be found, and
after it, where it must not: removed items are unindexed, a kept one is
indexed again as it now reads. The database side is proved by
tests/compliance/test_erasure_canary.py.
"""

import json

from django.utils import timezone

from wagtail.search.backends import get_search_backend

import pytest

from compliance.services.erasure import erasure_perform, erasure_request_create
from core import roles
from core.models import ContentPage
from tests.factories import BlogPageFactory, ExperienceStoryPageFactory, UserFactory

pytestmark = pytest.mark.django_db

CANARY = "qzcanary7f3k"


def engine_documents() -> str:
    """Every document in the test's indices, as one lower-case JSON text."""
    backend = get_search_backend()
    backend.get_index_for_model(ContentPage).refresh()
    found = backend.es.search(
        index=f"{backend.index_prefix}*", body={"query": {"match_all": {}}, "size": 10_000}
    )
    hits = found["hits"]["hits"] if isinstance(found, dict) else found.body["hits"]["hits"]
    return json.dumps(hits).lower()


@pytest.mark.parametrize("choice", ["remove", "keep"])
def test_no_engine_document_holds_the_canary_after_the_erasure(
    search_backend, blog_index, story_index, choice
):
    member = UserFactory(group=roles.MEMBERS, display_name=f"{CANARY.title()} Rivers")
    BlogPageFactory(
        parent=blog_index,
        author=member,
        title=f"Removed whatever is chosen {CANARY}",
        publish=False,
    )
    published = BlogPageFactory(
        parent=blog_index, author=member, title=f"Published {CANARY}", tags=[CANARY]
    )
    ExperienceStoryPageFactory(parent=story_index, author=member, title=f"Story {CANARY}")
    search_backend.sync()
    assert CANARY in engine_documents()
    assert list(ContentPage.objects.live().search(CANARY))

    past = timezone.now() - timezone.timedelta(days=8)
    request = erasure_request_create(user=member, published_items=choice, now=past)
    if choice == "keep":
        # Kept items stay as readers see them: for the proof, the live text names no one.
        for page in ContentPage.objects.filter(author=member, live=True):
            page = page.specific
            page.title = "A year of walking"
            page.draft_title = page.title
            page.tags.clear()
            page.save_revision(user=member).publish()
    erasure_perform(request=request)
    search_backend.sync()

    assert CANARY not in engine_documents()
    assert not list(ContentPage.objects.search(CANARY))
    if choice == "keep":
        assert list(ContentPage.objects.live().search("walking"))
        assert ContentPage.objects.get(pk=published.pk).author_id is None
