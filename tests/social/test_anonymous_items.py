"""Finding 8 (issue 10): an anonymous item is never treated by who wrote it.

Whatever ties a reader has with its real author (a mute, a block either way, a
follow), an anonymous story reaches them exactly as an anonymous story by a
stranger does: in the feed, in notifications and their emails, in listings and
in search. Only named items are filtered by their author.
"""

from django.core import mail
from django.urls import reverse

import pytest

from social.models import (
    EmailDelivery,
    MemberBlock,
    MemberFollow,
    MemberMute,
    Notification,
    NotificationKind,
)
from tests.factories import ExperienceStoryPageFactory
from tests.social.helpers import person
from tests.social.notifications.conftest import follow_topic, prefer

pytestmark = pytest.mark.django_db

TIES = {
    "muted": lambda reader, author: MemberMute.objects.create(muter=reader, muted=author),
    "blocked": lambda reader, author: MemberBlock.objects.create(blocker=reader, blocked=author),
    "blocked by": lambda reader, author: MemberBlock.objects.create(blocker=author, blocked=reader),
    "followed": lambda reader, author: MemberFollow.objects.create(
        follower=reader, followee=author
    ),
}


def story(story_index, author, title, *, anonymous=True):
    return ExperienceStoryPageFactory(
        parent=story_index,
        author=author,
        is_anonymous=anonymous,
        title=title,
        tags=["Pacing"],
    )


def observed(client, reader, page):
    """Everything ``reader`` can observe about ``page``: one tuple to compare."""
    client.force_login(reader)
    feed = client.get("/feed/").content.decode()
    tag_listing = client.get("/tags/pacing/").content.decode()
    results = client.get(reverse("search:results"), {"q": page.title}).content.decode()
    notices = Notification.objects.filter(
        recipient=reader, page_id=page.pk, kind=NotificationKind.FOLLOWED_ITEM
    )
    emails = [message for message in mail.outbox if page.title in message.subject]
    listing = client.get(reverse("notifications:list")).content.decode()
    return {
        "in feed": page.title in feed,
        "in tag listing": page.title in tag_listing,
        "in search": page.title in results,
        "notified": notices.count(),
        "named in a notice": notices.filter(actor__isnull=False).exists(),
        "emailed": len(emails),
        "in notification list": page.title in listing,
    }


@pytest.mark.parametrize("tie", sorted(TIES))
@pytest.mark.parametrize("follows_topic", [True, False], ids=["topic", "no-topic"])
def test_an_anonymous_story_by_someone_tied_to_the_reader_is_seen_like_a_strangers(
    client, story_index, django_capture_on_commit_callbacks, tie, follows_topic
):
    reader, author, stranger = person("Reader R"), person("Author A"), person("Stranger S")
    prefer(reader, NotificationKind.FOLLOWED_ITEM, EmailDelivery.IMMEDIATE)
    if follows_topic:
        follow_topic(reader, "Pacing")
    TIES[tie](reader, author)

    with django_capture_on_commit_callbacks(execute=True):
        by_author = story(story_index, author, "Pacing through a relapse")
        by_stranger = story(story_index, stranger, "Pacing after a holiday")
        named = story(story_index, author, "Pacing with my name on it", anonymous=False)

    seen = observed(client, reader, by_author)
    assert seen == observed(client, reader, by_stranger)
    assert seen["named in a notice"] is False
    if follows_topic:
        # Not vacuous: the topic follow brings both in, notifies and emails once.
        assert seen["in feed"] and seen["notified"] == 1 and seen["emailed"] == 1
    else:
        # Following the author must not bring in their anonymous stories.
        assert not seen["in feed"] and seen["notified"] == 0 and seen["emailed"] == 0
    # Named items still follow the tie (mutes and blocks keep them out of the feed).
    named_in_feed = observed(client, reader, named)["in feed"]
    assert named_in_feed is (tie == "followed")
