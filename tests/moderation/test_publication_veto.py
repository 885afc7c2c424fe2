"""Apps above moderation stop a publication through the ``kindred_publication_veto`` hook.

moderation may not import accounts (accounts sits above it, docs/architecture.md),
so the withdrawn-consent rule reaches the workflow through a hook that accounts
fills, with the same refusal as before.
"""

from django.core.exceptions import PermissionDenied

from wagtail import hooks

import pytest

from accounts import wagtail_hooks as accounts_hooks
from moderation.services import page_submit_for_review, review_approve
from moderation.workflow import PUBLICATION_VETO
from tests.factories import BlogPageFactory

WITHDRAWN = "The author has withdrawn consent; this cannot be published."


def _approved_by_editor(blog_index, member, editor):
    post = BlogPageFactory(parent=blog_index, author=member, publish=False)
    page_submit_for_review(page=post, user=editor)
    review_approve(page=post, user=editor)
    return post


def test_accounts_fills_the_veto_hook():
    assert accounts_hooks.withdrawn_consent_veto in hooks.get_hooks(PUBLICATION_VETO)


def test_any_registered_veto_refuses_with_its_own_reason(blog_index, member, editor, medic):
    post = _approved_by_editor(blog_index, member, editor)
    asked = []

    def veto(page):
        asked.append(page.pk)
        return "Held for a safety review."

    with (
        hooks.register_temporarily(PUBLICATION_VETO, veto),
        pytest.raises(PermissionDenied) as refused,
    ):
        review_approve(page=post, user=medic)

    assert str(refused.value) == "Held for a safety review."
    assert asked == [post.pk]
    post.refresh_from_db()
    assert not post.live


def test_a_veto_without_a_reason_lets_the_page_go_live(blog_index, member, editor, medic):
    post = _approved_by_editor(blog_index, member, editor)

    with hooks.register_temporarily(PUBLICATION_VETO, lambda page: None):
        review_approve(page=post, user=medic)

    post.refresh_from_db()
    assert post.live
