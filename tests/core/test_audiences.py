"""The one readability rule with audiences: who reads an everyone, members-only or community item.

The expected readers are worked out from the personas' memberships here, not
by asking the code under test; every test has a positive control (someone who
does read the item), so a rule that hid everything would fail too.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from wagtail.models import Page

import pytest

from core.forms import CommunityPageForm
from core.models import (
    Audience,
    CommunityIndexPage,
    CommunityMembership,
    CommunityPage,
    ContentPage,
    audience_is_narrowing,
)
from core.selectors import ItemAccess, community_visible, item_access, readable_content
from tests.factories import BlogPageFactory, UserFactory

State = CommunityMembership.State


def _community(title, *, listed=True):
    index = CommunityIndexPage.objects.get()
    page = CommunityPage(title=title, rules="<p>Be kind.</p>", is_listed=listed)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _membership(community, user, state=State.ACTIVE):
    return CommunityMembership.objects.create(
        community=community, user=user, state=state, rules_version=community.rules_version
    )


@pytest.fixture
def world(blog_index):
    """Two communities (one unlisted), an item for each audience, and who belongs where."""
    listed = _community("Newly diagnosed")
    unlisted = _community("Progressive MS", listed=False)
    people = {
        "visitor": AnonymousUser(),
        "outsider": UserFactory(),
        "listed member": UserFactory(),
        "unlisted member": UserFactory(),
        "requested": UserFactory(),
        "invited": UserFactory(),
        "removed": UserFactory(),
        "refused": UserFactory(),
    }
    _membership(listed, people["listed member"])
    _membership(unlisted, people["unlisted member"])
    _membership(listed, people["requested"], State.REQUESTED)
    _membership(unlisted, people["invited"], State.INVITED)
    _membership(listed, people["removed"], State.REMOVED)
    _membership(listed, people["refused"], State.REFUSED)
    items = {
        "public": BlogPageFactory(parent=blog_index, title="Public canary"),
        "members": BlogPageFactory(
            parent=blog_index, title="Members canary", audience=Audience.MEMBERS
        ),
        "listed": BlogPageFactory(
            parent=blog_index,
            title="Listed canary",
            audience=Audience.COMMUNITY,
            community=listed,
        ),
        "unlisted": BlogPageFactory(
            parent=blog_index,
            title="Unlisted canary",
            audience=Audience.COMMUNITY,
            community=unlisted,
        ),
    }
    return {"people": people, "items": items, "listed": listed, "unlisted": unlisted}


def _expected_readers(item_key, person_key):
    """Who may read what, written out from the personas' names (not from the code)."""
    signed_in = person_key != "visitor"
    return {
        "public": True,
        "members": signed_in,
        "listed": person_key == "listed member",
        "unlisted": person_key == "unlisted member",
    }[item_key]


PEOPLE = [
    "visitor",
    "outsider",
    "listed member",
    "unlisted member",
    "requested",
    "invited",
    "removed",
    "refused",
]


@pytest.mark.parametrize("person_key", PEOPLE)
def test_readable_content_holds_each_item_to_its_audience(world, person_key):
    user = world["people"][person_key]
    readable = set(readable_content(user=user).values_list("pk", flat=True))
    for item_key, item in world["items"].items():
        assert (item.pk in readable) is _expected_readers(item_key, person_key), (
            item_key,
            person_key,
        )


def test_nobody_in_particular_reads_public_items_only(world):
    readable = set(readable_content(user=None).values_list("pk", flat=True))
    assert readable == {world["items"]["public"].pk}


@pytest.mark.parametrize("person_key", PEOPLE)
def test_pages_of_any_type_pass_the_same_rule(world, person_key):
    """Search's promoted picks read ``Page`` rows: items and communities keep their rule there."""
    user = world["people"][person_key]
    ids = [item.pk for item in world["items"].values()]
    ids += [world["listed"].pk, world["unlisted"].pk, world["listed"].get_parent().pk]
    readable = set(
        readable_content(user=user, queryset=Page.objects.filter(pk__in=ids)).values_list(
            "pk", flat=True
        )
    )
    for item_key, item in world["items"].items():
        assert (item.pk in readable) is _expected_readers(item_key, person_key)
    assert world["listed"].pk in readable
    assert world["listed"].get_parent().pk in readable
    sees_unlisted = person_key in ("unlisted member", "invited")
    assert (world["unlisted"].pk in readable) is sees_unlisted


def test_leaving_closes_the_community_at_once(world):
    member = world["people"]["listed member"]
    item = world["items"]["listed"]
    assert readable_content(user=member).filter(pk=item.pk).exists()
    CommunityMembership.objects.filter(user=member).delete()
    assert not readable_content(user=member).filter(pk=item.pk).exists()


@pytest.mark.parametrize(
    ("person_key", "item_key", "expected"),
    [
        ("visitor", "public", ItemAccess.READ),
        ("visitor", "members", ItemAccess.SIGN_IN),
        ("visitor", "listed", ItemAccess.JOIN),
        ("visitor", "unlisted", ItemAccess.HIDDEN),
        ("outsider", "members", ItemAccess.READ),
        ("outsider", "listed", ItemAccess.JOIN),
        ("outsider", "unlisted", ItemAccess.HIDDEN),
        ("unlisted member", "listed", ItemAccess.JOIN),
        ("listed member", "unlisted", ItemAccess.HIDDEN),
        ("listed member", "listed", ItemAccess.READ),
        ("removed", "listed", ItemAccess.JOIN),
        # Invited to the unlisted community: may see it (to accept), not read inside it yet.
        ("invited", "unlisted", ItemAccess.JOIN),
        ("unlisted member", "unlisted", ItemAccess.READ),
    ],
)
def test_item_access_says_which_refusal(world, person_key, item_key, expected):
    user = world["people"][person_key]
    assert item_access(user=user, page=world["items"][item_key]) is expected


