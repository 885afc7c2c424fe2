"""Bulk writes send no model signal; the code that makes them invalidates visitors' pages."""

from django.test import Client

import pytest

from core import roles
from portal.demo import bulk
from tests.factories import UserFactory
from tests.pagecache.conftest import cache_state

pytestmark = pytest.mark.django_db


def test_seed_demos_bulk_items_appear_on_the_visitors_listings(member, expert, sections, home):
    accounts = {"member1": member, "member2": UserFactory(group=roles.MEMBERS), "expert": expert}
    blogs = sections[roles.BLOGS]
    for url in (home.url, blogs.url):
        Client().get(url)
        assert cache_state(Client().get(url)) == "hit"
    items = list(bulk.synthetic_item_specs(count=3, accounts=accounts, sections=sections))

    bulk.synthetic_items_bulk_create(items=items)

    titles = [item.title for item in items]
    home_page = Client().get(home.url)
    assert cache_state(home_page) == "stored"
    assert any(title.encode() in home_page.content for title in titles)
