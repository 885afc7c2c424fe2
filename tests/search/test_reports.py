"""Editors' side of search: promoted results and the query reports in the Wagtail admin."""

from django.urls import reverse

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

import pytest

from core import roles
from search.services import search_query_log
from tests.factories import BlogPageFactory, UserFactory

pytestmark = pytest.mark.django_db

POPULAR = reverse("kindred_search_reports:popular")
NO_RESULTS = reverse("kindred_search_reports:zero")


@pytest.fixture
def logged(portal):
    for _ in range(3):
        search_query_log(query="Fatigue", found=True)
    search_query_log(query="heat", found=True)
    for _ in range(2):
        search_query_log(query="zzyzx clinic", found=False)


def test_editors_see_popular_searches_most_frequent_first(client, editor, logged):
    client.force_login(editor)

    response = client.get(POPULAR)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("fatigue") < html.index("heat")


def test_editors_see_searches_without_results(client, editor, logged):
    client.force_login(editor)

    response = client.get(NO_RESULTS)

    assert response.status_code == 200
    html = response.content.decode()
    assert "zzyzx clinic" in html
    assert "fatigue" not in html


def test_the_reports_are_in_the_editors_reports_menu(client, editor):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert POPULAR in html and NO_RESULTS in html


@pytest.mark.parametrize("group", [roles.MEDICAL_REVIEWERS, roles.EXPERTS])
def test_other_admin_users_may_not_read_the_reports(client, logged, group):
    client.force_login(UserFactory(group=group))

    for url in (POPULAR, NO_RESULTS):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "zzyzx" not in response.content.decode()


def test_members_never_reach_the_reports(client, member, logged):
    client.force_login(member)

    for url in (POPULAR, NO_RESULTS):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "zzyzx" not in response.content.decode()


def test_editors_manage_promoted_results(client, editor, blog_index):
    page = BlogPageFactory(parent=blog_index, title="Start here")
    client.force_login(editor)

    assert client.get(reverse("wagtailsearchpromotions:index")).status_code == 200
    response = client.post(
        reverse("wagtailsearchpromotions:add"),
        {
            "query_string": "new diagnosis",
            "editors_picks-TOTAL_FORMS": "1",
            "editors_picks-INITIAL_FORMS": "0",
            "editors_picks-MIN_NUM_FORMS": "0",
            "editors_picks-MAX_NUM_FORMS": "1000",
            "editors_picks-0-page": str(page.pk),
            "editors_picks-0-external_link_url": "",
            "editors_picks-0-external_link_text": "",
            "editors_picks-0-description": "Where to begin",
            "editors_picks-0-ORDER": "1",
        },
    )

    assert response.status_code == 302
    promotion = SearchPromotion.objects.get()
    assert promotion.query == Query.get("new diagnosis")
    assert promotion.page_id == page.pk


def test_a_long_or_odd_query_is_logged_within_the_column(portal):
    search_query_log(query="İ" * 200, found=False)
    search_query_log(query="   ", found=False)

    (query,) = Query.objects.all()
    assert len(query.query_string) <= 255
