"""The audience rule in search on the real engine (tests/communities/test_canaries_search.py).

The same canary functions run here with ``search_backend`` switched to the
engine by tests/engine/conftest.py. Two more things only an engine can show:
the engine itself filters on the indexed audience and community (phase 1
never returns what the reader may not read), and the database's final check
still holds when the index is stale.
"""

from wagtail.search.backends import get_search_backend

import pytest

from core.models import Audience, ContentPage
from search.hits import matching_ids
from search.params import search_params
from search.selectors import search_content
from tests.communities.conftest import READS, SHARED, world  # noqa: F401
from tests.communities.test_canaries_search import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_the_engine_indexes_audience_and_community(search_backend, world):  # noqa: F811
    search_backend.sync()
    backend = get_search_backend()
    index = backend.get_index_for_model(ContentPage)
    mapping = index.es.indices.get_mapping(index=index.name)
    properties = next(iter(mapping.values()))["mappings"]["properties"]
    names = " ".join(properties)
    assert "audience_filter" in names
    assert "community_id_filter" in names


def test_a_stale_index_is_overruled_by_the_database(search_backend, world):  # noqa: F811
    """The index still says "everyone" for an item narrowed since: the database drops it."""
    search_backend.sync()
    public = world.items["public"]
    # Narrowed in the database without telling the engine (as if its update were lost).
    ContentPage.objects.filter(pk=public.pk).update(audience=Audience.MEMBERS)
    visitor = world.user("visitor")
    assert public.pk in matching_ids(SHARED, user=visitor)
    results = search_content(user=visitor, params=search_params({"q": SHARED}))
    assert results.total == len(READS["visitor"]) - 1
    assert public.pk not in {item.pk for item in results.items.object_list}
