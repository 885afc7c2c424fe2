"""Community managers appoint moderators and remove members in the Wagtail admin.

The memberships admin (``communities.admin_viewsets``) lists memberships with
filters, changes an active member's role, removes with a reason; the
"moderators are active members" rule answers as a form error; nobody but
managers (and superusers) reaches it.
"""

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest
from bs4 import BeautifulSoup

from accounts.models import User
from core import roles
from core.models import CommunityMembership
from core.refusals import Refused
from tests.factories import ProfileFactory, UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

INDEX = "memberships:index"
EDIT = "memberships:edit"
Role, State = CommunityMembership.Role, CommunityMembership.State

DISPLAY_NAME_MAX_LENGTH = User._meta.get_field("display_name").max_length


@pytest.fixture
def carers(community_index):
    return CommunityPageFactory(parent=community_index, title="Carers and family")


@pytest.fixture
def clinicians(community_index):
    return CommunityPageFactory(parent=community_index, title="Clinicians only", is_listed=False)


def _member(community, name, **kwargs):
    # A display name holds what the account form lets through (PostgreSQL refuses more).
    user = UserFactory(display_name=name[:DISPLAY_NAME_MAX_LENGTH], group=roles.MEMBERS)
    ProfileFactory(user=user)
    return CommunityMembershipFactory(community=community, user=user, **kwargs)


def _names_listed(body, names):
    """Which of ``names`` the list shows, each as the text of a row's title link."""
    soup = BeautifulSoup(body, "html.parser")
    listed = {link.get_text(strip=True) for link in soup.select("table tbody td a")}
    return {name for name in names if name in listed}


def _edit(client, membership, **data):
    return client.post(reverse(EDIT, args=(membership.pk,)), {"role": Role.MEMBER, **data})


def _fresh(membership):
    return CommunityMembership.objects.get(pk=membership.pk)


# --- The list -------------------------------------------------------------------------


def test_manager_lists_memberships_by_public_name_never_username_or_email(client, manager, carers):
    membership = _member(carers, "Tom's dad")
    client.force_login(manager)

    response = client.get(reverse(INDEX))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Tom&#x27;s dad" in body
    assert f"@{membership.user.profile.handle}" in body
    assert membership.user.username not in body
    assert membership.user.email not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=requested", {"Asking"}),
        ("state=active", {"Active", "Moderating", "Clinician"}),
        ("role=moderator", {"Moderating"}),
        ("community={clinicians}", {"Clinician"}),
        ("community={clinicians}&state=requested", set()),
        ("q=moder", {"Moderating"}),
    ],
)
def test_filters_by_community_state_role_and_name(
    client, manager, carers, clinicians, query, expected
):
    _member(carers, "Active")
    _member(carers, "Moderating", role=Role.MODERATOR)
    _member(carers, "Asking", state=State.REQUESTED, rules_version=None)
    _member(clinicians, "Clinician")
    names = {"Active", "Moderating", "Asking", "Clinician"}
    client.force_login(manager)

    response = client.get(reverse(INDEX) + "?" + query.format(clinicians=clinicians.pk))

    assert response.status_code == 200
    assert _names_listed(response.content.decode(), names) == expected


def test_list_queries_do_not_grow_with_memberships(
    client, manager, carers, clinicians, django_assert_max_num_queries
):
    _member(carers, "First")
    client.force_login(manager)
    client.get(reverse(INDEX))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse(INDEX))

    for number in range(8):
        _member(carers if number % 2 else clinicians, f"More {number}", role=Role.MODERATOR)
    with django_assert_max_num_queries(40) as many:
        response = client.get(reverse(INDEX))

    assert "More 7" in response.content.decode()
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "x" * 5000,
        "q=%00",
        "q=<script>alert(1)</script>",
        "state=nope",
        "role[]=moderator",
        "community=abc",
        "community=999999",
        "p=-1",
        "ordering=user__password",
    ],
)
def test_list_hostile_queries_answer_without_error(client, manager, carers, query):
    _member(carers, "Someone")
    client.force_login(manager)

    response = client.get(reverse(INDEX) + "?" + query)

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


# --- Appointing moderators --------------------------------------------------------------


def test_manager_makes_an_active_member_a_moderator_and_back(client, manager, carers):
    membership = _member(carers, "Helper")
    client.force_login(manager)

    promoted = _edit(client, membership, role=Role.MODERATOR)
    assert promoted.status_code == 302
    assert _fresh(membership).role == Role.MODERATOR
    assert _fresh(membership).decided_by == manager

    demoted = _edit(client, membership, role=Role.MEMBER)
    assert demoted.status_code == 302
    assert _fresh(membership).role == Role.MEMBER
    entries = ModelLogEntry.objects.filter(object_id=str(membership.pk), action="wagtail.edit")
    assert [entry.data["role"] for entry in entries.order_by("pk")] == ["moderator", "member"]


