"""setup_portal gives Wagtail's Site the public address, so its links agree with the emails'."""

from wagtail.models import Site

import pytest

from portal.setup import portal_setup
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def test_the_site_is_served_where_kindred_base_url_says(settings, blog_index):
    settings.KINDRED_BASE_URL = "http://127.0.0.1:8001"

    portal_setup()

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8001)
    assert site.root_url == "http://127.0.0.1:8001"
    post = BlogPageFactory(parent=blog_index)
    assert post.full_url == f"http://127.0.0.1:8001{post.url}"


def test_a_new_address_replaces_the_old_one(settings, portal):
    settings.KINDRED_BASE_URL = "https://kindred.example/"

    portal_setup()
    portal_setup()

    (site,) = Site.objects.all()
    assert (site.hostname, site.port, site.root_url) == (
        "kindred.example",
        443,
        "https://kindred.example",
    )
    assert site.is_default_site
