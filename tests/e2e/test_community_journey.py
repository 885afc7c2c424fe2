"""Joining a community in a real browser, and what an outsider sees of its items.

A member finds an open community in the directory, reads its rules, ticks the
box and joins; the page then shows what only members see (its items, the
member list with themselves, "Write in this community"). An outsider opening
the same item gets its title and "Join to read", never its body. At a phone's
width (360 px) none of these pages scrolls sideways.
"""

import re

from wagtail.rich_text import RichText

import pytest
from playwright.sync_api import expect

from core.models import Audience, CommunityIndexPage, CommunityMembership
from social.services import profile_get_or_create
from tests.discussion.conftest import with_consent
from tests.e2e.site import site_login
from tests.factories import BlogPageFactory, UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
TITLE = "What the first relapse felt like"
BODY = "The numbness started in my left hand on a Tuesday."


def sideways_scroll(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.fixture
def community(portal):
    community = CommunityPageFactory(
        parent=CommunityIndexPage.objects.get(),
        title="Newly diagnosed",
        slug="newly-diagnosed",
        intro="<p>People in their first year with MS.</p>",
        rules="<p>Be kind. What is said here stays here.</p>",
    )
    author = with_consent(UserFactory(group="Members", display_name="Robin Author"))
    profile_get_or_create(user=author)
    CommunityMembershipFactory(community=community, user=author)
    return community


@pytest.fixture
def item(community, blog_index):
    return BlogPageFactory(
        parent=blog_index,
        title=TITLE,
        author=community.memberships.get().user,
        audience=Audience.COMMUNITY,
        community=community,
        body=[("paragraph", RichText(f"<p>{BODY}</p>"))],
    )


def test_member_joins_an_open_community_and_sees_its_member_parts(page, community, item):
    member = with_consent(UserFactory(group="Members", display_name="Sam Joiner"))
    profile_get_or_create(user=member)
    page.set_viewport_size(DESKTOP)
    site_login(page, member.email)

    page.goto("/communities/")
    page.get_by_role("link", name="Newly diagnosed").first.click()
    expect(page).to_have_url(re.compile(r"/communities/newly-diagnosed/$"))
    main = page.locator("main")
    expect(main).to_contain_text("Only members of Newly diagnosed can read")
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
    expect(main).to_contain_text("Be kind. What is said here stays here.")

    # The rules must be accepted: the browser refuses the form without the box.
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page).to_have_url(re.compile(r"/communities/newly-diagnosed/$"))
    assert not CommunityMembership.objects.filter(user=member).exists()
    page.get_by_label(re.compile("I have read and accept the rules")).check()
    page.get_by_role("button", name="Join", exact=True).click()

    expect(main).to_contain_text("You are a member of this community")
    membership = CommunityMembership.objects.get(user=member, community=community)
    assert membership.state == CommunityMembership.State.ACTIVE
    assert membership.rules_version == community.rules_version
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.locator(".member-list")).to_contain_text("Sam Joiner")
    write = page.get_by_role("link", name="Write in this community")
    expect(write).to_have_attribute("href", "/write/?community=newly-diagnosed")

    # Their own communities lead the directory now.
    page.goto("/communities/")
    expect(page.locator("section.own-communities")).to_contain_text("Newly diagnosed")

    # The item itself, in full.
    page.goto(item.url)
    expect(page.locator("main")).to_contain_text(BODY)

    # At a phone's width nothing scrolls sideways.
    page.set_viewport_size(PHONE)
    for address in ("/communities/", community.url, item.url):
        page.goto(address)
        assert sideways_scroll(page) <= 0, f"{address} scrolls sideways at 360 px"


def test_outsider_sees_a_teaser_of_a_community_item(new_page, community, item):
    outsider = with_consent(UserFactory(group="Members", display_name="Olly Outside"))
    visitor = new_page()
    page = new_page()
    site_login(page, outsider.email)

    for person in (page, visitor):
        person.set_viewport_size(PHONE)
        response = person.goto(item.url)
        assert response.status == 403
        main = person.locator("main")
        expect(main).to_contain_text(TITLE)
        expect(main).not_to_contain_text(BODY)
        expect(main).not_to_contain_text("Robin Author")
        expect(person.get_by_role("link", name="Join to read")).to_be_visible()
        assert sideways_scroll(person) <= 0
        # "Join to read" leads to the community, where the way in is offered.
        person.get_by_role("link", name="Join to read").click()
        expect(person).to_have_url(re.compile(r"/communities/newly-diagnosed/$"))
        assert sideways_scroll(person) <= 0
    expect(page.get_by_role("button", name="Join", exact=True)).to_be_visible()
    expect(visitor.get_by_role("link", name="Sign in to join")).to_be_visible()
