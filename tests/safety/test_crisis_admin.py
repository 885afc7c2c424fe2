"""The moderators' crisis signals in the admin: who sees them, handling one, hostile input."""

from django.urls import reverse

import pytest

from safety.models import CrisisSignal
from tests.factories import BlogPageFactory, UserFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("safety_crisis:index")


def handle_url(signal_id):
    return reverse("safety_crisis:handle", args=[signal_id])


@pytest.fixture
def author(portal):
    return UserFactory(group="Members", display_name="Pacing Pat")


@pytest.fixture
def signal(blog_index, author):
    page = BlogPageFactory(parent=blog_index, title="Nights", author=author)
    text = "Some nights I want to kill myself. <script>alert(1)</script>"
    start = text.index("want")
    end = text.index(".")
    return CrisisSignal.objects.create(
        page=page,
        author=author,
        excerpt=text,
        matches=[{"start": start, "end": end, "kind": "crisis", "label": "Suicidal thoughts"}],
    )


@pytest.mark.parametrize("who", ["member", "expert", "medic", "manager"])
def test_only_moderators_and_administrators_see_crisis_signals(client, request, who, signal):
    client.force_login(request.getfixturevalue(who))

    listing = client.get(INDEX)
    handled = client.post(handle_url(signal.pk), {"note": "Trying."})

    assert listing.status_code in (302, 403)
    assert handled.status_code in (302, 403)
    signal.refresh_from_db()
    assert signal.handled_at is None


def test_a_visitor_is_sent_to_sign_in(client, signal):
    assert client.get(INDEX).status_code == 302


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_a_moderator_sees_the_signal_marked_and_escaped(
    client, request, who, signal, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(who))

    with django_assert_max_num_queries(20):
        html = client.get(INDEX).content.decode()

    assert '<mark class="safety-match safety-match--crisis"' in html
    assert "want to kill myself</mark>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "Pacing Pat" in html


def test_the_list_costs_the_same_for_one_signal_or_twenty(
    client, editor, blog_index, author, django_assert_num_queries
):
    client.force_login(editor)
    CrisisSignal.objects.create(page=BlogPageFactory(parent=blog_index), author=author, excerpt="x")
    client.get(INDEX)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(INDEX)
    for _ in range(19):
        CrisisSignal.objects.create(
            page=BlogPageFactory(parent=blog_index), author=author, excerpt="x"
        )
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(INDEX)


def test_handling_needs_a_note_and_is_logged(client, editor, signal):
    client.force_login(editor)

    empty = client.post(handle_url(signal.pk), {"note": "   "})
    signal.refresh_from_db()
    assert empty.status_code == 302 and signal.handled_at is None

    done = client.post(handle_url(signal.pk), {"note": "Messaged them; they are safe."})
    signal.refresh_from_db()
    assert done.status_code == 302
    assert signal.handled_by == editor and signal.handled_note == "Messaged them; they are safe."
    from wagtail.models import ModelLogEntry

    assert ModelLogEntry.objects.filter(action="kindred.safety.crisis_handled").count() == 1
    listing = client.get(INDEX).content.decode()
    assert "No crisis signal is waiting." in listing and "they are safe" in listing


@pytest.mark.parametrize(
    "data",
    [{}, {"note": "x" * 2001}, {"note": "\x00"}],
    ids=["missing", "oversized", "null-character"],
)
def test_bad_notes_change_nothing(client, editor, signal, data):
    client.force_login(editor)

    response = client.post(handle_url(signal.pk), data)

    signal.refresh_from_db()
    assert response.status_code == 302 and signal.handled_at is None


@pytest.mark.parametrize("signal_id", [999999, 2**31, 2**63])
def test_a_made_up_signal_is_refused_plainly(client, editor, signal_id):
    client.force_login(editor)

    response = client.post(handle_url(signal_id), {"note": "ok"})

    assert response.status_code in (302, 404)


def test_handling_is_post_only(client, editor, signal):
    client.force_login(editor)

    assert client.get(handle_url(signal.pk)).status_code == 405
