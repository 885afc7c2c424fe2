"""Bulk writes send no model signal; the code that makes them invalidates visitors' pages."""

from django.test import Client

from taggit.models import Tag

import pytest

from core import roles
from portal.demo import bulk
from tests.factories import UserFactory
from tests.pagecache.conftest import cache_state

pytestmark = pytest.mark.django_db


def test_seed_demos_bulk_items_appear_on_the_visitors_listings(member, expert, sections, home):
    accounts = {"member1": member, "member2": UserFactory(group=roles.MEMBERS), "expert": expert}
    blogs = sections[roles.BLOGS]
    items = list(bulk.synthetic_item_specs(count=3, accounts=accounts, sections=sections))
    # Their tags exist already: creating one is a model save, which would invalidate by
    # itself; what is left are the bulk inserts, which send no signal at all.
    for name in {name for item in items for name in item.tags}:
        Tag.objects.get_or_create(name=name)
    for url in (home.url, blogs.url):
        Client().get(url)
        assert cache_state(Client().get(url)) == "hit"

    bulk.synthetic_items_bulk_create(items=items)

    titles = [item.title for item in items]
    home_page = Client().get(home.url)
    assert cache_state(home_page) == "stored"
    assert any(title.encode() in home_page.content for title in titles)
