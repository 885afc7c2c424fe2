"""The routing query's facts are index lookups, not reads of every page (issue 17, scale).

At 100,000 items the "is there an alias above this page" check read every row of
``wagtailcore_page`` on every section and home page (most of their time,
benchmarks/README.md, Scale). It now walks the ``alias_of`` index, which holds
only aliases.
"""

from wagtail.models import Page

import pytest

from core.routing import restriction_facts, with_restriction_facts
from tests.factories import BlogPageFactory
from tests.plans import only_sqlite, sqlite_plan_steps

pytestmark = pytest.mark.django_db


@only_sqlite
def test_the_alias_check_walks_the_alias_index(blog_index):
    page = BlogPageFactory(parent=blog_index)
    query = with_restriction_facts(Page.objects.filter(pk=page.pk))
    steps = sqlite_plan_steps(query)
    assert any("USING INDEX wagtailcore_page_alias_of_id" in step for step in steps), steps
    # No step reads a whole table (the restrictions' small index is walked, not pages).
    assert not [step for step in steps if step.startswith("SCAN") and "INDEX" not in step], steps


def test_an_alias_above_a_page_is_still_found(blog_index):
    page = BlogPageFactory(parent=blog_index)
    assert restriction_facts(Page.objects.get(pk=page.pk)) == (False, False)
    # An alias of the section, with the item aliased below it: the alias copy's
    # child sits under an alias, which Wagtail must be left to judge.
    alias = blog_index.create_alias(
        parent=blog_index.get_parent(), update_slug="blogs-copy", recursive=True
    )
    below = alias.get_children().first()
    assert below is not None
    assert restriction_facts(Page.objects.get(pk=below.pk))[1] is True
    assert restriction_facts(Page.objects.get(pk=page.pk))[1] is False
