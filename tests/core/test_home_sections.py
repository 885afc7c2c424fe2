"""The home page finds its sections by their page types, not by walking the tree (issue 17).

``home.get_children()`` asks for a depth within the home page's path range; SQLite
answers it by walking the path index over every page below home, ~0.9 s at 100,000
items (benchmarks/README.md, Scale). ``latest_by_section`` now finds the few section
pages through the page type's index, with the same sections in the same order.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from core import roles
from core.selectors import latest_by_section
from tests.factories import BlogPageFactory
from tests.plans import only_sqlite, sqlite_plan_steps

pytestmark = pytest.mark.django_db

LISTED_SECTIONS = [roles.BLOGS, roles.EXPERT_ARTICLES, roles.EXPERIENCES, roles.QUESTIONS]


def test_every_listed_section_in_the_trees_order_with_its_newest_items(home, sections, site_pages):
    post = BlogPageFactory(parent=sections[roles.BLOGS])

    found = latest_by_section(user=AnonymousUser(), home=home)

    # The communities directory and the site's own pages are children too, but list nothing.
    assert [section.pk for section, _ in found] == [sections[key].pk for key in LISTED_SECTIONS]
    assert {section.pk: items for section, items in found}[sections[roles.BLOGS].pk] == [post]


def test_unpublished_and_restricted_sections_are_left_out(home, sections):
    sections[roles.EXPERIENCES].unpublish()
    PageViewRestriction.objects.create(
        page=sections[roles.QUESTIONS], restriction_type=PageViewRestriction.LOGIN
    )

    found = latest_by_section(user=AnonymousUser(), home=home)

    assert [section.pk for section, _ in found] == [
        sections[roles.BLOGS].pk,
        sections[roles.EXPERT_ARTICLES].pk,
    ]


@only_sqlite
def test_the_sections_are_found_through_the_page_type_index(home, sections):
    with CaptureQueriesContext(connection) as queries:
        latest_by_section(user=AnonymousUser(), home=home)
    section_queries = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "wagtailcore_page"."id"')
        and f'"depth" = {home.depth + 1}' in query["sql"]
        and "core_contentpage" not in query["sql"]
    ]
    assert len(section_queries) == 1, section_queries
    steps = sqlite_plan_steps(section_queries[0])
    assert any("wagtailcore_page_content_type_id" in step for step in steps), steps
    assert not any("path>?" in step for step in steps), steps
