"""Crisis words in a comment, an item or a search: help at once for the writer, the text held
for a moderator, the moderators told by email and first in their queues; a held item is not
published and a held comment not approved until a moderator has handled the signal."""

from django.core import mail
from django.test import Client
from django.urls import reverse

import pytest

from discussion.models import PageComment
from moderation.services import review_approve
from moderation.workflow import PublicationVetoed
from safety.models import CrisisSignal
from safety.services import crisis_signal_handle

pytestmark = pytest.mark.django_db

CRISIS = "Some nights I want to kill myself, I just can't go on like this."
CALM = "Pacing helps me, and my physio's exercises too."
HELP_HEADING = "You are not alone"


def post_comment(client, page, text):
    return client.post(reverse("discussion:post", args=[page.pk]), {"comment": text})


def test_a_crisis_comment_by_a_trusted_member_is_held_and_helps_at_once(
    client, trusted_writer, post_page, editor, django_capture_on_commit_callbacks
):
    client.force_login(trusted_writer)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(client, post_page, CRISIS)

    comment = PageComment.objects.get(comment=CRISIS)
    assert response.status_code == 303
    assert comment.awaiting_moderation and not comment.is_public
    signal = CrisisSignal.objects.get()
    assert signal.comment_id == comment.pk and signal.handled_at is None
    # The next page shows the help, emergency first; the one after does not.
    page = client.get(response["Location"]).content.decode()
    assert HELP_HEADING in page
    assert page.index("emergency") < page.index("116 123")
    assert HELP_HEADING not in client.get(response["Location"]).content.decode()
    # The moderators (Editors) are told at once, without the text itself.
    told = [m for m in mail.outbox if "crisis" in m.subject.lower()]
    assert [m.to for m in told] == [[editor.email]]
    assert CRISIS not in told[0].body


def test_a_calm_comment_by_a_trusted_member_appears_and_raises_nothing(
    client, trusted_writer, post_page, django_capture_on_commit_callbacks
):
    client.force_login(trusted_writer)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(client, post_page, CALM)

    assert PageComment.objects.get(comment=CALM).is_public
    assert not CrisisSignal.objects.exists()
    assert HELP_HEADING not in client.get(response["Location"]).content.decode()


def test_editing_a_visible_comment_into_crisis_words_holds_it(client, trusted_writer, post_page):
    client.force_login(trusted_writer)
    post_comment(client, post_page, CALM)
    comment = PageComment.objects.get(comment=CALM)

    response = client.post(reverse("discussion:edit", args=[comment.pk]), {"comment": CRISIS})

    comment.refresh_from_db()
    assert response.status_code == 303
    assert comment.awaiting_moderation and not comment.is_public
    assert CrisisSignal.objects.filter(comment=comment, handled_at__isnull=True).exists()


def test_a_held_crisis_comment_comes_first_and_is_approved_only_after_handling(
    client, trusted_writer, writer, post_page, editor
):
    from tests.discussion.conftest import add_comment

    older = add_comment(post_page, writer, "An ordinary first comment.", state="awaiting")
    writer_client = Client()
    writer_client.force_login(trusted_writer)
    post_comment(writer_client, post_page, CRISIS)
    held = PageComment.objects.get(comment=CRISIS)
    client.force_login(editor)

    queue = client.get(reverse("discussion_admin:queue")).content.decode()
    assert queue.index(f'id="queue-c{held.pk}"') < queue.index(f'id="queue-c{older.pk}"')
    assert "Held: possible crisis" in queue

    refused = client.post(reverse("discussion_admin:moderate", args=[held.pk, "approve"]))
    held.refresh_from_db()
    assert refused.status_code == 302 and held.awaiting_moderation

    crisis_signal_handle(
        signal=CrisisSignal.objects.get(), user=editor, note="Messaged them; they have support."
    )
    client.post(reverse("discussion_admin:moderate", args=[held.pk, "approve"]))
    held.refresh_from_db()
    assert held.is_public and not held.awaiting_moderation


def test_a_story_with_crisis_words_is_held_the_writer_helped_the_queue_told(
    client, writer, editor, medic, story_data, django_capture_on_commit_callbacks
):
    client.force_login(writer)
    data = {**story_data, "body": f"## Lately\n\n{CRISIS}", "action": "submit"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("authoring:write_new", args=("story",)), data)

    assert response.status_code == 302
    signal = CrisisSignal.objects.get()
    assert signal.page_id is not None and signal.revision_id is not None
    assert HELP_HEADING in client.get(response["Location"]).content.decode()
    assert any("crisis" in m.subject.lower() for m in mail.outbox)
    # First in the editor's queue, with the notice above it.
    client.force_login(editor)
    queue = client.get(reverse("kindred_review:queue")).content.decode()
    assert "Held: possible crisis" in queue
    assert "1 crisis signal waits for a moderator" in queue
    # Both reviewers approve; publishing is refused while the signal is open.
    page = signal.page.specific
    review_approve(page=page, user=editor)
    with pytest.raises(PublicationVetoed):
        review_approve(page=page, user=medic)
    page.refresh_from_db()
    assert not page.live


def test_a_story_without_crisis_words_raises_nothing(client, writer, story_data):
    client.force_login(writer)

    response = client.post(
        reverse("authoring:write_new", args=("story",)), {**story_data, "action": "submit"}
    )

    assert response.status_code == 302
    assert not CrisisSignal.objects.exists()
    assert HELP_HEADING not in client.get(response["Location"]).content.decode()


def test_a_search_for_crisis_words_shows_help_above_the_results(client, portal):
    page = client.get(reverse("search:results"), {"q": "suicide"}).content.decode()
    calm = client.get(reverse("search:results"), {"q": "fatigue"}).content.decode()

    assert HELP_HEADING in page
    assert page.index(HELP_HEADING) < page.index("search-summary")
    assert HELP_HEADING not in calm


def test_words_a_moderator_already_handled_do_not_hold_the_item_again(
    client, writer, editor, story_data
):
    client.force_login(writer)
    data = {**story_data, "body": f"## Lately\n\n{CRISIS}", "action": "submit"}
    client.post(reverse("authoring:write_new", args=("story",)), data)
    signal = CrisisSignal.objects.get()
    crisis_signal_handle(signal=signal, user=editor, note="Talked with them; they are safe.")
    page = signal.page.specific
    client.post(reverse("authoring:withdraw", args=[page.pk]))

    # Resubmitted with a new title only: the same words, already handled.
    client.post(reverse("authoring:edit", args=[page.pk]), {**data, "title": "Lately, and pacing"})
    assert CrisisSignal.objects.filter(handled_at__isnull=True).count() == 0
    # New crisis words hold it again.
    client.post(reverse("authoring:withdraw", args=[page.pk]))
    client.post(
        reverse("authoring:edit", args=[page.pk]),
        {**data, "body": f"{CRISIS}\n\nI have been saving up my pills to take them all."},
    )
    assert CrisisSignal.objects.filter(handled_at__isnull=True).count() == 1
