"""The audience rule on every page a person reads: canaries for each persona (see conftest).

For each surface, every persona is checked for the words of the items they
may not read, and the member of A (the positive control) for the words of
A's item, so a surface that showed nothing at all would fail too. Each test
walks every persona (one world per surface: building it is the slow part)
and reports every leak it finds, not only the first.
"""

import pytest

from social.models import Notification
from tests.communities.conftest import (
    FORMER_A,
    PERSONAS,
    PRIVATE_ITEMS,
    PUBLIC_TAG,
    READS,
    hidden_words,
    leaks,
    page_text,
    word,
)

pytestmark = pytest.mark.django_db

SIGNED_IN = [persona for persona in PERSONAS if persona != "visitor"]
NOT_IN_A = ["visitor", "outsider", "b_member", "leaver", "removed"]
# What an author wrote, without their name (their own profile names them).
ITEM_PARTS = ("title", "summary", "body", "tag", "desc", "comment", "promo")
# What a teaser never shows of its item: everything but the title.
NOT_IN_TEASER = ("summary", "body", "tag", "desc", "comment", "author", "promo")


def sweep(world, urls_by_persona, *, parts=None, status=(200,)):
    """Open each persona's addresses; return every leak and every unexpected status."""
    problems = []
    for persona, urls in urls_by_persona.items():
        client = world.client(persona)
        forbidden = hidden_words(persona, **({"parts": parts} if parts else {}))
        for url in urls:
            response = client.get(url)
            if response.status_code not in status:
                problems.append(f"{persona} got {response.status_code} at {url}")
            found = leaks(page_text(response), forbidden)
            if found:
                problems.append(f"{persona} saw {sorted(found)} at {url}")
    return problems


def shows(world, persona, url, *words):
    text = page_text(world.client(persona).get(url))
    return [each for each in words if each not in text]


# -- The item page ------------------------------------------------------------------


def test_item_pages(world):
    """Each item's address, for every persona: the item, a teaser (403) or a 404."""
    problems = []
    for persona in PERSONAS:
        client = world.client(persona)
        forbidden = hidden_words(persona)
        for item, page in world.items.items():
            response = client.get(page.url)
            text = page_text(response)
            if item in READS[persona]:
                expected = 200
                # The title is shown in a teaser; everything else never.
            elif item == "u":
                expected = 404
            else:
                expected = 403
                for part in NOT_IN_TEASER:
                    if word(item, part) in text:
                        problems.append(f"{persona}'s teaser of {item} shows its {part}")
                if word(item, "title") not in text:
                    problems.append(f"{persona}'s teaser of {item} has no title")
                needed = "Sign in to read" if item == "members" else "Join to read"
                if needed not in text:
                    problems.append(f"{persona}'s teaser of {item} lacks {needed!r}")
                if item in ("a", "b") and world.communities[item].title not in text:
                    problems.append(f"{persona}'s teaser of {item} does not name the community")
                if "rating" in text.lower() or "comment" in text.lower():
                    problems.append(f"{persona}'s teaser of {item} offers stars or comments")
            if response.status_code != expected:
                problems.append(f"{persona} got {response.status_code} at {item}, not {expected}")
            found = leaks(text, forbidden - {word(item, "title")})
            if found:
                problems.append(f"{persona} saw {sorted(found)} at {item}'s address")
    assert not problems, "\n".join(problems)


def test_item_page_shows_everything_to_the_member_of_a(world):
    """The positive control: the body, the author, the comment and the stars are there."""
    text = page_text(world.client("a_member").get(world.items["a"].url))
    for part in ("title", "summary", "body", "comment", "author", "desc"):
        assert word("a", part) in text, part
    assert "rating" in text.lower()


# -- Listings, tags, home, profiles ---------------------------------------------------


def _section_urls(world):
    urls = []
    for item in ("public", "u", "b"):
        section = world.items[item].get_parent()
        urls += [
            section.url,
            f"{section.url}?sort=top",
            f"{section.url}?page=2",
            f"{section.url}?tag={PUBLIC_TAG}",
            f"{section.url}?tag={word('a', 'tag')}",
            f"{section.url}?tag={word('u', 'tag')}",
        ]
    return urls


