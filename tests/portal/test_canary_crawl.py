"""No private word reaches a visitor or an unrelated member, at any address they can reach.

A unique word is planted in every kind of private content Kindred holds:
drafts, items in each review step, rejected items and their review notes, a
live item's newer draft and newer edit in review, held and removed comments,
reports, profiles that are not public, usernames and email addresses, and
published items for an audience the crawler is not in: a listed community's
and a members-only one (whose teasers name the item, so the word is in what
only its readers read), and an unlisted community's, not even named. Which
topics a member follows is an association, not a word, and has its own tests
in tests/social; tests/communities holds the audience canaries surface by
surface. Then a visitor and a signed-in member who is
related to none of it crawl the site: every same-site link from the pages they
can reach, plus the addresses a curious person would guess (every private
item's id on every endpoint that takes one, its address, its feeds, the admin).
The test fails with the address and the word if any response shows one.

Each kind's word is distinct, so a failure names what leaked; one shared word
is also planted everywhere and is what the crawlers search for, so search is
crawled without the searched word itself being echoed back as a false alarm.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

from django.test import Client

from wagtail.rich_text import RichText

import pytest

from core.models import Audience, CommunityIndexPage
from discussion.models import CommentReport
from moderation.services import (
    page_submit_for_review,
    review_approve,
    review_request_changes,
)
from social.models import Profile
from social.services import follow_create
from tests.discussion.conftest import add_comment, with_consent
from tests.factories import (
    BlogPageFactory,
    CommunityMembershipFactory,
    CommunityPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    ProfileFactory,
    UserFactory,
)
from tests.html import without_csrf_tokens

pytestmark = pytest.mark.django_db

# Planted in every private text: the crawlers search for it.
SHARED = "plinthorama"

# Addresses the crawlers never open: signing out would end the member's crawl,
# and files are not pages.
NOT_CRAWLED = ("/accounts/logout/", "/admin/logout/", "/static/", "/media/")
MAX_PAGES = 800
TEXT_TYPES = ("text/", "application/json", "application/rss", "application/atom")
HREF = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"'#]+)""", re.IGNORECASE)


def canary(kind):
    """The word planted in content of ``kind``: lower-case letters only, so search indexes it."""
    return f"zq{kind}canary"


def private_text(kind):
    return f"{canary(kind)} {SHARED}"