@pytest.mark.parametrize("state", [State.REQUESTED, State.INVITED, State.REFUSED, State.REMOVED])
def test_a_moderator_must_be_an_active_member_says_the_form(client, manager, carers, state):
    membership = _member(carers, "Not yet", state=state, rules_version=None)
    client.force_login(manager)

    response = _edit(client, membership, role=Role.MODERATOR)

    assert response.status_code == 200
    assert "Only a member can be a moderator" in response.content.decode()
    assert _fresh(membership).role == Role.MEMBER


def test_a_refusal_while_saving_is_said_on_the_form_not_as_an_error_page(
    client, manager, carers, monkeypatch
):
    """Someone left between the form's loading and its saving: the service refuses
    (tests/communities/test_admin_manager_services.py); the page says why."""
    from communities import admin_viewsets

    membership = _member(carers, "Leaving")

    def refuse(**kwargs):
        raise Refused("Leaving is not a member of Carers and family now (they left).", status=409)

    monkeypatch.setattr(admin_viewsets, "membership_role_set", refuse)
    client.force_login(manager)

    response = _edit(client, membership, role=Role.MODERATOR)

    assert response.status_code == 200
    assert "is not a member of Carers and family now" in response.content.decode()
    assert _fresh(membership).role == Role.MEMBER


# --- Removing ---------------------------------------------------------------------------


def test_manager_removes_a_moderator_with_a_reason(client, manager, carers):
    membership = _member(carers, "Moderator", role=Role.MODERATOR, show_on_profile=True)
    client.force_login(manager)

    response = _edit(client, membership, remove="on", reason="Shared a member's story outside.")

    fresh = _fresh(membership)
    assert response.status_code == 302
    assert (fresh.state, fresh.role) == (State.REMOVED, Role.MEMBER)
    assert fresh.reason == "Shared a member's story outside."
    assert fresh.decided_by == manager
    assert fresh.show_on_profile is False


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"remove": "on"}, "Say why"),
        ({"remove": "on", "reason": "   "}, "Say why"),
        ({"remove": "on", "reason": "x" * 501}, "at most 500 characters"),
        ({"role": "owner"}, "Select a valid choice"),
        ({"role": ""}, "This field is required"),
    ],
)
def test_removal_and_role_hostile_input_changes_nothing(client, manager, carers, data, field_error):
    membership = _member(carers, "Kept")
    client.force_login(manager)

    response = client.post(reverse(EDIT, args=(membership.pk,)), data)

    assert response.status_code == 200
    assert field_error in response.content.decode()
    fresh = _fresh(membership)
    assert (fresh.state, fresh.role, fresh.reason) == (State.ACTIVE, Role.MEMBER, "")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_reason_is_stored_as_text_and_shown_escaped(client, manager, carers, payload):
    membership = _member(carers, payload)
    client.force_login(manager)

    _edit(client, membership, remove="on", reason=payload)
    listing = client.get(reverse(INDEX) + "?state=removed")
    form = client.get(reverse(EDIT, args=(membership.pk,)))

    assert _fresh(membership).reason == payload
    assert_harmless(listing.content.decode(), "the memberships list")
    assert_harmless(form.content.decode(), "the membership form")


def test_removing_someone_not_active_is_a_form_error(client, manager, carers):
    membership = _member(carers, "Asked", state=State.REQUESTED, rules_version=None)
    client.force_login(manager)

    response = _edit(client, membership, remove="on", reason="No.")

    assert response.status_code == 200
    assert "Only a member can be removed" in response.content.decode()
    assert _fresh(membership).state == State.REQUESTED


def test_unknown_membership_answers_not_found(client, manager):
    client.force_login(manager)

    assert client.get(reverse(EDIT, args=(999999,))).status_code == 404
    assert client.post(reverse(EDIT, args=(999999,)), {"role": "member"}).status_code == 404


def test_no_adding_or_deleting_memberships_in_the_admin(client, superuser):
    client.force_login(superuser)

    assert client.get("/admin/memberships/new/").status_code == 404
    assert client.get("/admin/memberships/delete/1/").status_code == 404


# --- Who reaches it ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "medic", "expert", "member"])
def test_only_managers_and_superusers_reach_the_memberships_admin(request, client, carers, role):
    membership = _member(carers, "Private person")
    client.force_login(request.getfixturevalue(role))

    for url in (reverse(INDEX), reverse(EDIT, args=(membership.pk,))):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Private person" not in response.content.decode()
    posted = client.post(reverse(EDIT, args=(membership.pk,)), {"role": Role.MODERATOR})
    assert posted.status_code in (302, 403)
    assert _fresh(membership).role == Role.MEMBER


def test_menu_shows_memberships_to_managers_only(client, manager, editor):
    client.force_login(manager)
    assert reverse(INDEX) in client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(editor)
    assert reverse(INDEX) not in client.get(reverse("wagtailadmin_home")).content.decode()