def test_section_listings(world):
    urls = _section_urls(world)
    assert not sweep(world, dict.fromkeys(PERSONAS, urls))
    section = world.items["a"].get_parent().url
    assert not shows(world, "a_member", section, word("a", "title"), word("a", "summary"))
    assert not shows(world, "a_member", f"{section}?tag={word('a', 'tag')}", word("a", "title"))


def test_tag_pages(world):
    """The public tag lists only what each may read; a tag only on unreadable items is a 404."""
    problems = sweep(world, {persona: [f"/tags/{PUBLIC_TAG}/"] for persona in PERSONAS})
    for persona in PERSONAS:
        for item in ("members", "a", "u", "b"):
            status = (200,) if item in READS[persona] else (404,)
            problems += sweep(world, {persona: [f"/tags/{word(item, 'tag')}/"]}, status=status)
    assert not problems, "\n".join(problems)
    assert not shows(world, "a_member", f"/tags/{PUBLIC_TAG}/", word("a", "title"))
    assert not shows(world, "a_member", f"/tags/{word('a', 'tag')}/", word("a", "title"))


def test_home(world):
    problems = sweep(world, {persona: ["/"] for persona in PERSONAS})
    assert not problems, "\n".join(problems)
    assert not shows(world, "a_member", "/", word("a", "title"))


def test_profiles_list_only_readable_items(world):
    urls = [author.profile.get_absolute_url() for author in world.authors.values()]
    problems = sweep(world, dict.fromkeys(PERSONAS, urls), parts=ITEM_PARTS)
    assert not problems, "\n".join(problems)
    url = world.authors["a"].profile.get_absolute_url()
    assert not shows(world, "a_member", url, word("a", "title"))


# -- The personal feed and notifications ---------------------------------------------


def test_feed(world):
    problems = sweep(world, {persona: ["/feed/", "/feed/?page=2"] for persona in SIGNED_IN})
    assert not problems, "\n".join(problems)
    for persona in SIGNED_IN:
        assert not shows(world, persona, "/feed/", word("public", "title")), persona
    assert not shows(world, "a_member", "/feed/", word("a", "title"))


def test_notifications(world):
    """The former members of A were told about A's item while members: now it shows nothing."""
    about_a = Notification.objects.filter(page_id=world.items["a"].pk)
    for persona in FORMER_A:
        assert about_a.filter(recipient=world.personas[persona]).exists(), persona
    problems = sweep(world, {persona: ["/notifications/"] for persona in SIGNED_IN})
    assert not problems, "\n".join(problems)
    for persona in SIGNED_IN:
        assert not shows(world, persona, "/notifications/", word("public", "title")), persona
    assert not shows(world, "a_member", "/notifications/", word("a", "title"))


def test_other_pages_a_person_can_reach(world):
    """Writing (with a community asked for by its slug), the directory, onboarding, people."""
    unlisted = world.communities["u"].slug
    urls = [
        f"/write/?community={unlisted}",
        f"/write/story/?community={unlisted}",
        f"/write/blog/?community={unlisted}",
        "/communities/",
        f"/communities/{unlisted}/",
        "/welcome/",
        "/people/",
        "/me/account/",
        "/me/profile/",
    ]
    problems = sweep(world, dict.fromkeys(PERSONAS, urls), status=(200, 302, 403, 404, 405))
    for persona in PERSONAS:
        if "u" in READS[persona]:
            continue
        response = world.client(persona).get(world.communities["u"].url)
        if response.status_code != 404:
            problems.append(f"{persona} got {response.status_code} at the unlisted community")
        for item in PRIVATE_ITEMS:
            if item in READS[persona] or persona == "visitor":
                continue
            url = f"/tags/{word(item, 'tag')}/follow/"
            status = world.client(persona).post(url).status_code
            if status != 404:
                problems.append(f"{persona} following {item}'s tag got {status}")
    assert not problems, "\n".join(problems)


def test_opening_a_notification_about_an_item_left_behind_leads_nowhere_near_it(world):
    for persona in FORMER_A:
        user = world.personas[persona]
        notification = Notification.objects.get(recipient=user, page_id=world.items["a"].pk)
        response = world.client(persona).post(f"/notifications/{notification.pk}/open/")
        assert response.status_code == 302
        assert response["Location"] != world.items["a"].url
        assert response["Location"].endswith("/notifications/")
