"""A profile's address follows its display name: a changed name gets a new handle, and the
old one (which carries the previous name) leads nowhere unless the member says so."""

import re

import pytest
from bs4 import BeautifulSoup

from social.models import Notification, NotificationKind, Profile, ProfileHandle
from social.services import follow_create, profile_get_or_create, profile_update
from social.services import profiles as profile_services
from tests.factories import BlogPageFactory, UserFactory
from tests.social.helpers import EVERYONE, MEMBERS, ONLY_ME, person

pytestmark = pytest.mark.django_db

EDIT = "/me/profile/"


def rename(client, user, name, **extra):
    """Change the display name through the profile form, as the member does."""
    client.force_login(user)
    data = {"display_name": name, "visibility": user.profile.visibility, **extra}
    response = client.post(EDIT, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    user.profile.refresh_from_db()
    return response


@pytest.fixture
def sam(portal):
    return person("Sam Kowalski", visibility=EVERYONE)


def same_page(response, unknown, handle, missing):
    """Whether two responses are the same but for the address itself (echoed in sign-in
    links) and the per-response CSRF tokens."""

    def plain(content, name):
        content = content.replace(name.encode(), b"X")
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)

    return plain(response.content, handle) == plain(unknown.content, missing)


def addresses(handle):
    return [
        f"/members/{handle}/",
        f"/members/{handle}/followers/",
        f"/members/{handle}/following/",
        f"/feeds/members/{handle}/rss/",
        f"/feeds/members/{handle}/atom/",
    ]


def test_a_new_display_name_gives_a_new_handle_without_the_old_name(client, sam):
    old = sam.profile.handle
    assert old.startswith("sam-kowalski-")

    rename(client, sam, "Quiet Heron")

    new = Profile.objects.get(user=sam).handle
    assert new.startswith("quiet-heron-")
    assert "kowalski" not in new
    # Both recorded: neither is ever given to anyone else.
    recorded = ProfileHandle.objects.filter(profile=sam.profile).values_list("handle", flat=True)
    assert set(recorded) == {old, new}


def test_the_same_name_written_differently_keeps_the_handle(client, sam):
    old = sam.profile.handle

    rename(client, sam, "sam  KOWALSKI")

    assert sam.profile.handle == old
    assert ProfileHandle.objects.filter(profile=sam.profile).count() == 1


@pytest.mark.parametrize("who", ["visitor", "member", "self"])
def test_an_old_address_answers_exactly_like_a_missing_member(client, sam, who):
    old = sam.profile.handle
    rename(client, sam, "Quiet Heron")
    client.logout()
    if who != "visitor":
        client.force_login(sam if who == "self" else person("Other O"))
    missing = "nobody-abcdef"

    for old_url, missing_url in zip(addresses(old), addresses(missing), strict=True):
        response, unknown = client.get(old_url), client.get(missing_url)
        assert response.status_code == unknown.status_code == 404, old_url
        assert same_page(response, unknown, old, missing), old_url


def test_with_the_opt_in_old_addresses_lead_to_the_current_ones(client, sam):
    old = sam.profile.handle
    rename(client, sam, "Quiet Heron", redirect_former_handles="on")
    new = sam.profile.handle
    assert sam.profile.redirect_former_handles
    client.logout()

    for old_url, new_url in zip(addresses(old), addresses(new), strict=True):
        response = client.get(old_url)
        # Temporary and not stored: the member may take it back.
        assert response.status_code == 302, old_url
        assert response["Location"] == new_url
        assert "no-store" in response["Cache-Control"]
    assert client.get(f"/members/{old}/?page=2")["Location"] == f"/members/{new}/?page=2"

    # Turned off again: the old address is a missing member once more.
    client.force_login(sam)
    client.post(EDIT, {"display_name": "Quiet Heron", "visibility": "everyone"})
    client.logout()
    assert client.get(f"/members/{old}/").status_code == 404


@pytest.mark.parametrize(
    ("visibility", "viewer", "leads"),
    [(MEMBERS, "visitor", False), (MEMBERS, "member", True), (ONLY_ME, "member", False)],
)
def test_an_old_address_never_reveals_a_profile_hidden_from_the_reader(
    client, sam, visibility, viewer, leads
):
    old = sam.profile.handle
    rename(client, sam, "Quiet Heron", redirect_former_handles="on", visibility=visibility)
    client.logout()
    if viewer == "member":
        client.force_login(person("Other O"))

    response = client.get(f"/members/{old}/")

    assert response.status_code == (302 if leads else 404)
    if not leads:
        assert sam.profile.handle not in response.content.decode()


