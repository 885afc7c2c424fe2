"""A new member's first minutes in a real browser, without JavaScript.

Sign up; before confirming, open Write: the sign-in page says why they are
there. Confirm the address from the email: the welcome steps follow. Choose a
condition and a topic, keep the profile to members, and go to write.
"""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from core.models import Condition
from social.models import Profile, TopicFollow
from tests.e2e.site import confirmation_link, site_sign_up
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.e2e

EMAIL = "sam.onboarding@example.org"
PASSWORD = "a quiet morning by the lake"
PHONE = {"width": 360, "height": 780}


def assert_no_sideways_scroll(page):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone"


def test_new_member_is_told_why_then_welcomed(browser, live_server, portal, blog_index):
    Condition.objects.create(name="Relapsing-remitting MS", slug="relapsing-remitting-ms")
    BlogPageFactory(parent=blog_index, title="Pacing on bad days", tags=["fatigue"])
    mail.outbox.clear()
    # A phone, with JavaScript off: every step must work without it.
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport=PHONE, java_script_enabled=False
    )
    origin = live_server.url.rstrip("/") + "/"
    context.route(re.compile(rf"^(?!{re.escape(origin)}).*"), lambda route: route.abort())
    try:
        page = context.new_page()

        site_sign_up(page, display_name="Sam Onboarding", email=EMAIL, password=PASSWORD)

        # Not confirmed yet: Write bounces to sign-in, which now says why.
        page.goto("/write/")
        expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/write/$"))
        reason = page.get_by_role("note")
        expect(reason).to_contain_text("Sign in to write.")
        expect(reason).to_contain_text("Just joined? Confirm your address first")
        assert_no_sideways_scroll(page)

        # Confirming signs in and leads to the welcome steps.
        page.goto(confirmation_link(EMAIL))
        page.get_by_role("button", name="Confirm").click()
        expect(page).to_have_url(re.compile(r"/welcome/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Welcome to Kindred, Sam Onboarding"
        )
        assert_no_sideways_scroll(page)

        conditions = page.get_by_role("group", name="Conditions you are interested in")
        topics = page.get_by_role("group", name="Topics to follow")
        expect(conditions.get_by_role("checkbox")).to_have_count(1)
        expect(conditions.get_by_role("checkbox").first).not_to_be_checked()
        topics.get_by_label("fatigue").check()
        conditions.get_by_label("Relapsing-remitting MS").check()
        page.get_by_role("button", name="Save and continue").click()

        expect(page).to_have_url(re.compile(r"/welcome/profile/$"))
        expect(page.get_by_role("status")).to_contain_text("Saved your conditions and topics.")
        members = page.get_by_label("Signed-in members only")
        expect(members).to_be_checked()
        expect(page.get_by_text("your conditions of interest, without signing in")).to_be_visible()
        assert_no_sideways_scroll(page)
        page.get_by_role("link", name="Skip this step").click()

        expect(page).to_have_url(re.compile(r"/welcome/start/$"))
        assert_no_sideways_scroll(page)
        page.get_by_role("link", name="Write something").click()
        expect(page).to_have_url(re.compile(r"/write/$"))

        # The account page leads back to the steps, and fits the phone too.
        page.goto("/me/account/")
        expect(
            page.get_by_role("link", name=re.compile("Choose your interests"))
        ).to_have_attribute("href", "/welcome/")
        assert_no_sideways_scroll(page)
    finally:
        context.close()

    profile = Profile.objects.get(user__email=EMAIL)
    assert list(profile.conditions.values_list("name", flat=True)) == ["Relapsing-remitting MS"]
    assert profile.visibility == Profile.Visibility.MEMBERS
    assert list(
        TopicFollow.objects.filter(follower=profile.user).values_list("tag__name", flat=True)
    ) == ["fatigue"]
