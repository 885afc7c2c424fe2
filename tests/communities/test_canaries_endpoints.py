"""The audience rule where no page is read: feeds, comment and rating endpoints, emails, and
addresses that do not exist yet (a sitemap, an API). Personas and words: see conftest.
"""

from django.core import mail

import feedparser
import pytest

from core.models import CommunityMembership
from discussion.notifications import send_reply_notifications
from social.models import Notification, NotificationKind
from social.notifications.services import preference_set
from social.notifications.tasks import send_daily_digests, send_notification_email
from tests.communities.conftest import (
    FORMER_A,
    ITEMS,
    PERSONAS,
    PRIVATE_ITEMS,
    PUBLIC_TAG,
    READS,
    hidden_words,
    leaks,
    page_text,
    word,
    words_of,
)
from tests.discussion.conftest import add_comment

pytestmark = pytest.mark.django_db

MISSING_PAGE = 2_000_000
MISSING_COMMENT = 2_000_000


# -- RSS and Atom: public items only, whoever asks ------------------------------------


def _feed_urls(world):
    urls = [f"/feeds/tags/{PUBLIC_TAG}/{kind}/" for kind in ("rss", "atom")]
    for item in ITEMS:
        section = world.items[item].get_parent().slug
        handle = world.authors[item].profile.handle
        urls += [f"/feeds/{section}/{kind}/" for kind in ("rss", "atom")]
        urls += [f"/feeds/members/{handle}/{kind}/" for kind in ("rss", "atom")]
    return urls


def test_feeds_carry_public_items_only_whoever_asks(world):
    """Members-only and community items never, not even to the member of A."""
    every_private_word = set().union(*(words_of(item) for item in PRIVATE_ITEMS))
    urls = _feed_urls(world)
    for persona in PERSONAS:
        client = world.client(persona)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (persona, url)
            text = page_text(response)
            # An author's own feed may name its author; nothing they wrote may show.
            assert not leaks(text, every_private_word - {word(i, "author") for i in ITEMS}), url
        parsed = feedparser.parse(client.get(f"/feeds/tags/{PUBLIC_TAG}/rss/").content)
        assert [entry.title for entry in parsed.entries] == [world.items["public"].title]
        for item in PRIVATE_ITEMS:
            for kind in ("rss", "atom"):
                url = f"/feeds/tags/{word(item, 'tag')}/{kind}/"
                assert client.get(url).status_code == 404, (persona, url)


# -- Comment and rating endpoints: what you may not read answers as a missing one -----


def _endpoint_answers(client, *, page_id, comment_id):
    answers = {
        "comment list": client.get(f"/comments/api/{page_id}/"),
        "comment count": client.get(f"/comments/api/{page_id}/count/"),
        "comment post": client.post(f"/comments/{page_id}/", {"comment": "Hello there"}),
        "reply form": client.get(f"/comments/{comment_id}/reply/"),
        "permalink": client.get(f"/comments/{comment_id}/link/"),
        "report form": client.get(f"/comments/{comment_id}/report/"),
        "report": client.post(f"/comments/{comment_id}/report/", {"reason": "other"}),
        "edit": client.get(f"/comments/{comment_id}/edit/"),
        "rating": client.post(f"/ratings/{page_id}/", {"score": "4"}),
    }
    return {name: (response.status_code, page_text(response)) for name, response in answers.items()}


def test_comment_and_rating_endpoints_answer_as_for_a_missing_item(world):
    problems = []
    for persona in PERSONAS:
        missing = _endpoint_answers(
            world.client(persona), page_id=MISSING_PAGE, comment_id=MISSING_COMMENT
        )
        for item in PRIVATE_ITEMS:
            if item in READS[persona]:
                continue
            answers = _endpoint_answers(
                world.client(persona),
                page_id=world.items[item].pk,
                comment_id=world.comments[item].pk,
            )
            for name, (status, text) in answers.items():
                if status != missing[name][0] or status not in (302, 404, 405):
                    problems.append(f"{persona} {name} on {item}: {status}, missing: {missing}")
                found = leaks(text, hidden_words(persona))
                if found:
                    problems.append(f"{persona} {name} on {item} shows {sorted(found)}")
    assert not problems, "\n".join(problems)


