"""The request's Wagtail site from the cache (issue 17): ``core.routing.cached_site``.

Wagtail's ``Site.find_for_request`` read the site and then the home page's specific
row on every page: two queries and their compiling, ~2 ms of a member's item page.
``SiteFromCacheMiddleware`` gives the request the site ``cached_site`` keeps under the
navigation's version. These tests hold it equal to Wagtail's lookup for every kind
of host and port, and check that a site or home page changed is read again at once.
"""

from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

import pytest

from core.routing import cached_site
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def _wagtails(hostname, port):
    try:
        return get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None


def _same(hostname, port):
    got, expected = cached_site(hostname, port), _wagtails(hostname, port)
    assert getattr(got, "pk", None) == getattr(expected, "pk", None), (hostname, port)
    if expected is not None:
        assert got.root_page.pk == expected.root_page.pk
        assert type(got.root_page) is type(expected.root_page.specific)


def test_the_cached_site_is_wagtails_for_every_host_and_port(home, blog_index, story_index):
    default = Site.objects.get(is_default_site=True)
    Site.objects.create(hostname="carers.test", port=80, root_page=blog_index)
    Site.objects.create(hostname="carers.test", port=8080, root_page=story_index)
    Site.objects.create(hostname="two.test", port=81, root_page=blog_index)
    Site.objects.create(hostname="two.test", port=82, root_page=story_index)
    Site.objects.create(hostname="one.test", port=443, root_page=story_index)
    hosts = [default.hostname, "carers.test", "two.test", "one.test", "unknown.test", ""]
    for _round in range(2):  # computed, then from the cache
        for hostname in hosts:
            for port in (80, 81, 443, 8080, default.port):
                _same(hostname, port)
    default.is_default_site = False
    default.save()  # no default site: an unknown host has none
    assert cached_site("unknown.test", 80) is None
    for hostname in hosts:
        _same(hostname, 80)


def test_a_member_reads_no_site_row(client, member, blog_index):
    """Two queries fewer on every page: the site and the home page come from the cache."""
    page = BlogPageFactory(parent=blog_index, title="Without the site's rows")
    default = Site.objects.get(is_default_site=True)
    client.force_login(member)
    for host, port in (("testserver", "80"), (default.hostname, str(default.port))):
        assert client.get(page.url, HTTP_HOST=host, SERVER_PORT=port).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url, HTTP_HOST=host, SERVER_PORT=port)
        assert response.status_code == 200
        assert "Without the site&#x27;s rows" in response.content.decode()
        tables = " ".join(query["sql"] for query in queries)
        assert "wagtailcore_site" not in tables
        assert "core_homepage" not in tables


def test_a_host_allowed_only_by_a_pattern_is_left_to_wagtail(client, member, blog_index, settings):
    """Keys only for hosts ALLOWED_HOSTS names: a request cannot add cache keys at will."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".example.test"]
    page = BlogPageFactory(parent=blog_index, title="Any host")
    client.force_login(member)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url, HTTP_HOST="any.example.test")
        assert response.status_code == 200
        assert "wagtailcore_site" in " ".join(query["sql"] for query in queries)


def test_other_views_ask_wagtail_as_before(client, member):
    """Only pages take the site from the cache (where a miss costs Wagtail's own two
    queries): another view's first request reads no home page it did not read before."""
    from django.urls import reverse

    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("authoring:contributions")).status_code == 200
    assert "core_homepage" not in " ".join(query["sql"] for query in queries)


def test_a_site_changed_or_gone_is_read_again_at_once(
    client, member, settings, blog_index, story_index
):
    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "carers.test"]
    client.force_login(member)
    site = Site.objects.create(hostname="carers.test", port=80, root_page=blog_index)
    BlogPageFactory(parent=blog_index, title="Under blogs")

    def served():
        response = client.get("/", HTTP_HOST="carers.test")
        assert response.status_code == 200
        return response.context["page"].pk

    assert served() == blog_index.pk
    site.root_page = story_index
    site.save()
    assert served() == story_index.pk
    site.delete()
    assert served() == Site.objects.get(is_default_site=True).root_page_id


def test_the_home_page_changed_is_read_again(home):
    default = Site.objects.get(is_default_site=True)
    before = cached_site(default.hostname, default.port)
    assert before.root_page.title == home.title
    home.title = "Kindred, renamed"
    home.save_revision().publish()
    after = cached_site(default.hostname, default.port)
    assert after.root_page.title == "Kindred, renamed"
    assert type(after.root_page) is type(home)


def test_each_request_gets_its_own_copy(home):
    """Something set on one request's site (a setting read, an attribute) stays there."""
    default = Site.objects.get(is_default_site=True)
    first = cached_site(default.hostname, default.port)
    first.mark = "mine"
    second = cached_site(default.hostname, default.port)
    assert second is not first and second.root_page is not first.root_page
    assert not hasattr(second, "mark")


def test_a_busy_database_on_a_cold_site_cache_is_a_503_not_a_500(client, blog_index):
    # The middleware's lookup runs before the view, where the busy database's answer
    # (portal.middleware.DatabaseBusyMiddleware: 503, Retry-After) does not reach. The
    # database is made busy for the site's table the way Django lets a test see every
    # query (an execute wrapper), and the page must still get the 503.
    url = BlogPageFactory(parent=blog_index).url

    def busy_on_sites(execute, sql, params, many, context):
        if "wagtailcore_site" in sql:
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(busy_on_sites):
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"]
