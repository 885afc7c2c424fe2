"""Profiles, follows, the feed and notifications in German (issue 18).

A member's profile (as a visitor and as its owner), the profile form and its
refusals, the feed, people like me, follower lists, blocks and mutes, the
notifications page and its settings, the unsubscribe page, the feeds' titles,
and the notification emails and the daily digest: each asked for by a German
visitor (``Accept-Language: de``) or by a member whose saved language is
German, and read by ``tests.german``. The test data is German, so only
interface text is left. English members still get English.
"""

import re

from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from taggit.models import Tag

import pytest
from bs4 import BeautifulSoup

from core.models import Condition
from social.models import (
    EmailDelivery,
    MemberBlock,
    MemberFollow,
    MemberMute,
    NotificationKind,
    NotificationPreference,
    Profile,
    TopicFollow,
)
from social.notifications.emails import unsubscribe_token
from social.notifications.services import _deliver
from social.notifications.tasks import send_daily_digests, send_notification_email
from social.templatetags.social_tags import relative_time
from tests.factories import BlogPageFactory, ProfileFactory, UserFactory
from tests.german import GERMAN, GERMAN_SUMMARY, assert_german, german_item

pytestmark = pytest.mark.django_db

BIO = "Seit 2019 mit MS. Radfahrerin, langsam."


def person(name, *, language="de", **profile):
    user = UserFactory(group="Members", display_name=name, language=language)
    ProfileFactory(user=user, bio=BIO, **profile)
    return user


def client_for(user=None, **headers):
    client = Client(**headers)
    if user is not None:
        client.force_login(user)
    return client


def told(recipient, kind, page=None, actor=None, verb=""):
    ((notification, _delivery),) = _deliver(
        recipient_ids=[recipient.pk], kind=kind, page=page, actor=actor, verb=verb, email=False
    )
    return notification


def without_addresses(text):
    """An email's text without its links: addresses are not words anybody reads."""
    return re.sub(r"https?://\S+", "", text)


