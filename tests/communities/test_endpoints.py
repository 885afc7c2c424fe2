"""The membership endpoints: POST only, signed in, CSRF; 303 with a message, JSON, refusals."""

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

import pytest

from tests.html import without_csrf_tokens

from .members_world import (
    INVITATION,
    OPEN,
    REQUEST,
    State,
    community,
    member_of,
    moderator_of,
    person,
    row,
)

pytestmark = pytest.mark.django_db

ACTIONS = (
    "join",
    "leave",
    "rules_accept",
    "invitation_accept",
    "invitation_decline",
    "profile_listing",
    "invite",
    "request_decide",
    "member_remove",
)
JSON = {"HTTP_ACCEPT": "application/json"}


def url(name, place):
    return reverse(f"communities:{name}", kwargs={"slug": place.slug})


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def rules(place):
    return {"accept_rules": "on", "rules_version": str(place.rules_version)}


def flashed(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("name", ACTIONS)
def test_every_action_answers_get_with_405(portal, name):
    place = community(OPEN)

    response = signed_in(person()).get(url(name, place))

    assert response.status_code == 405


@pytest.mark.parametrize("name", ACTIONS)
def test_a_visitor_is_sent_to_sign_in_and_back_to_the_community(portal, name):
    place = community(OPEN)

    response = Client().post(url(name, place), rules(place))

    assert response.status_code == 303
    assert response["Location"].startswith(reverse("account_login"))
    assert f"next={place.url.replace('/', '%2F')}" in response["Location"]
    assert row(place, None) is None


def test_a_visitor_asking_for_json_gets_401_with_where_to_sign_in(portal):
    place = community(OPEN)

    response = Client().post(url("join", place), rules(place), **JSON)

    assert response.status_code == 401
    assert response.json()["login_url"].startswith(reverse("account_login"))


def test_posts_without_the_csrf_token_are_refused(portal):
    place, alice = community(OPEN), person()

    response = signed_in(alice, enforce_csrf_checks=True).post(url("join", place), rules(place))

    assert response.status_code == 403
    assert row(place, alice) is None


def test_joining_redirects_to_the_community_with_a_message(portal, django_assert_max_num_queries):
    place, alice = community(OPEN), person()
    client = signed_in(alice)

    # The consent ledger's entry and its audit-log line (issue 16) add five on a cold
    # content-type cache: the two inserts and Wagtail's lookups for the log line.
    with django_assert_max_num_queries(23):
        response = client.post(url("join", place), rules(place))

    assert response.status_code == 303
    assert response["Location"] == place.url
    assert flashed(response) == [f"Welcome to “{place.title}”."]
    assert row(place, alice).state == "active"
    assert response["Cache-Control"].count("no-store") == 1


def test_joining_answers_json_when_asked(portal):
    place, alice = community(REQUEST), person()

    response = signed_in(alice).post(url("join", place), rules(place), **JSON)

    assert response.status_code == 200
    assert response.json()["state"] == "requested"
    assert "sent to its moderators" in response.json()["message"]


def test_stale_rules_are_409_with_words(portal):
    place, alice = community(OPEN), person()
    place.rules_version = 4
    place.save()

    page = signed_in(alice).post(url("join", place), {"accept_rules": "on", "rules_version": "3"})
    data = signed_in(alice).post(
        url("join", place), {"accept_rules": "on", "rules_version": "3"}, **JSON
    )

    assert page.status_code == 409 and "read them again" in page.content.decode()
    assert data.status_code == 409 and "read them again" in data.json()["error"]
    assert row(place, alice) is None


def test_invitation_only_join_is_403(portal):
    place, alice = community(INVITATION), person()

    response = signed_in(alice).post(url("join", place), rules(place))

    assert response.status_code == 403
    assert "invitation only" in response.content.decode()


def test_unknown_slug_is_404(portal):
    response = signed_in(person()).post("/communities/no-such-place/join/", {})

    assert response.status_code == 404


def test_an_unlisted_community_is_404_to_outsiders_and_there_for_the_invited(portal):
    place = community(INVITATION, is_listed=False)
    mod, outsider, invitee = moderator_of(place), person("Out"), person("In")

    hidden = signed_in(outsider).post(url("join", place), rules(place))
    signed_in(mod).post(url("invite", place), {"handle": invitee.profile.handle})
    accepted = signed_in(invitee).post(url("invitation_accept", place), rules(place))

    assert hidden.status_code == 404
    assert accepted.status_code == 303 and row(place, invitee).state == "active"


def test_leaving_an_unlisted_community_goes_back_to_the_directory(portal):
    place = community(INVITATION, is_listed=False)
    member = member_of(place, "Mem")

    response = signed_in(member.user).post(url("leave", place))

    assert response.status_code == 303
    assert response["Location"] == "/communities/"
    assert row(place, member.user) is None


def test_a_moderator_decides_a_request_with_a_reason(portal):
    place = community(REQUEST)
    mod, asking = moderator_of(place), member_of(place, "Asker", state=State.REQUESTED)

    response = signed_in(mod).post(
        url("request_decide", place),
        {"membership": str(asking.pk), "decision": "refuse", "reason": "Carers only"},
    )

    assert response.status_code == 303 and response["Location"] == place.url
    assert flashed(response) == ["Asker's request was refused. They will be told why."]
    asking.refresh_from_db()
    assert (asking.state, asking.reason) == ("refused", "Carers only")


def test_someone_elses_membership_id_is_404_like_a_missing_one(portal):
    here, there = community(REQUEST), community(REQUEST)
    mod = moderator_of(here)
    elsewhere = member_of(there, "Far", state=State.REQUESTED)
    client = signed_in(mod)

    other = client.post(
        url("request_decide", here), {"membership": str(elsewhere.pk), "decision": "approve"}
    )
    missing = client.post(
        url("request_decide", here), {"membership": "999999", "decision": "approve"}
    )
    removal = client.post(
        url("member_remove", here), {"membership": str(elsewhere.pk), "reason": "x"}
    )

    assert other.status_code == missing.status_code == removal.status_code == 404
    assert without_csrf_tokens(other.content.decode()) == without_csrf_tokens(
        missing.content.decode()
    )
    assert row(there, elsewhere.user).state == "requested"


def test_a_plain_member_cannot_decide_invite_or_remove(portal):
    place = community(REQUEST)
    plain, asking = member_of(place, "Plain").user, member_of(place, "A", state=State.REQUESTED)
    client = signed_in(plain)

    answers = [
        client.post(url("request_decide", place), {"membership": asking.pk, "decision": "approve"}),
        client.post(url("invite", place), {"handle": person("New").profile.handle}),
        client.post(url("member_remove", place), {"membership": asking.pk, "reason": "r"}),
    ]

    assert [answer.status_code for answer in answers] == [403, 403, 403]
    assert row(place, asking.user).state == "requested"


def test_oversized_reason_is_400_and_nothing_is_stored(portal):
    place = community(OPEN)
    mod, member = moderator_of(place), member_of(place, "Mem")

    response = signed_in(mod).post(
        url("member_remove", place), {"membership": str(member.pk), "reason": "x" * 501}
    )

    assert response.status_code == 400
    assert "500 characters" in response.content.decode()
    member.refresh_from_db()
    assert (member.state, member.reason) == ("active", "")


def test_profile_listing_toggles(portal):
    place = community(OPEN)
    member = member_of(place, "Mem")
    client = signed_in(member.user)

    client.post(url("profile_listing", place), {"show": "on"})
    shown = row(place, member.user).show_on_profile
    client.post(url("profile_listing", place), {"show": ""})

    assert shown is True and row(place, member.user).show_on_profile is False


def test_rules_accept_and_invitation_decline_answer_with_messages(portal):
    place = community(INVITATION)
    mod, member, invitee = moderator_of(place), member_of(place, "Mem"), person("Inv")
    signed_in(mod).post(url("invite", place), {"handle": invitee.profile.handle})
    place.rules_version += 1
    place.save()

    accepted = signed_in(member.user).post(url("rules_accept", place), rules(place))
    declined = signed_in(invitee).post(url("invitation_decline", place))

    assert flashed(accepted) == ["Thank you: you accepted the current rules."]
    assert row(place, member.user).rules_version == place.rules_version
    assert flashed(declined) == ["You declined the invitation."]
    assert row(place, invitee) is None
