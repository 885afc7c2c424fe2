"""The discussion asks for the page's address only to offer a visitor the sign-in link.

Issue 17: ``page_context`` worked out the page's address (Wagtail's ``get_url``: a
``reverse()`` and the site's root paths from the cache) for every reader, and a member,
who is never offered the link, threw it away.
"""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

import pytest

from core.models import ContentPage
from core.responses import login_url_for
from discussion.selectors.comments import page_context
from tests.spies import calls_of

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    request.user = user
    return request


def test_a_member_gets_no_sign_in_link_and_no_address_is_worked_out(
    post_page, trusted, monkeypatch
):
    asked = calls_of(monkeypatch, ContentPage, "get_url")

    discussion = page_context(page=post_page, request=_request(trusted))["discussion"]

    assert discussion.login_url == ""
    assert discussion.can_post
    assert asked == []


def test_a_visitor_gets_the_sign_in_link_back_to_the_comments(post_page):
    discussion = page_context(page=post_page, request=_request(AnonymousUser()))["discussion"]

    assert discussion.login_url == login_url_for(f"{post_page.url}#comments")
