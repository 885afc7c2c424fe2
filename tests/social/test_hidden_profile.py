"""Finding 9 (issue 10): an "Only me" profile shows nothing of itself anywhere.

Its owner's comments, bylines, follows and notifications still carry their
public name (a comment needs an author), but no avatar, no link to the
profile, no handle and no bio reach a visitor or an unrelated member, on any
surface. The owner still sees their own face.
"""

import io
import secrets

from django.core.files.base import ContentFile
from django.urls import reverse

import pytest
from PIL import Image

from core.models import Condition
from discussion.models import PageComment
from social.models import Profile
from social.notifications.emails import digest_email, notification_email
from social.notifications.selectors import notification_entries, notifications_for
from social.services import follow_create, profile_update, profile_visibility_set
from tests.discussion.conftest import add_comment
from tests.factories import BlogPageFactory
from tests.social.helpers import EVERYONE, MEMBERS, ONLY_ME, person

pytestmark = pytest.mark.django_db

BIO = "Canary bio of the hidden member"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (0, 128, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def give_avatar(user):
    profile = user.profile
    profile.avatar.save(f"{secrets.token_hex(16)}.png", ContentFile(png()))
    return profile


@pytest.fixture
def world(blog_index, django_capture_on_commit_callbacks):
    """A hidden member who comments, writes, follows, and is suggested nowhere."""
    ms, _ = Condition.objects.get_or_create(slug="ms", defaults={"name": "Multiple sclerosis"})
    hidden = person(
        "Hidden Hal", visibility=ONLY_ME, bio=BIO, show_in_suggestions=True, conditions=[ms]
    )
    public = person("Public Pat", visibility=EVERYONE, show_in_suggestions=True, conditions=[ms])
    unrelated = person("Unrelated Uma", show_in_suggestions=True, conditions=[ms])
    give_avatar(hidden)
    give_avatar(public)
    post = BlogPageFactory(parent=blog_index, author=public, title="Pacing", tags=["Pacing"])
    own = BlogPageFactory(parent=blog_index, author=hidden, title="Hal on pacing", tags=["Pacing"])
    root = add_comment(post, hidden, "A comment by the hidden member")
    add_comment(post, public, "A reply to it", parent=root)
    with django_capture_on_commit_callbacks(execute=True):
        follow_create(follower=hidden, followee=public)
        follow_create(follower=hidden, followee=unrelated)
    hidden.profile.refresh_from_db()
    return {
        "hidden": hidden,
        "public": public,
        "unrelated": unrelated,
        "post": post,
        "own": own,
        "comment": root,
    }


def traces(profile):
    """What must never show of a hidden profile: avatar file, address, handle, bio."""
    return [
        profile.avatar.url,
        profile.avatar.name,
        profile.get_absolute_url(),
        profile.handle,
        BIO,
    ]


def surfaces(world):
    post, own, comment, public = world["post"], world["own"], world["comment"], world["public"]
    return [
        post.url,
        own.url,
        "/blog/" if post.url.startswith("/blog/") else post.get_parent().url,
        "/tags/pacing/",
        reverse("search:results") + "?q=pacing",
        reverse("discussion:api_list", args=[post.pk]),
        reverse("discussion:reply", args=[comment.pk]),
        reverse("discussion:report", args=[comment.pk]),
        reverse("social:followers", kwargs={"handle": public.profile.handle}),
        reverse("social:section_rss", kwargs={"section_slug": post.get_parent().slug}),
        reverse("social:tag_atom", kwargs={"slug": "pacing"}),
        "/people/",
        reverse("notifications:list"),
        "/feed/",
    ]


@pytest.mark.parametrize("who", ["visitor", "unrelated member"])
def test_no_surface_shows_anything_of_a_hidden_profile(client, world, who):
    if who != "visitor":
        client.force_login(world["unrelated"])
    hidden = world["hidden"].profile
    for address in surfaces(world):
        response = client.get(address)
        assert response.status_code in (200, 302, 404), address
        html = response.content.decode()
        for trace in traces(hidden):
            assert trace not in html, (address, trace)
    # The name itself is what the comment is signed with, so that does show.
    assert "Hidden Hal" in client.get(world["post"].url).content.decode()
    # The profile and its feeds answer like a missing member.
    for address in (
        hidden.get_absolute_url(),
        reverse("social:author_rss", kwargs={"handle": hidden.handle}),
        reverse("social:following", kwargs={"handle": hidden.handle}),
    ):
        assert client.get(address).status_code == 404


def test_emails_about_a_hidden_member_do_not_link_to_them(world):
    # Rendered as the email pipeline renders them (one notification, and the digest).
    unrelated, hidden = world["unrelated"], world["hidden"].profile
    entries = notification_entries(user=unrelated, notifications=notifications_for(user=unrelated))
    assert [entry.text for entry in entries] == ["Hidden Hal started following you."]
    for message in (
        notification_email(recipient=unrelated, entry=entries[0]),
        digest_email(recipient=unrelated, entries=entries),
    ):
        for trace in traces(hidden):
            assert trace not in message.body
            assert trace not in message.subject


def test_the_owner_still_sees_their_own_face(client, world):
    client.force_login(world["hidden"])
    hidden = world["hidden"].profile

    html = client.get(world["post"].url).content.decode()

    assert f'src="{hidden.avatar.url}"' in html
    assert hidden.get_absolute_url() in html


def test_a_visible_profile_still_shows_its_avatar_on_comments(client, world):
    # Not vacuous: the same page shows the public member's avatar to a visitor.
    public = world["public"].profile

    html = client.get(world["post"].url).content.decode()

    assert f'src="{public.avatar.url}"' in html


@pytest.mark.parametrize("how", ["profile form", "welcome step"])
def test_hiding_a_profile_moves_its_avatar_to_a_new_address(
    world, how, django_capture_on_commit_callbacks
):
    public = world["public"]
    before = public.profile.avatar.name
    storage = public.profile.avatar.storage

    with django_capture_on_commit_callbacks(execute=True):
        if how == "profile form":
            profile_update(
                user=public,
                display_name="Public Pat",
                bio="",
                conditions=[],
                visibility=MEMBERS,
                show_in_suggestions=False,
            )
        else:
            profile_visibility_set(user=public, visibility=ONLY_ME)

    # Whoever saw the old address while the profile was public cannot keep using it.
    after = Profile.objects.get(user=public).avatar.name
    assert after != before
    assert storage.exists(after)
    assert not storage.exists(before)


def test_widening_a_profile_keeps_its_avatar_address(world, django_capture_on_commit_callbacks):
    hidden = world["hidden"]
    before = hidden.profile.avatar.name

    with django_capture_on_commit_callbacks(execute=True):
        profile_visibility_set(user=hidden, visibility=EVERYONE)

    assert Profile.objects.get(user=hidden).avatar.name == before


def test_a_comment_by_a_member_without_a_profile_shows_initials(client, world, portal):
    from tests.factories import UserFactory

    nobody = UserFactory(group="Members", display_name="No Profile")
    add_comment(world["post"], nobody, "Hello")
    html = client.get(world["post"].url).content.decode()
    assert "No Profile" in html
    assert PageComment.objects.filter(user=nobody).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("schema_restored")
def test_migration_0008_moves_avatars_of_profiles_not_open_to_everyone(portal, media_root):
    from django.core.files.storage import default_storage

    from tests.migrations import latest, migrate

    hidden = person("Hidden Hal", visibility=ONLY_ME)
    public = person("Public Pat", visibility=EVERYONE)
    gone = person("Gone Gus", visibility=MEMBERS)
    before = {user.pk: give_avatar(user).avatar.name for user in (hidden, public, gone)}
    default_storage.delete(before[gone.pk])  # a file lost on disk
    leaf = latest()
    migrate([("social", "0007_profile_show_followed_topics")])

    migrate(leaf)

    after = {p.user_id: p.avatar.name for p in Profile.objects.all()}
    assert after[public.pk] == before[public.pk]
    assert after[hidden.pk] != before[hidden.pk]
    assert default_storage.exists(after[hidden.pk])
    assert not default_storage.exists(before[hidden.pk])
    assert after[gone.pk] == ""