@pytest.fixture
def planted(blog_index, expert_index, story_index, editor, expert, portal):
    """Plant a word in every kind of private content; return ``(words, probes)``.

    ``words`` maps each word to what it marks; ``probes`` are the addresses a
    curious person would try by guessing ids and slugs.
    """
    author = with_consent(
        UserFactory(
            group="Members",
            username=canary("username"),
            email=f"{canary('email')}@example.org",
            display_name="Alex Author",
        )
    )
    ProfileFactory(user=author, visibility=Profile.Visibility.EVERYONE)
    words = {}
    probes = []

    def item(factory, parent, kind, **kwargs):
        words[canary(kind)] = kind
        page = factory(
            parent=parent,
            title=f"{private_text(kind)} title",
            summary=private_text(kind),
            tags=[canary(f"{kind}tag")],
            publish=False,
            **kwargs,
        )
        words[canary(f"{kind}tag")] = f"tag only on {kind}"
        probes.extend(
            [
                f"/comments/api/{page.pk}/",
                f"/comments/api/{page.pk}/count/",
                f"/ratings/{page.pk}/",
                f"/me/contributions/{page.pk}/edit/",
                f"/me/contributions/{page.pk}/preview/",
                f"/admin/pages/{page.pk}/view_draft/",
                f"/admin/pages/{page.pk}/edit/",
                f"/tags/{canary(f'{kind}tag')}/",
                f"/feeds/tags/{canary(f'{kind}tag')}/rss/",
                f"/feeds/tags/{canary(f'{kind}tag')}/atom/",
            ]
        )
        return page

    # Drafts and items at every step of review.
    item(BlogPageFactory, blog_index, "draft", author=author)
    editorial = item(ExperienceStoryPageFactory, story_index, "editorial", author=author)
    page_submit_for_review(page=editorial, user=author)
    medical = item(ExpertArticlePageFactory, expert_index, "medical", author=expert)
    page_submit_for_review(page=medical, user=expert)
    review_approve(page=medical, user=editor)
    rejected = item(BlogPageFactory, blog_index, "rejected", author=author)
    page_submit_for_review(page=rejected, user=author)
    words[canary("reviewnote")] = "a reviewer's note to the author"
    review_request_changes(page=rejected, user=editor, comment=private_text("reviewnote"))

    # Live items with a newer draft, and with a newer edit in review.
    for kind in ("newerdraft", "neweredit"):
        live = BlogPageFactory(parent=blog_index, author=author, title=f"Live {kind} item")
        words[canary(kind)] = f"a live item's {kind}"
        live.title = f"{private_text(kind)} title"
        live.summary = private_text(kind)
        live.save_revision(user=author)
        if kind == "neweredit":
            page_submit_for_review(page=live, user=author)
        probes.append(f"/comments/api/{live.pk}/")

    # Comments held for moderation and removed, and a report about a visible one.
    discussed = BlogPageFactory(parent=blog_index, title="A discussed item")
    for state in ("awaiting", "removed"):
        words[canary(f"{state}comment")] = f"a comment {state}"
        comment = add_comment(discussed, author, private_text(f"{state}comment"), state=state)
        probes += [f"/comments/{comment.pk}/link/", f"/comments/{comment.pk}/edit/"]
    reporter = with_consent(UserFactory(group="Members", display_name="Rae Reporter"))
    reported = add_comment(discussed, author, "A visible comment that was reported.")
    words[canary("report")] = "a report's text"
    CommentReport.objects.create(
        comment=reported, reporter=reporter, reason="other", text=private_text("report")
    )
    probes += [f"/comments/{reported.pk}/report/", f"/comments/api/{discussed.pk}/"]

    # Profiles that are not public: members-only is hidden from visitors only.
    hidden = UserFactory(group="Members", display_name="Hidden Hana")
    words[canary("onlymebio")] = "an only-me profile's bio"
    only_me = ProfileFactory(
        user=hidden, visibility=Profile.Visibility.ONLY_ME, bio=private_text("onlymebio")
    )
    members_only_user = UserFactory(group="Members", display_name="Members Mo")
    words[canary("membersbio")] = "a members-only profile's bio (hidden from visitors)"
    members_only = ProfileFactory(
        user=members_only_user,
        visibility=Profile.Visibility.MEMBERS,
        bio=private_text("membersbio"),
    )
    for handle in (only_me.handle, members_only.handle):
        probes += [
            f"/members/{handle}/",
            f"/members/{handle}/followers/",
            f"/members/{handle}/following/",
            f"/feeds/members/{handle}/rss/",
        ]

    # Published items for audiences the crawlers are not in, with a comment each.
    index = CommunityIndexPage.objects.get()
    words[canary("unlistedname")] = "an unlisted community's name"
    audiences = {
        "listeditem": CommunityPageFactory(parent=index, title="Listed circle"),
        "unlisteditem": CommunityPageFactory(
            parent=index, title=canary("unlistedname"), slug="quiet", is_listed=False
        ),
        "membersitem": None,
    }
    for kind, community in audiences.items():
        if community is not None:
            CommunityMembershipFactory(community=community, user=author)
        words[canary(kind)] = f"a published {kind}"
        words[canary(f"{kind}tag")] = f"tag only on {kind}"
        page = BlogPageFactory(
            parent=blog_index,
            author=author,
            # The teaser of a listed community's or a members-only item names it
            # to those who may not read it ("Join to read", "Sign in to read").
            title=(f"{private_text(kind)} title" if kind == "unlisteditem" else f"Named {kind}"),
            summary=private_text(kind),
            body=[("paragraph", RichText(f"<p>{private_text(kind)}</p>"))],
            tags=[canary(f"{kind}tag")],
            audience=Audience.MEMBERS if community is None else Audience.COMMUNITY,
            community=community,
        )
        add_comment(page, author, private_text(kind))
        probes += [
            page.url,
            f"/comments/api/{page.pk}/",
            f"/ratings/{page.pk}/",
            f"/tags/{canary(f'{kind}tag')}/",
            f"/feeds/tags/{canary(f'{kind}tag')}/rss/",
        ]
    probes += ["/communities/", "/communities/quiet/"]

    return words, probes


