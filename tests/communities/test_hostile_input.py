"""Hostile input to the membership endpoints: scripts, sizes, types, missing fields, others' ids."""

from django.test import Client
from django.urls import reverse

import pytest

from core.models import CommunityMembership

from .members_world import OPEN, REQUEST, State, community, member_of, moderator_of, person, row

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def url(name, place):
    return reverse(f"communities:{name}", kwargs={"slug": place.slug})


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_script_in_a_refusal_reason_is_stored_as_text_and_shown_escaped(portal):
    place = community(REQUEST)
    mod, asking = moderator_of(place), member_of(place, "Asker", state=State.REQUESTED)

    signed_in(mod).post(
        url("request_decide", place),
        {"membership": asking.pk, "decision": "refuse", "reason": XSS},
    )
    page = signed_in(asking.user).get(reverse("notifications:list"))

    assert row(place, asking.user).reason == XSS
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_script_as_a_handle_is_refused_without_echoing_it(portal):
    place = community(OPEN)

    response = signed_in(moderator_of(place)).post(url("invite", place), {"handle": XSS[:60]})

    assert response.status_code == 400
    assert "<script>" not in response.content.decode()
    assert CommunityMembership.objects.filter(state=State.INVITED).count() == 0


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"accept_rules": "on"},
        {"accept_rules": "on", "rules_version": "one"},
        {"accept_rules": "on", "rules_version": "-1"},
        {"accept_rules": "on", "rules_version": "1" * 40},
        {"accept_rules": "on", "rules_version": "1\x00"},
        {"accept_rules": "on", "rules_version": ["1", "2"]},
    ],
)
def test_join_with_missing_or_malformed_rules_is_400_and_stores_nothing(portal, data):
    place, alice = community(OPEN), person()

    response = signed_in(alice).post(url("join", place), data)

    assert response.status_code in (400, 409)
    assert row(place, alice) is None


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"decision": "approve"},
        {"membership": "abc", "decision": "approve"},
        {"membership": "1 OR 1=1", "decision": "approve"},
        {"membership": str(2**70), "decision": "approve"},
        {"membership": "0", "decision": "approve"},
        {"membership": "{id}", "decision": "delete"},
        {"membership": "{id}", "decision": ""},
        {"membership": "{id}", "decision": "refuse"},
        {"membership": "{id}", "decision": "refuse", "reason": "x" * 501},
    ],
)
def test_request_decide_with_bad_input_is_400_and_changes_nothing(portal, data):
    place = community(REQUEST)
    mod, asking = moderator_of(place), member_of(place, "A", state=State.REQUESTED)
    if data.get("membership") == "{id}":
        data = {**data, "membership": str(asking.pk)}

    response = signed_in(mod).post(url("request_decide", place), data)

    assert response.status_code == 400
    assert row(place, asking.user).state == "requested"


@pytest.mark.parametrize(
    "data",
    [{}, {"membership": "{id}"}, {"membership": "{id}", "reason": "   "}, {"reason": "x"}],
)
def test_member_remove_with_missing_fields_is_400(portal, data):
    place = community(OPEN)
    mod, member = moderator_of(place), member_of(place, "M")
    if data.get("membership") == "{id}":
        data = {**data, "membership": str(member.pk)}

    response = signed_in(mod).post(url("member_remove", place), data)

    assert response.status_code == 400
    assert row(place, member.user).state == "active"


def test_an_oversized_handle_or_slug_is_refused_cleanly(portal):
    place = community(OPEN)
    client = signed_in(moderator_of(place))

    handle = client.post(url("invite", place), {"handle": "a" * 5000})
    slug = client.post(f"/communities/{'a' * 5000}/join/", {})

    assert handle.status_code == 400
    assert slug.status_code == 404


def test_json_refusals_carry_the_words(portal):
    place = community(OPEN)
    mod, member = moderator_of(place), member_of(place, "M")

    response = signed_in(mod).post(
        url("member_remove", place),
        {"membership": member.pk, "reason": "x" * 501},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert "500 characters" in response.json()["error"]
