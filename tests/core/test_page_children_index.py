"""A page's children come from ``kindred_page_depth_path``, not a walk of its subtree.

Wagtail's ``get_children`` asks for one depth within a path range; with the
``path`` index alone the database reads every descendant (the home page's
sections read all 100,000 items, issue 17). core/migrations/0008.
"""

from django.db import connection

import pytest

from core.selectors import latest_by_section
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")
def test_the_home_pages_sections_are_one_range_of_the_index(home, blog_index):
    BlogPageFactory(parent=blog_index)
    sql, params = home.get_children().live().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = "\n".join(row[-1] for row in cursor.fetchall())
    assert "INDEX kindred_page_depth_path (depth=? AND path>? AND path<?)" in plan
    assert "TEMP B-TREE" not in plan


def test_the_sections_are_still_in_the_trees_order(home, blog_index):
    BlogPageFactory(parent=blog_index, title="Newest blog post")
    sections = latest_by_section(user=None, home=home)
    paths = [section.path for section, _items in sections]
    assert paths == sorted(paths) and len(paths) >= 3
    assert [item.title for item in dict(sections)[blog_index.specific]] == ["Newest blog post"]