# What a signed-in member may read of the planted words.
MEMBERS_MAY_READ = {canary("membersbio"), canary("membersitem"), canary("membersitemtag")}


@pytest.fixture
def stranger(portal, planted):
    """A member related to none of the private content, who follows its author."""
    user = with_consent(UserFactory(group="Members", display_name="Sam Stranger"))
    ProfileFactory(user=user, visibility=Profile.Visibility.EVERYONE)
    author = Profile.objects.get(user__display_name="Alex Author").user
    follow_create(follower=user, followee=author)
    return user


def crawl(client, seeds):
    """Open every seed and every same-site link reachable from them.

    Yields ``(url, status, text)`` for each response that is text.
    """
    queue = deque(seeds)
    seen = set(queue)
    while queue:
        url = queue.popleft()
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(TEXT_TYPES):
            continue
        text = without_csrf_tokens(response.content.decode(errors="replace"))
        yield url, response.status_code, text
        location = response.get("Location")
        links = HREF.findall(text) + ([location] if location else [])
        for link in links:
            target = urlsplit(urljoin(url, link.replace("&amp;", "&")))
            if target.netloc not in ("", "testserver", "127.0.0.1:8000", "localhost"):
                continue
            path = target.path + (f"?{target.query}" if target.query else "")
            if path.startswith(NOT_CRAWLED) or path in seen or len(seen) >= MAX_PAGES:
                continue
            seen.add(path)
            queue.append(path)


def leaks(client, words, probes):
    seeds = ["/", f"/search/?q={SHARED}", "/people/", "/feed/", "/notifications/", *probes]
    found = []
    opened = 0
    for url, status, text in crawl(client, seeds):
        opened += 1
        assert status < 500, f"{url} answered {status}"
        # An address a crawler typed (a guessed tag) may be echoed back; only
        # what the site adds of its own counts.
        text = text.replace(url, "")
        found += [(url, words[word]) for word in words if word in text]
    return found, opened


def test_a_visitor_reaches_no_private_word(client, planted):
    words, probes = planted

    found, opened = leaks(client, words, probes)

    assert opened > 40, "the crawl reached too little of the site to prove anything"
    assert found == [], found


def test_an_unrelated_member_reaches_no_private_word(planted, stranger):
    words, probes = planted
    # A member may see a members-only profile and item; everything else stays hidden.
    words = {word: kind for word, kind in words.items() if word not in MEMBERS_MAY_READ}
    client = Client()
    client.force_login(stranger)

    found, opened = leaks(client, words, probes)

    assert opened > 40, "the crawl reached too little of the site to prove anything"
    assert found == [], found


def test_the_crawl_finds_a_word_that_is_shown(client, planted, blog_index):
    """The crawl itself works: a word on a published item is found where it is shown."""
    words, probes = planted
    BlogPageFactory(parent=blog_index, title=f"{canary('published')} is public")

    found, _ = leaks(client, {canary("published"): "published"}, probes)

    assert ("/", "published") in found


def test_the_crawl_finds_what_a_member_may_read(planted, stranger):
    """The members-only words are left out of the member's crawl because they are shown."""
    words, probes = planted
    client = Client()
    client.force_login(stranger)

    found, _ = leaks(client, {canary("membersitem"): "membersitem"}, probes)

    assert found, "a members-only item is readable by a member"