def test_the_actions_under_an_old_address_are_not_redirected(client, sam):
    old = sam.profile.handle
    rename(client, sam, "Quiet Heron", redirect_former_handles="on")
    client.force_login(person("Other O"))

    # A POST is never bounced to another address: the member acts on the page they see.
    assert client.post(f"/members/{old}/follow/").status_code == 404


def test_every_link_uses_the_current_handle(client, sam, blog_index):
    reader = person("Reader R")
    follow_create(follower=reader, followee=sam)
    follow_create(follower=sam, followee=reader)  # a notification naming Sam
    post = BlogPageFactory(parent=blog_index, author=sam, title="Pacing")
    old = sam.profile.handle
    rename(client, sam, "Quiet Heron")
    new = sam.profile.handle
    client.force_login(reader)

    pages = [
        post.url,
        "/blogs/",
        f"/members/{new}/",
        f"/members/{reader.profile.handle}/following/",
        "/notifications/",
        "/feed/",
    ]
    for path in pages:
        html = client.get(path).content.decode()
        assert old not in html, path
    for path in (post.url, "/notifications/", f"/members/{reader.profile.handle}/following/"):
        assert f"/members/{new}/" in client.get(path).content.decode(), path
    assert Notification.objects.filter(
        recipient=reader, actor=sam, kind=NotificationKind.NEW_FOLLOWER
    ).exists()
    client.logout()
    feed = client.get(f"/feeds/members/{new}/rss/").content.decode()
    assert old not in feed and new in feed


def test_a_first_save_takes_the_handle_from_the_new_name(client, portal):
    user = UserFactory(group="Members", display_name="Sam Kowalski")
    client.force_login(user)

    client.post(EDIT, {"display_name": "Quiet Heron", "visibility": "members"})

    handle = Profile.objects.get(user=user).handle
    assert handle.startswith("quiet-heron-")
    assert not ProfileHandle.objects.filter(handle__startswith="sam-kowalski").exists()


def test_a_handle_once_given_is_never_given_again(monkeypatch, sam):
    taken = sam.profile.handle
    suffix = taken.rsplit("-", 1)[1]
    drawn = iter([suffix, "abcdef"])
    monkeypatch.setattr(profile_services, "_random_suffix", lambda: next(drawn))
    # Sam moves away from the name; someone new takes it and draws the same suffix first.
    profile_update(
        user=sam,
        display_name="Quiet Heron",
        bio="",
        conditions=[],
        visibility=EVERYONE,
        show_in_suggestions=False,
    )
    drawn = iter([suffix, "abcdef"])
    newcomer = UserFactory(display_name="Sam Kowalski")

    handle = profile_get_or_create(user=newcomer).handle

    assert handle != taken
    assert handle == "sam-kowalski-abcdef"


def test_the_database_refuses_a_handle_given_before(sam):
    from django.db import IntegrityError, transaction

    other = profile_get_or_create(user=UserFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        ProfileHandle.objects.create(profile=other, handle=sam.profile.handle)


def test_the_form_explains_the_opt_in_which_is_off(client, sam):
    client.force_login(sam)

    soup = BeautifulSoup(client.get(EDIT).content.decode(), "html.parser")

    box = soup.select_one("input[name=redirect_former_handles]")
    assert box is not None and not box.has_attr("checked")
    help_text = soup.select_one(f"#{box['id']}_helptext").get_text()
    assert "contains your previous name" in help_text
    assert box["aria-describedby"] == f"{box['id']}_helptext"


def test_the_member_is_told_the_new_address(client, sam):
    response = rename(client, sam, "Quiet Heron")

    html = client.get(response["Location"]).content.decode()
    assert f"/members/{sam.profile.handle}/" in html
    assert "Your old address no longer leads anywhere." in html


@pytest.mark.parametrize("handle", ["../etc", "a" * 200, "UPPER", "<script>", "%00"])
def test_odd_old_handles_are_404_never_500(client, portal, handle):
    assert client.get(f"/members/{handle}/").status_code == 404
