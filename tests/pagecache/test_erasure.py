"""An erased member's name leaves the pages visitors had cached (several erasure steps write
with QuerySet.update(), which sends no signal)."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest

from compliance.services.erasure import erasure_perform, erasure_request_create
from core import roles
from tests.factories import BlogPageFactory, UserFactory
from tests.pagecache.conftest import cache_state

pytestmark = pytest.mark.django_db


def test_a_kept_items_cached_page_loses_its_erased_authors_name(blog_index, home):
    writer = UserFactory(group=roles.MEMBERS, display_name="Willow Writer")
    post = BlogPageFactory(parent=blog_index, author=writer, title="Walking again")
    for url in (post.url, home.url):
        Client().get(url)
        assert cache_state(Client().get(url)) == "hit"
    assert b"Willow Writer" in Client().get(post.url).content
    request = erasure_request_create(
        user=writer, published_items="keep", now=timezone.now() - timedelta(days=8)
    )

    erasure_perform(request=request)

    page = Client().get(post.url)
    assert page.status_code == 200
    assert cache_state(page) == "stored"
    assert b"Willow Writer" not in page.content
    assert b"Former member" in page.content
