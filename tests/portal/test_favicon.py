"""Browsers find Kindred's icon: linked from every page's head, and at /favicon.ico."""

import re

from django.contrib.staticfiles import finders
from django.templatetags.static import static

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_an_icon_file(client):
    response = client.get("/favicon.ico")

    assert response.status_code in (301, 302)
    target = response["Location"]
    assert target == static("img/favicon.ico")
    path = finders.find(target.removeprefix(static("")))
    assert path, f"{target} is not a static file"
    with open(path, "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00", "an ICO file"


def test_every_page_links_the_svg_icon(client, portal):
    html = client.get("/").content.decode()

    links = re.findall(r'<link rel="icon"[^>]*href="([^"]+)"', html)
    assert static("img/favicon.svg") in links
    path = finders.find("img/favicon.svg")
    assert path
    with open(path, encoding="utf-8") as icon:
        assert icon.read().startswith("<svg")
    assert 'rel="apple-touch-icon"' in html
