"""The search box in the markup: one per page, an ARIA combobox that works without script."""

from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def search_boxes(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup, soup.select('[role="search"]'), soup.select('input[name="q"]')


def assert_combobox(soup, box):
    # aria-expanded is allowed on role=combobox only (axe: aria-allowed-attr).
    assert box["role"] == "combobox"
    assert box["aria-expanded"] == "false"
    assert box["aria-autocomplete"] == "list"
    listbox = soup.find(id=box["aria-controls"])
    assert listbox["role"] == "listbox" and listbox.has_attr("hidden")
    # A plain GET form to the results page without JavaScript.
    form = box.find_parent("form")
    assert form["method"] == "get" and form["action"] == reverse("search:results")
    assert soup.find("label", attrs={"for": box["id"]}).get_text(strip=True)


@pytest.mark.parametrize("query", ["", "fatigue"])
def test_the_results_page_has_one_search_box_its_own(client, portal, query):
    soup, landmarks, boxes = search_boxes(client.get(reverse("search:results"), {"q": query}))

    assert len(landmarks) == 1 and len(boxes) == 1
    assert boxes[0]["id"] == "search-page-q"
    assert boxes[0]["value"] == query
    assert_combobox(soup, boxes[0])


def test_other_pages_have_the_header_box(client, home, member):
    for signed_in in (False, True):
        if signed_in:
            client.force_login(member)
        soup, landmarks, boxes = search_boxes(client.get(home.url))
        assert len(landmarks) == 1 and len(boxes) == 1
        assert boxes[0]["id"] == "site-search-q"
        assert_combobox(soup, boxes[0])
        # Nothing else claims to expand without a role that allows it.
        for node in soup.select("[aria-expanded]"):
            assert node.get("role") in ("combobox", "button") or node.name in ("button", "summary")


def test_the_search_page_keeps_filters_and_order_in_its_box(client, portal):
    response = client.get(
        reverse("search:results"), {"q": "heat", "type": "blog", "tag": "x", "sort": "newest"}
    )
    soup = BeautifulSoup(response.content, "html.parser")
    hidden = {
        field["name"]: field["value"]
        for field in soup.select('form[role="search"] input[type="hidden"]')
    }

    assert hidden == {"type": "blog", "tag": "x", "sort": "newest"}
