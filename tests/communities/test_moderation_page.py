"""The community moderators' page (/communities/<slug>/moderate/): who gets in, what it
shows (their community's held and reported comments, nothing else), what its POSTs do
with honest and hostile input, and a fixed number of queries."""

from django.urls import reverse

import pytest
from bs4 import BeautifulSoup

from discussion.models import CommentReport, PageComment
from tests.discussion.community_world import community_world, person
from tests.discussion.conftest import add_comment
from tests.factories import BlogPageFactory
from tests.factories.communities import CommunityMembershipFactory

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def world(portal, blog_index):
    world = community_world(blog_index)
    post_page = BlogPageFactory(parent=blog_index, title="On the open site")
    world.held_a = add_comment(world.item_a, world.member_a, "Held in A", state="awaiting")
    world.reported_a = add_comment(world.item_a, world.member_a, "Reported in A")
    world.report = CommentReport.objects.create(
        comment=world.reported_a, reporter=world.outsider, reason="abusive", text="Unkind words."
    )
    world.held_b = add_comment(world.item_b, world.member_b, "Held in B", state="awaiting")
    world.reported_b = add_comment(world.item_b, world.member_b, "Reported in B")
    CommentReport.objects.create(comment=world.reported_b, reporter=world.mod_b, reason="spam")
    world.held_site = add_comment(post_page, world.outsider, "Held on the site", state="awaiting")
    return world


def _page(community):
    return reverse("communities:moderate", args=[community.slug])


def _decide(client, community, data, **headers):
    return client.post(
        reverse("communities:moderate_comment", args=[community.slug]), data, headers=headers
    )


def test_moderators_see_their_communitys_held_and_reported_comments_only(client, world):
    client.force_login(world.mod_a)

    response = client.get(_page(world.a))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Held in A" in html and "Reported in A" in html
    assert "Abusive or harassing" in html and "Unkind words." in html
    for elsewhere in ("Held in B", "Reported in B", "Held on the site"):
        assert elsewhere not in html
    # Who reported is for the site's Editors only.
    assert world.outsider.public_name not in html
    assert world.outsider.username not in html
    assert world.a.url in html  # where join requests are
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_visitors_are_sent_to_sign_in(client, world):
    response = client.get(_page(world.a))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    post = _decide(client, world.a, {"comment": world.held_a.pk, "action": "approve"})
    assert post.status_code == 302
    assert PageComment.objects.get(pk=world.held_a.pk).awaiting_moderation


@pytest.mark.parametrize("who", ["member_a", "outsider", "left", "mod_b", "editor"])
def test_everyone_but_the_communitys_moderators_gets_404(request, client, world, who):
    user = request.getfixturevalue("editor") if who == "editor" else getattr(world, who)
    client.force_login(user)
    missing = client.get(reverse("communities:moderate", args=["no-such-community"]))

    response = client.get(_page(world.a))

    assert response.status_code == 404 == missing.status_code
    assert "Held in A" not in response.content.decode()
    post = _decide(client, world.a, {"comment": world.held_a.pk, "action": "approve"})
    assert post.status_code == 404
    assert PageComment.objects.get(pk=world.held_a.pk).awaiting_moderation


def test_a_moderator_of_an_unlisted_community_has_its_page_too(client, world):
    CommunityMembershipFactory(community=world.u, user=person("Una Mod"), role="moderator")
    moderator = world.u.memberships.get(role="moderator").user
    add_comment(world.item_u, world.member_u, "Quiet held words", state="awaiting")
    client.force_login(moderator)

    assert "Quiet held words" in client.get(_page(world.u)).content.decode()
    client.force_login(world.mod_a)
    assert client.get(_page(world.u)).status_code == 404


def test_community_moderators_never_get_the_admin(client, world):
    client.force_login(world.mod_a)

    for url in (reverse("wagtailadmin_home"), reverse("discussion_admin:queue")):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Held in A" not in response.content.decode()


def test_approving_removing_and_dismissing_from_the_page(client, world):
    client.force_login(world.mod_a)

    approved = _decide(client, world.a, {"comment": world.held_a.pk, "action": "approve"})
    dismissed = _decide(client, world.a, {"comment": world.reported_a.pk, "action": "dismiss"})

    assert approved.status_code == dismissed.status_code == 303
    assert approved.url == _page(world.a)
    assert PageComment.objects.get(pk=world.held_a.pk).is_visible
    assert PageComment.objects.get(pk=world.reported_a.pk).is_visible
    world.report.refresh_from_db()
    assert world.report.resolved_by == world.mod_a
    html = client.get(_page(world.a)).content.decode()
    assert "Nothing waits for approval." in html and "No open reports." in html

    again = add_comment(world.item_a, world.member_a, "Held again", state="awaiting")
    removed = _decide(
        client, world.a, {"comment": again.pk, "action": "remove"}, accept="application/json"
    )
    assert removed.status_code == 200 and "removed" in removed.json()["message"]
    assert PageComment.objects.get(pk=again.pk).is_removed


