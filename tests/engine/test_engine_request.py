"""What search.hits asks the engine for: the ranked ids, read the cheapest way.

The request goes to the real engine; the test only looks at what was sent
and what came back.
"""

import pytest

from search.hits import _default_backend, matching_ids
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def test_hit_ids_come_from_doc_values_not_stored_fields(search_backend, blog_index, monkeypatch):
    pages = [
        BlogPageFactory(parent=blog_index, title=f"Lantern walk {number}") for number in range(3)
    ]
    search_backend.sync()
    client = _default_backend().es
    sent, answers = [], []
    search = client.search

    def recording_search(**request):
        sent.append(request)
        answers.append(search(**request))
        return answers[-1]

    monkeypatch.setattr(client, "search", recording_search)

    assert sorted(matching_ids("lantern")) == sorted(page.pk for page in pages)
    (request,) = sent
    # Stored fields sit compressed in blocks beside each page's whole source:
    # none are read, the id comes from its doc values column.
    assert request["stored_fields"] == "_none_"
    assert request["docvalue_fields"] == ["pk"]
    assert request["_source"] is False
    assert all(set(hit["fields"]) == {"pk"} for hit in answers[0]["hits"]["hits"])