@pytest.mark.parametrize(
    ("person_key", "item_key", "status", "shown", "hidden"),
    [
        ("visitor", "members", 403, "Sign in to read", "Some days are harder"),
        ("outsider", "listed", 403, "Join to read", "Some days are harder"),
        ("outsider", "unlisted", 404, "", "Unlisted canary"),
        ("listed member", "listed", 200, "Some days are harder", "Join to read"),
        ("visitor", "public", 200, "Some days are harder", "Sign in to read"),
    ],
)
def test_item_page_serves_the_item_a_teaser_or_nothing(
    client, world, person_key, item_key, status, shown, hidden
):
    user = world["people"][person_key]
    if user.is_authenticated:
        client.force_login(user)
    item = world["items"][item_key]
    response = client.get(item.url)
    assert response.status_code == status
    text = response.content.decode()
    assert shown in text
    assert hidden not in text
    if status == 403:
        # A teaser: the title and where it lives; no body, no author, no comments.
        assert item.title in text
        assert item.author.public_name not in text
        assert 'name="robots" content="noindex' in text


def test_only_public_items_are_indexable(client, world):
    # A public item is indexed only if it may be shared (issue 14: the default
    # policy asks for the author's consent); the others never are.
    world["items"]["public"].__class__.objects.filter(pk=world["items"]["public"].pk).update(
        may_be_shared=True
    )
    client.force_login(world["people"]["listed member"])
    for key, item in world["items"].items():
        if key == "unlisted":
            continue
        text = client.get(item.url).content.decode()
        assert ('content="noindex' in text) is (key != "public"), key


def test_unlisted_community_page_is_404_to_outsiders(client, world):
    unlisted = world["unlisted"]
    assert client.get(unlisted.url).status_code == 404
    client.force_login(world["people"]["outsider"])
    assert client.get(unlisted.url).status_code == 404
    assert not community_visible(user=world["people"]["outsider"], community=unlisted)
    assert community_visible(user=world["people"]["unlisted member"], community=unlisted)


def test_an_item_names_its_community_exactly_when_its_audience_is_one(world, blog_index):
    item = world["items"]["public"]
    with pytest.raises(IntegrityError), transaction.atomic():
        ContentPage.objects.filter(pk=item.pk).update(audience=Audience.COMMUNITY)
    with pytest.raises(IntegrityError), transaction.atomic():
        ContentPage.objects.filter(pk=item.pk).update(community=world["listed"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ContentPage.objects.filter(pk=item.pk).update(audience="friends")


def test_one_membership_per_person_and_moderators_are_members(world):
    member = world["people"]["listed member"]
    with pytest.raises(IntegrityError), transaction.atomic():
        _membership(world["listed"], member, State.REQUESTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityMembership.objects.create(
            community=world["unlisted"],
            user=member,
            state=State.REQUESTED,
            role=CommunityMembership.Role.MODERATOR,
        )


@pytest.mark.parametrize(
    ("old", "old_community", "new", "new_community", "narrowing"),
    [
        ("everyone", None, "members", None, True),
        ("everyone", None, "community", 1, True),
        ("members", None, "community", 1, True),
        ("members", None, "members", None, True),
        ("community", 1, "community", 1, True),
        ("community", 1, "community", 2, False),
        ("community", 1, "members", None, False),
        ("members", None, "everyone", None, False),
        ("community", 1, "everyone", None, False),
    ],
)
def test_narrowing_reaches_nobody_new(old, old_community, new, new_community, narrowing):
    assert (
        audience_is_narrowing(
            old_audience=old,
            old_community_id=old_community,
            new_audience=new,
            new_community_id=new_community,
        )
        is narrowing
    )


def test_changing_the_rules_makes_a_new_version(world, superuser):
    """The admin form bumps the version when (and only when) the rules' text changes."""
    community = CommunityPage.objects.get(pk=world["listed"].pk)
    form_class = community.get_edit_handler().get_form_class()
    assert issubclass(form_class, CommunityPageForm)

    def rich(name, html):
        # The editor posts its own format (Draftail's JSON), as a browser would.
        return form_class.base_fields[name].widget.format_value(html)

    def edit(rules):
        page = community.get_latest_revision_as_object()
        data = {
            "title": page.title,
            "slug": page.slug,
            "intro": rich("intro", page.intro),
            "rules": rich("rules", rules),
            "join_policy": page.join_policy,
            "is_listed": "on" if page.is_listed else "",
            "moderation_preset": page.moderation_preset,
            "hold_first_count": page.hold_first_count,
        }
        form = form_class(data, instance=page, parent_page=page.get_parent(), for_user=superuser)
        assert form.is_valid(), form.errors
        return form.save(commit=False).rules_version

    assert community.rules_version == 1
    assert edit(community.rules) == 1
    assert edit("<p>Be kind. No medical advice.</p>") == 2