def test_the_member_of_a_reaches_the_endpoints(world):
    """The positive control: the same endpoints answer the member of A."""
    client = world.client("a_member")
    page, comment = world.items["a"], world.comments["a"]
    response = client.get(f"/comments/api/{page.pk}/")
    assert response.status_code == 200
    assert word("a", "comment") in page_text(response)
    assert client.get(f"/comments/api/{page.pk}/count/").status_code == 200
    assert client.get(f"/comments/{comment.pk}/link/").status_code == 302
    response = client.post(f"/ratings/{page.pk}/", {"score": "4"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200


# -- Addresses that do not exist yet -----------------------------------------------------


# /sitemap.xml and /api/v2/ exist since issue 18: tests/discovery/test_sitemap_communities.py
# holds the sitemap to this world's rule, tests/api the read API to a visitor's.
@pytest.mark.parametrize("url", ["/sitemap/", "/api/", "/api/pages/"])
def test_no_sitemap_or_api_exists_yet(world, url):
    """Today none exists: when one is added, it must start from readable_content (issue 12)."""
    for persona in ("visitor", "a_member"):
        assert world.client(persona).get(url).status_code == 404, (persona, url)


# -- Notifications and every email -------------------------------------------------------


def test_followers_are_told_only_of_what_they_may_read(world):
    """Everyone follows every author and the public tag: only readers were told."""
    for persona in PERSONAS[1:]:
        told = set(
            Notification.objects.filter(
                recipient=world.personas[persona], kind=NotificationKind.FOLLOWED_ITEM
            ).values_list("page_id", flat=True)
        )
        # The former members of A were members when A's item was published.
        expected = READS[persona] | ({"a"} if persona in FORMER_A else set())
        assert told == {world.items[item].pk for item in expected}, persona


def test_digest_leaves_out_what_the_member_may_no_longer_read(world):
    # The authors get theirs too (new followers); the personas' are read here.
    assert send_daily_digests.call() >= len(PERSONAS) - 1
    problems = []
    for persona in PERSONAS[1:]:
        (message,) = [m for m in mail.outbox if m.to == [world.personas[persona].email]]
        text = message.body + "".join(str(alt[0]) for alt in message.alternatives)
        found = leaks(text, hidden_words(persona) | {message.subject})
        if found:
            problems.append(f"{persona}'s digest shows {sorted(found)}")
        for item in READS[persona]:
            if word(item, "title") not in text:
                problems.append(f"{persona}'s digest lacks {item}")
    assert not problems, "\n".join(problems)


def test_immediate_email_about_an_item_left_behind_is_not_sent(world):
    for persona in FORMER_A:
        user = world.personas[persona]
        preference_set(user=user, kind=NotificationKind.FOLLOWED_ITEM, email="immediate")
        notification = Notification.objects.get(recipient=user, page_id=world.items["a"].pk)
        assert send_notification_email.call(notification.pk) == 0
    assert not [m for m in mail.outbox if word("a", "title") in m.body]
    # The positive control: the member of A would be told.
    user = world.personas["a_member"]
    preference_set(user=user, kind=NotificationKind.FOLLOWED_ITEM, email="immediate")
    notification = Notification.objects.get(recipient=user, page_id=world.items["a"].pk)
    assert send_notification_email.call(notification.pk) == 1


def test_reply_emails_reach_only_those_who_may_still_read(world):
    """Two members of A discuss A's item; one leaves; a reply tells only the one who stayed."""
    page, leaver, stayer = world.items["a"], world.personas["leaver"], world.personas["a_member"]
    for user in (leaver, stayer):
        preference_set(user=user, kind=NotificationKind.COMMENT_REPLY, email="immediate")
    top = world.comments["a"]
    add_comment(page, stayer, "Me too", parent=top)
    # The leaver had commented while a member (set-up: they left since).
    add_comment(page, leaver, "And me", parent=top)
    reply = add_comment(page, world.authors["a"], f"{word('a', 'body')} thanks", parent=top)
    mail.outbox.clear()
    send_reply_notifications.call(reply.pk)
    recipients = {tuple(message.to) for message in mail.outbox}
    assert (stayer.email,) in recipients
    assert (leaver.email,) not in recipients
    assert not Notification.objects.filter(recipient=leaver, comment_id=reply.pk).exists()


def test_removed_member_is_also_out(world):
    """The row stays, as "removed": it grants nothing."""
    membership = CommunityMembership.objects.get(user=world.personas["removed"])
    assert membership.state == CommunityMembership.State.REMOVED
    client = world.client("removed")
    assert client.get(world.items["a"].url).status_code == 403
