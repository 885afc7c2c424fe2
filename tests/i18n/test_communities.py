"""Communities, sharing and ratings in German (issue 18).

The directory, a community's page for each kind of viewer, joining and leaving
with their messages, the moderators' tools and page, invitations and their
notification, the share buttons, the continue and refusal pages, the star widget
and the rating endpoint's refusals: each asked for by a German visitor
(``Accept-Language: de``) or by a member whose saved language is German, and read
by ``tests.german``. The test data is German, so only interface text is left.
English members still get English.
"""

import json
import re

from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest
from bs4 import BeautifulSoup

from communities.selectors import policy_sentences
from core.models import Audience, CommunityIndexPage, CommunityMembership, CommunityPage
from discussion.models import CommentReport
from ratings.services import rating_upsert
from sharing.policy import Default, Facts, Rule, decide
from tests.discussion.conftest import add_comment
from tests.factories import ExperienceStoryPageFactory, ProfileFactory, UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.german import GERMAN, assert_german, german_item

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
State = CommunityMembership.State
Role = CommunityMembership.Role
OPEN, REQUEST, INVITATION = (
    CommunityPage.JoinPolicy.OPEN,
    CommunityPage.JoinPolicy.REQUEST,
    CommunityPage.JoinPolicy.INVITATION,
)
INTRO = "<p>Menschen im ersten Jahr mit MS und ihre Angehörigen.</p>"
RULES = "<p>Seien Sie freundlich. Keine medizinischen Ratschläge als Tatsache.</p>"


@pytest.fixture(autouse=True)
def german_directory(portal):
    """The directory's own intro (content, from setup_portal) in German."""
    CommunityIndexPage.objects.update(intro="<p>Geschlossene Gruppen für Betroffene.</p>")


def without_links(text):
    """An email's words without its addresses (a path is not a word anyone reads)."""
    return re.sub(r"https?://\S+", "", text)


def person(name, *, language="de"):
    user = UserFactory(group="Members", display_name=name, language=language)
    ProfileFactory(user=user)
    return user


def client_for(user=None, **headers):
    client = Client(**headers)
    if user is not None:
        client.force_login(user)
    return client


def visitor():
    return Client(**GERMAN)


def community(title="Neu diagnostiziert", policy=OPEN, **fields):
    return CommunityPageFactory(
        parent=CommunityIndexPage.objects.get(),
        title=title,
        intro=INTRO,
        rules=RULES,
        join_policy=policy,
        **fields,
    )


def member_of(place, user, **fields):
    return CommunityMembershipFactory(community=place, user=user, **fields)


