"""/people/: suggestions only among opted-in members, naming only the conditions shared."""

from django.utils.text import slugify

import pytest

from core.models import Condition
from social.services import block_create, follow_create
from tests.social.helpers import EVERYONE, MEMBERS, ONLY_ME, person
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

# Measured on SQLite; the same for 1 or 20 suggestions.
PEOPLE_QUERIES = 13


@pytest.fixture
def conditions(portal):
    return {
        name: Condition.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in ("Multiple sclerosis", "Migraine", "Epilepsy", "Lupus")
    }


@pytest.fixture
def me(conditions):
    return person(
        "Me Myself",
        show_in_suggestions=True,
        conditions=[conditions["Multiple sclerosis"], conditions["Migraine"]],
    )


def people_page(client, viewer):
    client.force_login(viewer)
    response = client.get("/people/")
    assert response.status_code == 200
    return response.content.decode()


def test_suggests_opted_in_members_sharing_a_condition(client, me, conditions):
    ms, migraine, epilepsy = (
        conditions["Multiple sclerosis"],
        conditions["Migraine"],
        conditions["Epilepsy"],
    )
    person("Both Shared", show_in_suggestions=True, conditions=[ms, migraine])
    person("One Shared", show_in_suggestions=True, conditions=[ms, epilepsy])
    person("Not Opted In", show_in_suggestions=False, conditions=[ms])
    person("Nothing Shared", show_in_suggestions=True, conditions=[epilepsy])

    html = people_page(client, me)

    assert "Both Shared" in html and "One Shared" in html
    assert "Not Opted In" not in html and "Nothing Shared" not in html
    # Most shared conditions first.
    assert html.index("Both Shared") < html.index("One Shared")
    # Only shared conditions are named, never the member's others.
    assert "Epilepsy" not in html
    assert 'aria-label="Follow One Shared"' in html


def test_viewer_who_did_not_opt_in_sees_nobody_and_is_told_why(client, conditions):
    ms = conditions["Multiple sclerosis"]
    shy = person("Shy Sam", show_in_suggestions=False, conditions=[ms])
    person("Open Olga", show_in_suggestions=True, conditions=[ms])

    html = people_page(client, shy)

    assert "Open Olga" not in html
    assert "nobody learns others' conditions without sharing theirs" in html
    assert 'href="/me/profile/"' in html


@pytest.mark.parametrize("case", ["self", "followed", "blocked", "blocker", "only_me", "inactive"])
def test_who_is_never_suggested(client, me, conditions, case):
    ms = conditions["Multiple sclerosis"]
    other = person("Candidate Cat", show_in_suggestions=True, conditions=[ms])
    if case == "followed":
        follow_create(follower=me, followee=other)
    elif case == "blocked":
        block_create(blocker=me, blocked=other)
    elif case == "blocker":
        block_create(blocker=other, blocked=me)
    elif case == "only_me":
        other.profile.visibility = ONLY_ME
        other.profile.save()
    elif case == "inactive":
        other.is_active = False
        other.save()

    html = people_page(client, me)

    if case == "self":
        assert "Candidate Cat" in html
        assert 'aria-label="Follow Me Myself"' not in html
    else:
        assert "Candidate Cat" not in html


def test_members_and_public_profiles_are_both_suggested(client, me, conditions):
    ms = conditions["Multiple sclerosis"]
    person("Public Pia", visibility=EVERYONE, show_in_suggestions=True, conditions=[ms])
    person("Members Max", visibility=MEMBERS, show_in_suggestions=True, conditions=[ms])

    html = people_page(client, me)

    assert "Public Pia" in html and "Members Max" in html


def test_people_page_needs_signing_in(client):
    assert client.get("/people/").status_code == 302


@pytest.mark.parametrize("count", [1, 20])
def test_people_queries_do_not_grow(client, me, conditions, django_assert_max_num_queries, count):
    ms = conditions["Multiple sclerosis"]
    for number in range(count):
        person(f"Suggested {number}", show_in_suggestions=True, conditions=[ms])
    client.force_login(me)

    with django_assert_max_num_queries(PEOPLE_QUERIES):
        response = client.get("/people/")

    assert response.content.decode().count('aria-label="Follow Suggested') == min(count, 12)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_names_are_inert(client, me, conditions, payload):
    # Named after the profile exists: a handle is made once, slugified, from the first name.
    hostile = person("Hostile", show_in_suggestions=True, conditions=[conditions["Migraine"]])
    hostile.display_name = payload[:60]
    hostile.save()
    assert_harmless(people_page(client, me))


def test_an_only_me_profile_sees_no_suggestions_since_it_is_never_suggested(client, conditions):
    ms = conditions["Multiple sclerosis"]
    hidden = person("Hidden Hal", visibility=ONLY_ME, show_in_suggestions=True, conditions=[ms])
    person("Open Olga", show_in_suggestions=True, conditions=[ms])

    html = people_page(client, hidden)

    assert "Open Olga" not in html
    assert "let at least signed-in members see your profile" in html