def test_another_communitys_comment_answers_as_a_missing_one(client, world):
    client.force_login(world.mod_a)
    missing = _decide(client, world.a, {"comment": 987654, "action": "approve"})

    assert missing.status_code == 404
    for other in (world.held_b, world.reported_b, world.held_site):
        for action in ("approve", "remove", "dismiss"):
            response = _decide(client, world.a, {"comment": other.pk, "action": action})
            assert response.status_code == 404, (other.comment, action)
            assert other.comment not in response.content.decode()
    assert PageComment.objects.filter(awaiting_moderation=True).count() == 3
    assert not PageComment.objects.filter(is_removed=True).exists()
    # Nor through another community's address, where mod_a moderates nothing.
    assert (
        _decide(client, world.b, {"comment": world.held_b.pk, "action": "approve"}).status_code
        == 404
    )


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"comment": "", "action": "approve"},
        {"action": "approve"},
        {"comment": "{pk}"},
        {"comment": "{pk}", "action": "hide"},
        {"comment": "{pk}", "action": "delete"},
        {"comment": "{pk}", "action": XSS},
        {"comment": XSS, "action": "approve"},
        {"comment": "1.5", "action": "approve"},
        {"comment": "-1", "action": "approve"},
        {"comment": str(2**31), "action": "approve"},
        {"comment": "9" * 5000, "action": "approve"},
        {"comment": "{pk}", "action": "approve" * 10000},
    ],
)
def test_hostile_decisions_are_refused_and_change_nothing(client, world, data):
    client.force_login(world.mod_a)
    data = {key: value.replace("{pk}", str(world.held_a.pk)) for key, value in data.items()}

    response = _decide(client, world.a, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>alert" not in html and "onerror=alert" not in html
    held = PageComment.objects.get(pk=world.held_a.pk)
    assert held.awaiting_moderation and not held.is_removed


def test_a_decision_the_comment_does_not_allow_is_refused_with_words(client, world):
    client.force_login(world.mod_a)

    response = _decide(client, world.a, {"comment": world.held_a.pk, "action": "dismiss"})

    assert response.status_code == 400
    assert "no open reports" in response.content.decode()
    assert PageComment.objects.get(pk=world.held_a.pk).awaiting_moderation


def test_the_page_needs_post_for_decisions_and_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.mod_a)

    assert (
        client.get(reverse("communities:moderate_comment", args=[world.a.slug])).status_code == 405
    )
    response = _decide(client, world.a, {"comment": world.held_a.pk, "action": "approve"})
    assert response.status_code == 403
    assert PageComment.objects.get(pk=world.held_a.pk).awaiting_moderation


def test_comment_text_is_escaped_on_the_page(client, world):
    add_comment(world.item_a, world.member_b, XSS, state="awaiting")
    client.force_login(world.mod_a)

    html = client.get(_page(world.a)).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_a_moderators_own_comment_has_no_buttons(client, world):
    own = add_comment(world.item_a, world.mod_a, "My own held words", state="awaiting")
    client.force_login(world.mod_a)

    soup = BeautifulSoup(client.get(_page(world.a)).content, "html.parser")

    item = soup.select_one(f"#queue-c{own.pk}")
    assert item is not None and not item.select("form")
    assert "another moderator decides" in item.get_text()
    assert soup.select_one(f"#queue-c{world.held_a.pk}").select("form")


@pytest.mark.parametrize("size", [2, 25])
def test_queries_do_not_grow_with_comments_or_reports(
    client, world, django_assert_max_num_queries, size
):
    authors = [person(f"Author {n}") for n in range(3)]
    for author in authors:
        CommunityMembershipFactory(community=world.a, user=author)
    reporters = [person(f"Reporter {n}") for n in range(3)]
    for n in range(size):
        add_comment(world.item_a, authors[n % 3], f"Held {n}", state="awaiting")
        reported = add_comment(world.item_a, authors[n % 3], f"Reported {n}")
        for reporter in reporters[: 1 + n % 3]:
            CommentReport.objects.create(comment=reported, reporter=reporter, reason="spam")
    client.force_login(world.mod_a)
    client.get(_page(world.a))  # warm per-process caches (site root paths, content types)

    # 13 for 2 or 25 of each: the session and its user, the community, the held and the
    # reported comments each with their open reports, their items in one query, which of
    # the held ones are held for a crisis signal (safety, one query), and what every page's
    # header reads (site, sections, the notification bell).
    with django_assert_max_num_queries(14):
        response = client.get(_page(world.a))

    assert response.status_code == 200
    assert len(BeautifulSoup(response.content, "html.parser").select(".moderation-item")) == 2 * (
        size + 1
    )