def flashed(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def part(response, selector):
    """The HTML of one part of a page (a widget another helper's page carries)."""
    soup = BeautifulSoup(response.content, "html.parser")
    found = soup.select_one(selector)
    assert found is not None, f"no {selector} on the page"
    return str(found)


def rules(place):
    return {"accept_rules": "on", "rules_version": str(place.rules_version)}


def url(name, place):
    return reverse(f"communities:{name}", kwargs={"slug": place.slug})


# -- The directory ------------------------------------------------------------------


def test_the_directory_is_german_for_a_visitor_and_a_member(portal):
    place = community()
    community("Angehörige", policy=REQUEST)
    community("Geschlossener Kreis", policy=INVITATION)
    reader = person("Anna")
    member_of(place, reader)

    for client in (visitor(), client_for(reader)):
        response = client.get(CommunityIndexPage.objects.get().url)
        assert response.status_code == 200
        assert_german(response)
        text = response.content.decode()
        assert "Offen: Alle Angemeldeten können beitreten." in text
        assert "Auf Anfrage: Ein Moderator gibt jede Beitrittsanfrage frei." in text
        assert "Nur auf Einladung: Ein Moderator lädt jedes Mitglied ein." in text


def test_the_directory_counts_members_in_german_plurals(portal):
    one = community("Eins")
    two = community("Zwei")
    for place, names in ((one, ["Mia"]), (two, ["Ben", "Lea"])):
        for name in names:
            member_of(place, person(name), role=Role.MODERATOR)

    response = visitor().get(CommunityIndexPage.objects.get().url)

    soup = BeautifulSoup(response.content, "html.parser")
    counts = {
        card.select_one(".card-title").get_text(strip=True): card.select_one(
            ".community-counts"
        ).get_text(" ", strip=True)
        for card in soup.select(".community-card")
    }
    assert counts["Eins"].startswith("1 Mitglied ·")
    assert counts["Zwei"].startswith("2 Mitglieder ·")
    assert "Beiträge nur für Mitglieder" in counts["Eins"]


# -- A community's page, for each viewer ---------------------------------------------


def test_a_community_page_is_german_for_a_visitor(portal):
    place = community()
    member_of(place, person("Mia"), role=Role.MODERATOR)

    response = visitor().get(place.url)

    assert response.status_code == 200
    assert_german(response)
    assert "Zum Beitreten anmelden" in response.content.decode()


def test_an_invitation_only_community_tells_a_visitor_in_german(portal):
    place = community(policy=INVITATION)

    response = visitor().get(place.url)

    assert_german(response)
    assert "Melden Sie sich an</a>, um eine Einladung zu sehen." in response.content.decode()


@pytest.mark.parametrize(
    ("policy", "state", "words"),
    [
        (OPEN, None, "Beitreten"),
        (REQUEST, None, "Beitritt anfragen"),
        (INVITATION, None, "nur auf Einladung zugänglich"),
        (REQUEST, State.REQUESTED, "Ihre Anfrage wartet auf einen Moderator."),
        (INVITATION, State.INVITED, "Einladung annehmen"),
        (REQUEST, State.REFUSED, "Ihre Beitrittsanfrage wurde abgelehnt."),
        (OPEN, State.REMOVED, "Sie wurden aus dieser Gemeinschaft entfernt."),
        (OPEN, State.ACTIVE, "Sie sind Mitglied dieser Gemeinschaft."),
    ],
)
def test_a_community_page_is_german_for_each_standing(portal, policy, state, words):
    place = community(policy=policy)
    member_of(place, person("Mia"), role=Role.MODERATOR)
    reader = person("Jonas")
    if state is not None:
        reason = "Bitte stellen Sie sich zuerst vor." if state != State.ACTIVE else ""
        member_of(place, reader, state=state, reason=reason)

    response = client_for(reader).get(place.url)

    assert response.status_code == 200
    assert_german(response)
    assert words in response.content.decode()


def test_a_member_whose_rules_are_outdated_is_asked_in_german(portal):
    place = community()
    reader = person("Jonas")
    member_of(place, reader, rules_version=place.rules_version)
    CommunityPage.objects.filter(pk=place.pk).update(rules_version=place.rules_version + 1)

    response = client_for(reader).get(place.url)

    assert_german(response)
    text = response.content.decode()
    assert "Die Regeln haben sich geändert." in text
    assert f"Version {place.rules_version + 1}" in text


def test_a_moderator_sees_requests_members_and_tools_in_german(portal):
    place = community(policy=REQUEST)
    moderator = person("Mia")
    member_of(place, moderator, role=Role.MODERATOR)
    member_of(place, person("Ben"))
    member_of(place, person("Lea"), state=State.REQUESTED)

    response = client_for(moderator).get(place.url)

    assert_german(response)
    text = response.content.decode()
    assert "Beitrittsanfragen (1)" in text
    assert "Ein Mitglied über seinen Nutzernamen einladen" in text
    assert "Ben entfernen" in text
    assert "(Sie)" in text


# -- Joining and leaving --------------------------------------------------------------


def test_joining_and_leaving_say_so_in_german(portal):
    place = community()
    reader = person("Jonas")
    client = client_for(reader)

    joined = client.post(url("join", place), rules(place), follow=True)
    assert "Willkommen bei „Neu diagnostiziert“." in flashed(joined) or (
        "Willkommen bei „Neu diagnostiziert“." in joined.content.decode()
    )
    assert_german(joined)

    left = client.post(url("leave", place))
    assert flashed(left) == ["Sie haben „Neu diagnostiziert“ verlassen."]


def test_asking_to_join_answers_json_in_german(portal):
    place = community(policy=REQUEST)

    response = client_for(person("Jonas")).post(url("join", place), rules(place), **JSON)

    assert response.status_code == 200
    message = response.json()["message"]
    assert message.startswith("Ihre Anfrage, „Neu diagnostiziert“ beizutreten, wurde an")
    assert_german(message)


def test_an_english_member_still_joins_in_english(portal):
    place = community()

    response = client_for(person("Jo", language="en-gb")).post(url("join", place), rules(place))

    assert flashed(response) == ["Welcome to “Neu diagnostiziert”."]


def test_joining_without_the_rules_is_refused_in_german(portal):
    place = community()
    client = client_for(person("Jonas"))

    page = client.post(url("join", place), {"rules_version": str(place.rules_version)})
    assert page.status_code == 400
    assert_german(page)
    assert "kreuzen Sie das Kästchen an" in page.content.decode()

    answer = client.post(url("join", place), {"accept_rules": "on"}, **JSON)
    assert answer.status_code == 400
    assert answer.json()["error"] == "Lesen Sie die Regeln und akzeptieren Sie sie dann."


def test_stale_rules_and_invitation_only_are_refused_in_german(portal):
    place = community(policy=INVITATION)
    client = client_for(person("Jonas"))

    stale = client.post(url("join", place), {"accept_rules": "on", "rules_version": "99"}, **JSON)
    assert stale.status_code == 409
    assert_german(stale.json()["error"])

    closed = client.post(url("join", place), rules(place))
    assert closed.status_code == 403
    assert_german(closed)
    assert "ist nur auf Einladung offen" in closed.content.decode()


def test_a_visitor_posting_is_told_to_sign_in_in_german(portal):
    place = community()

    response = Client(**GERMAN).post(url("join", place), rules(place), **JSON)

    assert response.status_code == 401
    assert response.json()["error"] == "Melden Sie sich an, um in einer Gemeinschaft mitzumachen."


def test_an_unknown_community_is_german(portal):
    response = client_for(person("Jonas")).post(
        "/communities/gibt-es-nicht/join/", {"accept_rules": "on", "rules_version": "1"}, **JSON
    )

    assert response.status_code == 404
    assert response.json()["error"] == "Diese Gemeinschaft gibt es nicht."


def test_profile_listing_and_rules_messages_are_german(portal):
    place = community()
    reader = person("Jonas")
    member_of(place, reader)
    client = client_for(reader)

    shown = client.post(url("profile_listing", place), {"show": "on"})
    assert flashed(shown) == ["Ihr Profil zeigt „Neu diagnostiziert“."]
    hidden = client.post(url("profile_listing", place), {"show": ""})
    assert flashed(hidden)[-1:] == ["Ihr Profil zeigt „Neu diagnostiziert“ nicht."]
    accepted = client.post(url("rules_accept", place), rules(place))
    assert flashed(accepted)[-1:] == ["Sie haben die aktuellen Regeln akzeptiert."]


# -- Invitations and the moderators' decisions ---------------------------------------


def test_an_invitation_is_german_for_the_moderator_and_the_invitee(
    portal, django_capture_on_commit_callbacks
):
    place = community(policy=INVITATION)
    moderator = person("Mia")
    member_of(place, moderator, role=Role.MODERATOR)
    invitee = person("Jonas")

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(moderator).post(
            url("invite", place), {"handle": invitee.profile.handle}
        )
    assert flashed(response) == ["Jonas ist eingeladen und wird benachrichtigt."]

    page = client_for(invitee).get(place.url)
    assert_german(page)
    assert "Sie sind eingeladen, Neu diagnostiziert beizutreten." in page.content.decode()

    notifications = client_for(invitee).get("/notifications/")
    assert "Mia hat Sie eingeladen, „Neu diagnostiziert“ beizutreten." in (
        notifications.content.decode()
    )
    sent = [message for message in mail.outbox if invitee.email in message.to]
    if sent:  # by the invitee's email preference for invitations
        assert "Mia hat Sie eingeladen, „Neu diagnostiziert“ beizutreten." in sent[0].body

    accepted = client_for(invitee).post(url("invitation_accept", place), rules(place))
    assert flashed(accepted) == ["Willkommen bei „Neu diagnostiziert“."]


def test_the_invitation_sentence_follows_the_reader_language(portal):
    from communities.notifications import _decision_sentence, _invitation_sentence

    place = community()
    membership = member_of(place, person("Jonas"), state=State.INVITED)

    class Entry:
        actor_name = "Mia"

    with translation.override("en-gb"):
        assert _invitation_sentence(Entry, place, membership) == (
            "Mia invited you to join “Neu diagnostiziert”."
        )
    removed = member_of(place, person("Lea"), state=State.REMOVED, reason="Werbung.")

    class Decision:
        notification = type("N", (), {"verb": State.REMOVED})

    with translation.override("de"):
        assert _decision_sentence(Decision, place, removed) == (
            "Sie wurden aus „Neu diagnostiziert“ entfernt. Die Moderatoren schrieben: „Werbung.“"
        )


def test_moderators_refusals_and_decisions_are_german(portal):
    place = community(policy=REQUEST)
    moderator = person("Mia")
    member_of(place, moderator, role=Role.MODERATOR)
    asking = member_of(place, person("Lea"), state=State.REQUESTED)
    member = member_of(place, person("Ben"))
    client = client_for(moderator)

    nobody = client.post(url("invite", place), {"handle": "niemand-hier"}, **JSON)
    assert nobody.status_code == 400
    assert_german(nobody.json()["error"])

    no_reason = client.post(
        url("request_decide", place), {"membership": asking.pk, "decision": "refuse"}
    )
    assert no_reason.status_code == 400
    assert_german(no_reason)

    refused = client.post(
        url("request_decide", place),
        {"membership": asking.pk, "decision": "refuse", "reason": "Zuerst vorstellen."},
    )
    assert flashed(refused) == [
        "Die Anfrage von Lea wurde abgelehnt. Die Person erfährt den Grund."
    ]

    removed = client.post(
        url("member_remove", place), {"membership": member.pk, "reason": "Werbung."}
    )
    assert flashed(removed)[-1:] == ["Ben wurde entfernt. Die Person erfährt den Grund."]


def test_a_plain_member_cannot_moderate_and_is_told_in_german(portal):
    place = community()
    reader = person("Jonas")
    member_of(place, reader)

    response = client_for(reader).post(url("invite", place), {"handle": "mia"}, **JSON)

    assert response.status_code == 403
    assert response.json()["error"] == "Das können nur die Moderatoren dieser Gemeinschaft."


# -- The community's moderation page ----------------------------------------------------


@pytest.fixture
def queue(portal, story_index):
    place = community(moderation_preset=CommunityPage.ModerationPreset.HOLD_FIRST)
    moderator = person("Mia")
    member_of(place, moderator, role=Role.MODERATOR)
    writer = person("Ben")
    member_of(place, writer)
    item = german_item(
        ExperienceStoryPageFactory,
        parent=story_index,
        author=writer,
        title="Mein erstes Jahr",
        community=place,
        audience=Audience.COMMUNITY,
    )
    held = add_comment(item, writer, "Danke für diesen Bericht.", state="awaiting")
    reported = add_comment(item, writer, "Das ist doch Unsinn.")
    CommentReport.objects.create(
        comment=reported, reporter=moderator, reason="abusive", text="Unfreundlich."
    )
    return place, moderator, held, reported


def test_the_moderation_page_is_german(queue):
    place, moderator, _held, _reported = queue

    response = client_for(moderator).get(url("moderate", place))

    assert response.status_code == 200
    assert_german(
        response,
        allowed=("Danke für diesen Bericht.", "Das ist doch Unsinn.", "Unfreundlich."),
    )
    text = response.content.decode()
    assert "Warten auf Freigabe (1)" in text
    assert "1 Meldung" in text


def test_moderation_decisions_and_refusals_are_german(queue):
    place, moderator, held, _reported = queue
    client = client_for(moderator)
    decide_url = reverse("communities:moderate_comment", args=[place.slug])

    refused = client.post(decide_url, {"comment": "x", "action": "approve"})
    assert refused.status_code == 400
    assert_german(refused)
    assert "Wählen Sie einen Kommentar" in refused.content.decode()

    approved = client.post(decide_url, {"comment": held.pk, "action": "approve"})
    assert approved.status_code in (302, 303)
    assert_german(flashed(approved)[0])


# -- Sharing ----------------------------------------------------------------------------


@pytest.fixture
def public_story(portal, story_index):
    author = person("Ben")
    return german_item(
        ExperienceStoryPageFactory,
        parent=story_index,
        author=author,
        title="Mein erstes Jahr",
        may_be_shared=True,
    )


def test_the_share_buttons_and_arrival_are_german(public_story):
    response = visitor().get(public_story.url + "?via=share")

    assert response.status_code == 200
    assert_german(part(response, "section.share"))
    assert_german(part(response, "aside.share-arrival"))
    assert "Per E-Mail teilen" not in part(response, "section.share")  # the button says E-Mail
    assert ">E-Mail<" in part(response, "section.share")


def test_the_continue_page_is_german(public_story):
    client = visitor()

    for network, words in (("email", "Weiter zu Ihrem E-Mail-Programm"), ("copy", "Link kopieren")):
        shared = client.post(
            reverse("sharing:share", args=[public_story.pk, network]),
            HTTP_ORIGIN="http://testserver",
        )
        assert shared.status_code == 303
        page = client.get(shared["Location"])
        assert page.status_code == 200
        assert_german(page)
        assert words in page.content.decode()


def test_share_refusals_are_german(public_story):
    client = visitor()

    bad_server = client.post(
        reverse("sharing:share", args=[public_story.pk, "mastodon"]),
        {"instance": "kein server"},
        HTTP_ORIGIN="http://testserver",
    )
    assert bad_server.status_code == 400
    assert_german(bad_server)

    expired = client.get(reverse("sharing:continue") + "?t=abgelaufen")
    assert expired.status_code == 400
    assert_german(expired)

    elsewhere = Client(enforce_csrf_checks=True, **GERMAN).post(
        reverse("sharing:share", args=[public_story.pk, "x"]),
        HTTP_ORIGIN="https://anderswo.example",
    )
    assert elsewhere.status_code == 403
    assert_german(elsewhere)


def test_the_sharing_policy_gives_its_reasons_in_german():
    facts = Facts(
        content_type="experience_stories.experiencestorypage",
        community=None,
        network="x",
        is_public=True,
        kind_shareable=True,
        author_consents=False,
    )
    rule = Rule(
        pk=1,
        content_type="",
        community=None,
        network="x",
        allowed=True,
        needs_author_consent=True,
        label="Jeder Typ · jede Gemeinschaft · X: erlaubt",
    )
    with translation.override("de"):
        decision = decide(facts=facts, rules=[rule], default=Default(True, False))
        default = decide(facts=facts, rules=[], default=Default(False, False))
    assert decision.reason == (
        "Erlaubt durch die Regel „Jeder Typ · jede Gemeinschaft · X: erlaubt“ nur mit "
        "Einwilligung der Autorin oder des Autors, die nicht erteilt wurde."
    )
    assert default.reason == (
        "Nicht erlaubt durch die Voreinstellung der Website (keine Regel trifft zu)."
    )


# -- Ratings ----------------------------------------------------------------------------


@pytest.fixture
def rated_story(portal, story_index):
    return german_item(
        ExperienceStoryPageFactory,
        parent=story_index,
        author=person("Ben"),
        title="Mein erstes Jahr",
    )


def test_the_rating_widget_is_german_with_its_plurals(rated_story):
    reader = person("Jonas")
    client = client_for(reader)

    empty = client.get(rated_story.url)
    assert_german(part(empty, "section.rating"))
    assert "Noch keine Bewertungen" in part(empty, "section.rating")

    rating_upsert(page=rated_story, score=4, user=reader)
    one = part(client.get(rated_story.url), "section.rating")
    assert_german(one)
    assert "aus 1 Bewertung<" in one or "aus 1 Bewertung" in one
    assert "Ihre Bewertung: 4 Sterne" in one

    rating_upsert(page=rated_story, score=5, user=person("Lea"))
    two = part(client.get(rated_story.url), "section.rating")
    assert "Bewertet mit <strong>4,5</strong> von 5 Sternen aus 2 Bewertungen" in two
    soup = BeautifulSoup(two, "html.parser")
    assert [radio["value"] for radio in soup.select("input[name=score]")] == [
        "1",
        "2",
        "3",
        "4",
        "5",
    ]
    assert soup.select_one("label[for$='-1']").get_text(" ", strip=True) == "★ 1 Stern"
    assert soup.select_one("label[for$='-2']").get_text(" ", strip=True) == "★★ 2 Sterne"


def test_the_author_and_a_visitor_read_the_widget_in_german(rated_story):
    author_view = client_for(rated_story.author).get(rated_story.url)
    assert_german(part(author_view, "section.rating"))
    assert "Sie haben dies geschrieben" in part(author_view, "section.rating")

    visitor_view = visitor().get(rated_story.url)
    assert_german(part(visitor_view, "section.rating"))


def test_rating_answers_in_german_and_keeps_numbers_machine_readable(rated_story):
    client = client_for(person("Jonas"))
    rating_upsert(page=rated_story, score=4, user=person("Lea"))

    saved = client.post(f"/ratings/{rated_story.pk}/", {"score": "5"}, **JSON)
    assert saved.status_code == 200
    data = saved.json()
    assert data["average"] == 4.5 and data["count"] == 2
    assert data["message"] == "Danke: Ihre Bewertung mit 5 Sternen ist gespeichert."
    # The number stays a JSON number; only the worded summary writes it the German way.
    assert '"average": 4.5' in saved.content.decode()
    assert "4,5" in data["summary"]

    once = client_for(person("Mira")).post(f"/ratings/{rated_story.pk}/", {"score": "1"})
    assert flashed(once) == ["Danke: Ihre Bewertung mit 1 Stern ist gespeichert."]


def test_an_invalid_score_is_refused_in_german(rated_story):
    client = client_for(person("Jonas"))

    page = client.post(f"/ratings/{rated_story.pk}/", {"score": "9"})
    assert page.status_code == 400
    assert_german(page)
    text = page.content.decode()
    assert "Ihre Bewertung wurde nicht gespeichert" in text
    assert "Wählen Sie eine Bewertung von 1 bis 5 Sternen." in text

    answer = client.post(f"/ratings/{rated_story.pk}/", {"score": "4.5"}, **JSON)
    assert answer.status_code == 400
    assert answer.json()["error"] == "Wählen Sie eine Bewertung von 1 bis 5 Sternen."


def test_rating_ones_own_item_and_a_missing_item_are_refused_in_german(rated_story):
    own = client_for(rated_story.author).post(f"/ratings/{rated_story.pk}/", {"score": "5"}, **JSON)
    assert own.status_code == 403
    assert_german(own.json()["error"])

    missing = client_for(person("Jonas")).post("/ratings/999999/", {"score": "5"}, **JSON)
    assert missing.status_code == 404
    assert missing.json()["error"] == "Hier gibt es keinen veröffentlichten Beitrag zum Bewerten."


def test_an_english_member_still_rates_in_english(rated_story):
    client = client_for(person("Jo", language="en-gb"))

    saved = client.post(f"/ratings/{rated_story.pk}/", {"score": "1"}, **JSON)
    refused = client.post(f"/ratings/{rated_story.pk}/", {"score": "9"}, **JSON)

    assert saved.json()["message"] == "Thank you: your rating of 1 star is saved."
    assert refused.json()["error"] == "Choose a rating from 1 to 5 stars."


def test_card_ratings_say_the_average_in_german(rated_story, story_index):
    rating_upsert(page=rated_story, score=4, user=person("Lea"))
    rating_upsert(page=rated_story, score=5, user=person("Mira"))

    response = visitor().get(story_index.url)

    card = part(response, ".card-rating")
    assert_german(card)
    assert "Bewertet mit 4,5 von 5 Sternen aus 2 Bewertungen" in card


def test_policy_sentences_have_german_plurals(portal):
    place = community(moderation_preset=CommunityPage.ModerationPreset.HOLD_FIRST)
    with translation.override("de"):
        place.hold_first_count = 1
        assert "Der erste Kommentar eines neuen Mitglieds" in policy_sentences(place)[2]
        place.hold_first_count = 2
        assert "Die ersten 2 Kommentare eines neuen Mitglieds" in policy_sentences(place)[2]
    assert json.dumps(policy_sentences(place))


# -- The admin: memberships and the sharing "why" view ----------------------------------


def test_the_admin_memberships_and_sharing_why_are_german_for_a_german_manager(
    manager, rated_story
):
    manager.language = "de"
    manager.save(update_fields=["language"])
    place = community()
    member_of(place, person("Ben"))
    client = client_for(manager)

    memberships = client.get("/admin/memberships/")
    assert memberships.status_code == 200
    text = memberships.content.decode()
    assert "Mitgliedschaften" in text and "Nicht akzeptiert" not in text

    why = client.get(reverse("kindred_sharing:why", args=[rated_story.pk]))
    assert why.status_code == 200
    text = why.content.decode()
    assert "Netzwerk für Netzwerk" in text
    assert "Voreinstellung der Website" in text


def test_invitation_and_decision_emails_are_in_each_recipients_language(
    portal, django_capture_on_commit_callbacks
):
    place = community(policy=REQUEST)
    moderator = person("Mia", language="en-gb")
    member_of(place, moderator, role=Role.MODERATOR)
    jonas, jo = person("Jonas"), person("Jo", language="en-gb")
    lea = person("Lea")
    asking = member_of(place, lea, state=State.REQUESTED)
    client = client_for(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        for invitee in (jonas, jo):
            client.post(url("invite", place), {"handle": invitee.profile.handle})
        client.post(
            url("request_decide", place),
            {"membership": asking.pk, "decision": "refuse", "reason": "Bitte zuerst vorstellen."},
        )

    def email_to(user):
        (message,) = [message for message in mail.outbox if user.email in message.to]
        return message

    german_invitation = email_to(jonas)
    assert "Mia hat Sie eingeladen, „Neu diagnostiziert“ beizutreten." in german_invitation.subject
    assert_german(without_links(german_invitation.subject + "\n" + german_invitation.body))
    english_invitation = email_to(jo)
    assert "Mia invited you to join “Neu diagnostiziert”." in english_invitation.subject
    decision = email_to(lea)
    assert (
        "Ihre Anfrage, „Neu diagnostiziert“ beizutreten, wurde abgelehnt. "
        "Die Moderatoren schrieben: „Bitte zuerst vorstellen.“"
    ) in decision.body
    assert_german(
        without_links(decision.subject + "\n" + decision.body),
        allowed=("Bitte zuerst vorstellen.",),
    )
