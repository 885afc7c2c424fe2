"""Member responses are never cached; a withdrawn author's page cannot be published."""

from django.core.exceptions import PermissionDenied

import pytest

from accounts.models import Consent
from accounts.selectors import may_contribute
from accounts.services import consent_give, consent_withdraw
from moderation.services import page_submit_for_review, review_approve
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


def test_signed_in_responses_are_private_and_not_stored(client, member, portal):
    client.force_login(member)

    for path in ("/", "/blogs/", "/accounts/email/", "/accounts/password/change/"):
        response = client.get(path)
        assert "no-store" in response.get("Cache-Control", ""), path
        assert "private" in response.get("Cache-Control", ""), path


def test_anonymous_public_pages_are_left_cacheable(client, portal):
    assert "no-store" not in client.get("/blogs/").get("Cache-Control", "")


def test_may_contribute_needs_both_current_texts(member):
    assert not may_contribute(member)
    consent_give(user=member, kind="health_data")
    assert not may_contribute(member)
    consent_give(user=member, kind="guidelines")
    assert may_contribute(member)
    # An agreement to an older guidelines text is not enough once it changes.
    Consent.objects.filter(user=member, kind="guidelines").update(version="2020-01")
    assert not may_contribute(member)


def test_withdrawn_authors_page_cannot_be_pushed_through_review(blog_index, member, editor, medic):
    consent_give(user=member, kind="guidelines")
    consent_give(user=member, kind="health_data")
    post = BlogPageFactory(parent=blog_index, author=member, publish=False)
    consent_withdraw(user=member, kind="health_data")
    # An editor submits the member's draft from the admin anyway.
    page_submit_for_review(page=post, user=editor)
    review_approve(page=post, user=editor)

    with pytest.raises(PermissionDenied) as refused:
        review_approve(page=post, user=medic)

    # The same words since the rule reached the workflow through accounts' veto hook.
    assert str(refused.value) == "The author has withdrawn consent; this cannot be published."
    post.refresh_from_db()
    assert not post.live

    post.refresh_from_db()
    assert not post.live
