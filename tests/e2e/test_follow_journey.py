"""Following someone in a real browser, then seeing their new story arrive.

Member A follows member B from B's profile. B's story goes through editorial
and medical review in the admin and is published. A finds it in their feed,
and the bell in the header says there is something new.
"""

import re

import pytest
from playwright.sync_api import expect

from moderation.services import page_submit_for_review
from social.models import MemberFollow
from social.services import profile_get_or_create
from tests.discussion.conftest import with_consent
from tests.e2e.admin import admin_login, admin_logout, approve_on_dashboard
from tests.e2e.site import site_login
from tests.factories import ExperienceStoryPageFactory, UserFactory

pytestmark = pytest.mark.e2e

TITLE = "The week I learned to pace myself"


def test_member_follows_another_and_sees_their_published_story_in_feed_and_bell(
    new_page, page, story_index, editor, medic
):
    follower = with_consent(UserFactory(group="Members", display_name="Alex Reader"))
    author = with_consent(UserFactory(group="Members", display_name="Bea Writer"))
    author_profile = profile_get_or_create(user=author)

    # A follows B from B's profile page.
    site_login(page, follower.email)
    page.goto(author_profile.get_absolute_url())
    page.get_by_role("button", name="Follow Bea Writer").click()
    expect(page.get_by_role("button", name="Unfollow Bea Writer")).to_be_visible()
    assert MemberFollow.objects.filter(follower=follower, followee=author).exists()

    # Nothing in the feed yet, and nothing unread.
    page.goto("/feed/")
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    # B's story is reviewed twice in the admin and published.
    story = ExperienceStoryPageFactory(
        parent=story_index, author=author, publish=False, title=TITLE
    )
    page_submit_for_review(page=story, user=author)
    reviewer = new_page()
    admin_login(reviewer, editor)
    approve_on_dashboard(reviewer, TITLE)
    admin_logout(reviewer, editor)
    admin_login(reviewer, medic)
    approve_on_dashboard(reviewer, TITLE)

    # A sees it in the feed, under B's name, and the bell has news.
    page.goto("/feed/")
    card = page.locator("article").filter(has=page.get_by_role("link", name=TITLE))
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Bea Writer")
    bell = page.get_by_role("link", name="Notifications, 1 unread")
    expect(bell).to_be_visible()
    bell.click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    expect(page.locator("main")).to_contain_text("Bea Writer")
    expect(page.get_by_role("link", name=TITLE).first).to_be_visible()