def flashes(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def anna(portal):
    return person("Anna Adler", visibility=Profile.Visibility.EVERYONE)


@pytest.fixture
def bernd(portal):
    return person("Bernd Berg", visibility=Profile.Visibility.MEMBERS)


@pytest.fixture
def condition(portal):
    return Condition.objects.get_or_create(name="Multiple Sklerose")[0]


@pytest.fixture
def beitrag(blog_index, anna):
    tag = Tag.objects.create(name="Müdigkeit", slug="muedigkeit")
    return german_item(
        BlogPageFactory, parent=blog_index, author=anna, title="Kühlwesten im Sommer", tags=[tag]
    )


# Pages -----------------------------------------------------------------------------


def test_a_public_profile_is_german_for_a_visitor(anna, beitrag):
    response = Client(**GERMAN).get(anna.profile.get_absolute_url())

    assert response.status_code == 200
    assert_german(response, allowed=(GERMAN_SUMMARY, BIO))
    assert "Veröffentlicht von Anna Adler" in response.content.decode()


def test_ones_own_profile_is_german(anna, beitrag, condition):
    anna.profile.conditions.set([condition])

    response = client_for(anna).get(anna.profile.get_absolute_url())

    assert_german(response, allowed=(GERMAN_SUMMARY, BIO, condition.name))
    html = response.content.decode()
    assert "Dies ist Ihr Profil. Wer es sehen kann: Alle, auch Besucher" in html


def test_someone_elses_profile_with_its_buttons_is_german(anna, bernd, beitrag):
    response = client_for(bernd).get(anna.profile.get_absolute_url())

    assert_german(response, allowed=(GERMAN_SUMMARY, BIO))
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(".member-actions .follow-button")["aria-label"] == "Anna Adler folgen"


def test_the_profile_form_is_german(anna):
    response = client_for(anna).get(reverse("social:profile_edit"))

    assert_german(response, allowed=(BIO,))


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("display_name", "anna@example.org", "Ein Anzeigename darf keine E-Mail-Adresse sein."),
        ("display_name", "Anna\u202eAdler", "Bitte entfernen Sie unsichtbare Zeichen"),
        ("bio", "x" * 501, "höchstens 500 Zeichen"),
        ("visibility", "<script>alert(1)</script>", "gültige Auswahl"),
    ],
)
def test_the_profile_forms_refusals_are_german(anna, field, value, error):
    data = {"display_name": "Anna Adler", "bio": "", "visibility": "members", field: value}

    response = client_for(anna).post(reverse("social:profile_edit"), data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert_german(response)


def test_an_avatar_that_is_no_image_is_refused_in_german(anna):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bild.png", b"kein Bild", content_type="image/png")
    data = {"display_name": "Anna Adler", "visibility": "members", "avatar": upload}

    response = client_for(anna).post(reverse("social:profile_edit"), data)

    assert "kein JPEG-, PNG-, WebP- oder GIF-Bild" in response.content.decode()
    assert_german(response)


def test_saving_the_profile_says_so_in_german(anna):
    data = {"display_name": "Anna Adler", "bio": BIO, "visibility": "everyone"}

    response = client_for(anna).post(reverse("social:profile_edit"), data)

    assert response.status_code == 302
    assert flashes(response) == ["Ihr Profil wurde gespeichert."]


def test_an_empty_feed_with_its_suggestions_is_german(anna, beitrag):
    response = client_for(anna).get(reverse("social:feed"))

    assert_german(response)
    assert "Ihr Feed ist leer." in response.content.decode()


def test_a_feed_with_items_is_german(anna, bernd, beitrag):
    MemberFollow.objects.create(follower=bernd, followee=anna)

    response = client_for(bernd).get(reverse("social:feed"))

    assert beitrag.title in response.content.decode()
    assert_german(response, allowed=(GERMAN_SUMMARY,))


def test_people_like_me_is_german_opted_in_or_not(anna, bernd, condition):
    for user in (anna, bernd):
        user.profile.conditions.set([condition])
    Profile.objects.filter(user__in=[anna, bernd]).update(show_in_suggestions=True)

    response = client_for(bernd).get(reverse("social:people"))
    assert "Ebenfalls interessiert an:" in response.content.decode()
    assert_german(response, allowed=(condition.name,))

    Profile.objects.filter(user=bernd).update(show_in_suggestions=False)
    assert_german(client_for(bernd).get(reverse("social:people")))


@pytest.mark.parametrize("which", ["followers", "following"])
def test_follow_lists_are_german(anna, bernd, beitrag, which):
    MemberFollow.objects.create(follower=bernd, followee=anna)
    MemberFollow.objects.create(follower=anna, followee=bernd)
    TopicFollow.objects.create(follower=anna, tag=Tag.objects.get(slug="muedigkeit"))
    Profile.objects.filter(user=anna).update(show_follow_lists=True, show_followed_topics=True)

    response = client_for(bernd).get(reverse(f"social:{which}", args=[anna.profile.handle]))

    assert response.status_code == 200
    assert_german(response)


def test_empty_follow_lists_are_german_for_a_visitor(anna):
    Profile.objects.filter(user=anna).update(show_follow_lists=True)
    for which in ("followers", "following"):
        response = Client(**GERMAN).get(reverse(f"social:{which}", args=[anna.profile.handle]))
        assert_german(response)


def test_blocked_and_muted_members_are_german(anna, bernd):
    carla = person("Carla Czerny")
    MemberBlock.objects.create(blocker=anna, blocked=bernd)
    MemberMute.objects.create(muter=anna, muted=carla)

    response = client_for(anna).get(reverse("social:blocked_and_muted"))
    assert_german(response)
    assert_german(client_for(bernd).get(reverse("social:blocked_and_muted")))


def test_the_block_confirmation_is_german_both_ways(anna, bernd):
    url = reverse("social:member_block", args=[anna.profile.handle])
    assert_german(client_for(bernd).get(url), allowed=(BIO,))
    MemberBlock.objects.create(blocker=bernd, blocked=anna)
    assert_german(client_for(bernd).get(url), allowed=(BIO,))


def test_blocking_oneself_is_refused_in_german(anna):
    response = client_for(anna).get(reverse("social:member_block", args=[anna.profile.handle]))

    assert response.status_code == 400
    assert "Sie können sich nicht selbst blockieren." in response.content.decode()
    assert_german(response)


def test_following_oneself_is_refused_in_german(anna):
    response = client_for(anna).post(reverse("social:member_follow", args=[anna.profile.handle]))

    assert response.status_code == 400
    assert "Sie können sich nicht selbst folgen." in response.content.decode()
    assert_german(response)


def test_follow_mute_and_block_messages_are_german(anna, bernd):
    client = client_for(bernd)
    handle = anna.profile.handle

    def said(action):
        # The newest message (those of earlier requests wait for a page to show them).
        return flashes(client.post(reverse(f"social:{action}", args=[handle])))[-1:]

    assert said("member_mute") == [
        "Sie haben Anna Adler stummgeschaltet. Die Beiträge dieses Mitglieds erscheinen "
        "nicht mehr in Ihrem Feed."
    ]
    assert said("member_follow") == [
        "Sie folgen jetzt Anna Adler. Sie hatten dieses Mitglied stummgeschaltet: Durch das "
        "Folgen ist die Stummschaltung aufgehoben."
    ]
    assert said("member_unfollow") == ["Sie folgen Anna Adler nicht mehr."]
    assert said("member_block")[-1].startswith("Sie haben Anna Adler blockiert.")
    assert said("member_unblock") == ["Sie haben die Blockierung von Anna Adler aufgehoben."]


def test_following_a_topic_says_so_in_german(anna, bernd, beitrag):
    response = client_for(bernd).post(reverse("social:topic_follow", args=["muedigkeit"]))

    assert flashes(response) == ["Sie folgen jetzt dem Thema „Müdigkeit“."]


def test_the_tag_feeds_titles_are_german(anna, beitrag):
    response = Client(**GERMAN).get(reverse("social:tag_rss", args=["muedigkeit"]))

    body = response.content.decode()
    assert "<title>Thema „Müdigkeit“ · Kindred</title>" in body
    assert "Blogbeiträge, Fachartikel und Erfahrungsberichte zum Thema Müdigkeit." in body


def test_an_authors_feed_says_what_they_published_in_german(anna, beitrag):
    response = Client(**GERMAN).get(reverse("social:author_atom", args=[anna.profile.handle]))

    assert "Was Anna Adler auf Kindred veröffentlicht hat." in response.content.decode()


# Notifications ----------------------------------------------------------------------


def test_the_notifications_page_is_german(anna, bernd, beitrag):
    told(bernd, NotificationKind.NEW_FOLLOWER, actor=anna)
    told(bernd, NotificationKind.FOLLOWED_ITEM, page=beitrag, actor=anna)
    told(bernd, NotificationKind.COMMENT_REPLY, page=beitrag, actor=anna)

    response = client_for(bernd).get(reverse("notifications:list"))

    assert_german(response)
    soup = BeautifulSoup(response.content, "html.parser")
    texts = [" ".join(t.get_text(" ").split()) for t in soup.select(".notification-text")]
    assert texts[-1] == "Anna Adler folgt Ihnen jetzt."
    bell = soup.select_one("a.notification-bell")
    assert bell["aria-label"] == "Benachrichtigungen, 3 ungelesen"


def test_a_review_decision_notification_is_german(anna, beitrag):
    told(anna, NotificationKind.REVIEW_DECISION, page=beitrag, verb="changes_requested")

    response = client_for(anna).get(reverse("notifications:list"))

    assert "Die Prüfer bitten um Änderungen an „Kühlwesten im Sommer“." in (
        response.content.decode()
    )
    assert_german(response)


def test_no_notifications_yet_is_german(bernd):
    assert_german(client_for(bernd).get(reverse("notifications:list")))


def test_marking_all_read_says_so_in_german(anna, bernd):
    told(bernd, NotificationKind.NEW_FOLLOWER, actor=anna)

    response = client_for(bernd).post(reverse("notifications:mark_all_read"))

    assert flashes(response) == ["Alle Benachrichtigungen sind als gelesen markiert."]


def test_notification_settings_are_german_and_so_are_their_refusals(bernd):
    client = client_for(bernd)
    assert_german(client.get(reverse("notifications:settings")))

    refused = client.post(reverse("notifications:settings"), {"new_follower": "sofort"})
    assert refused.status_code == 400
    assert_german(refused)

    data = dict.fromkeys(NotificationKind.values, EmailDelivery.OFF)
    saved = client.post(reverse("notifications:settings"), data)
    assert flashes(saved) == ["Ihre Einstellungen für Benachrichtigungen wurden gespeichert."]


def test_the_unsubscribe_page_is_german(bernd):
    token = unsubscribe_token(user_id=bernd.pk, kind=NotificationKind.NEW_FOLLOWER)
    url = reverse("notifications:unsubscribe", args=[token])
    client = Client(**GERMAN)

    asked = client.get(url)
    assert "Keine E-Mails mehr zu „Jemand folgt mir“?" in asked.content.decode()
    assert_german(asked)
    assert_german(client.post(url))
    assert_german(client.get(reverse("notifications:unsubscribe", args=["kaputt"])))


def test_relative_times_are_german(bernd):
    from django.utils import translation

    now = timezone.now()
    with translation.override("de"):
        assert relative_time(now, now) == "gerade eben"
        assert relative_time(now - timezone.timedelta(days=2), now) == "vor\xa02\xa0Tagen"
        assert relative_time(now - timezone.timedelta(days=1), now) == "vor\xa01\xa0Tag"


# Emails ------------------------------------------------------------------------------


def _new_follower_email(recipient, actor, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(
        user=recipient, kind=NotificationKind.NEW_FOLLOWER, email=EmailDelivery.IMMEDIATE
    )
    notification = told(recipient, NotificationKind.NEW_FOLLOWER, actor=actor)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_notification_email.call(notification.pk) == 1
    return mail.outbox[-1]


def test_a_notification_email_to_a_german_member_is_german(
    anna, bernd, django_capture_on_commit_callbacks
):
    message = _new_follower_email(bernd, anna, django_capture_on_commit_callbacks)

    assert message.subject == "[Kindred] Anna Adler folgt Ihnen jetzt."
    assert message.body.startswith("Hallo Bernd Berg,")
    assert "Ihr Kindred-Team" in message.body
    assert_german(message.subject)
    assert_german(without_addresses(message.body))


def test_the_same_email_to_an_english_member_stays_english(
    anna, portal, django_capture_on_commit_callbacks
):
    erin = person("Erin English", language="en-gb")

    message = _new_follower_email(erin, anna, django_capture_on_commit_callbacks)

    assert message.subject == "[Kindred] Anna Adler started following you."
    assert message.body.startswith("Hello Erin English,")
    assert "The Kindred team" in message.body


def _digest(recipient, pages, author, django_capture_on_commit_callbacks):
    for page in pages:
        told(recipient, NotificationKind.FOLLOWED_ITEM, page=page, actor=author)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests.call() == 1
    return mail.outbox[-1]


def test_a_digest_of_one_is_german_and_singular(
    anna, bernd, beitrag, django_capture_on_commit_callbacks
):
    message = _digest(bernd, [beitrag], anna, django_capture_on_commit_callbacks)

    assert message.subject == "[Kindred] Ihre tägliche Zusammenfassung: 1 neue Benachrichtigung"
    assert "(1 Benachrichtigung)" in message.body
    assert "„Kühlwesten im Sommer“" in message.body
    assert_german(message.subject)
    assert_german(without_addresses(message.body))


def test_a_digest_of_two_is_german_and_plural(
    anna, bernd, beitrag, blog_index, django_capture_on_commit_callbacks
):
    second = BlogPageFactory(parent=blog_index, author=anna, title="Hitze und Erschöpfung")

    message = _digest(bernd, [beitrag, second], anna, django_capture_on_commit_callbacks)

    assert message.subject == "[Kindred] Ihre tägliche Zusammenfassung: 2 neue Benachrichtigungen"
    assert "(2 Benachrichtigungen)" in message.body
    assert "Keine E-Mails mehr zu „Neue Beiträge von Personen und Themen" in message.body
    assert_german(without_addresses(message.body))


def test_a_digest_to_an_english_member_stays_english(
    anna, beitrag, blog_index, portal, django_capture_on_commit_callbacks
):
    erin = person("Erin English", language="en-gb")
    second = BlogPageFactory(parent=blog_index, author=anna, title="Heat and fatigue")

    message = _digest(erin, [beitrag, second], anna, django_capture_on_commit_callbacks)

    assert message.subject == "[Kindred] Your daily digest: 2 new notifications"
    assert "(2 notifications)" in message.body
    assert "New blog post by Anna Adler: “Kühlwesten im Sommer”." in message.body
