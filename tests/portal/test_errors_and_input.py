"""Custom error pages, and hostile query strings that must never cause a 500."""

from django.test import RequestFactory
from django.views.defaults import server_error

import pytest

from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'


def test_custom_404_page(client, portal):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "We could not find that page" in html
    assert "Blogs" in html, "the 404 keeps the site navigation"


def test_custom_500_page():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "Traceback" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "9" * 40},
        {"page": ["1", "2"]},
        {"tag": XSS},
        {"tag": "a" * 10_000},
        {"tag": "\x00\u202e\ufeff"},
        {"tag": "fatigue", "page": "1e9"},
    ],
)
def test_index_survives_hostile_query_strings(client, blog_index, params):
    BlogPageFactory(parent=blog_index, tags=["fatigue"])

    response = client.get("/blogs/", params)

    assert response.status_code == 200
    assert XSS not in response.content.decode()


@pytest.mark.parametrize("slug", ["a" * 5000, "-", "x--y"])
def test_tag_listing_answers_odd_slugs_with_404(client, portal, slug):
    assert client.get(f"/tags/{slug}/").status_code == 404


def test_tag_listing_rejects_non_slug_paths(client, portal):
    assert client.get("/tags/%3Cscript%3E/").status_code == 404
