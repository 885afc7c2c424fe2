"""The erasure job: which requests it takes, running twice, keep or remove, others untouched."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from wagtail.models import ModelLogEntry, Revision

import pytest

from compliance.models import ErasureRequest
from compliance.services.erasure import erasure_perform, erasure_request_create
from core import roles
from core.models import ContentPage
from discussion.models import PageComment
from moderation.services import page_submit_for_review
from ratings.models import RatingSummary
from ratings.services import rating_upsert
from social.models import MemberFollow
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    QuestionPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def requested(user, *, choice="remove", days_ago=8):
    """A request made ``days_ago`` days ago (due after 7)."""
    return erasure_request_create(
        user=user, published_items=choice, now=timezone.now() - timedelta(days=days_ago)
    )


def run_command():
    out = io.StringIO()
    call_command("erase_due_accounts", stdout=out)
    return out.getvalue()


@pytest.fixture
def writer(portal):
    return UserFactory(group=roles.MEMBERS, display_name="Willow Writer")


def test_only_due_pending_requests_are_erased(portal, mailoutbox):
    due = requested(UserFactory(group=roles.MEMBERS))
    waiting = requested(UserFactory(group=roles.MEMBERS), days_ago=6)
    cancelled = requested(UserFactory(group=roles.MEMBERS))
    ErasureRequest.objects.filter(pk=cancelled.pk).update(status="cancelled")

    assert "Erasures queued: 1." in run_command()

    statuses = dict(ErasureRequest.objects.values_list("pk", "status"))
    assert statuses == {due.pk: "done", waiting.pk: "pending", cancelled.pk: "cancelled"}
    assert waiting.user.__class__.objects.get(pk=waiting.user_id).is_active
    assert waiting.user.__class__.objects.get(pk=cancelled.user_id).is_active


def test_running_twice_erases_once(writer, mailoutbox):
    request = requested(writer)
    address = writer.email
    run_command()
    run_command()
    erasure_perform(request=request)

    request.refresh_from_db()
    assert request.status == "done"
    assert ModelLogEntry.objects.filter(action="kindred.erasure.done").count() == 1
    receipts = [m for m in mailoutbox if m.subject == "Your Kindred account has been deleted"]
    assert len(receipts) == 1 and receipts[0].to == [address]
    assert "Hello Former member," in receipts[0].body
    assert "Willow" not in receipts[0].body


def test_a_request_not_yet_due_is_not_performed(writer):
    request = requested(writer, days_ago=1)
    erasure_perform(request=request)
    request.refresh_from_db()
    assert request.status == "pending"
    writer.refresh_from_db()
    assert writer.display_name == "Willow Writer"


@pytest.fixture
def items(writer, blog_index, story_index):
    """A published post with a newer draft, a second published one, and one in review."""
    published = BlogPageFactory(parent=blog_index, author=writer, title="Walking again")
    draft = published.get_latest_revision_as_object()
    draft.title = "Walking again, with my neighbour Jane Doe"
    draft.save_revision(user=writer)
    anonymous = BlogPageFactory(
        parent=blog_index, author=writer, title="What I never told anyone", is_anonymous=True
    )
    in_review = ExperienceStoryPageFactory(
        parent=story_index, author=writer, publish=False, title="Story waiting"
    )
    page_submit_for_review(page=in_review, user=writer)
    return published, anonymous, in_review


def test_kept_items_stay_live_without_their_author_and_keep_only_the_live_version(
    writer, items, client
):
    published, anonymous, in_review = items
    requested(writer, choice="keep")
    run_command()

    page = ContentPage.objects.get(pk=published.pk)
    assert page.live and page.author_id is None and page.owner_id is None
    assert not page.has_unpublished_changes
    revisions = Revision.objects.filter(object_id=str(page.pk))
    assert revisions.count() == 1
    assert revisions.get().pk == page.live_revision_id
    assert revisions.get().content["author"] is None
    assert not Revision.objects.filter(content__icontains="Jane Doe").exists()

    html = client.get(page.url).content.decode()
    assert "Walking again" in html
    assert "Former member" in html
    assert "Willow Writer" not in html
    html = client.get(ContentPage.objects.get(pk=anonymous.pk).url).content.decode()
    assert "Anonymous member" in html and "Willow Writer" not in html
    # Items not published are removed whatever the choice.
    assert not ContentPage.objects.filter(pk=in_review.pk).exists()


def test_removed_items_are_gone_from_the_site(writer, items, client):
    published, anonymous, in_review = items
    url = published.url
    requested(writer, choice="remove")
    run_command()

    assert not ContentPage.objects.filter(pk__in=[p.pk for p in items]).exists()
    assert not Revision.objects.filter(object_id__in=[str(p.pk) for p in items]).exists()
    assert client.get(url).status_code == 404
    assert "Walking again" not in client.get("/search/", {"q": "walking"}).content.decode()


def test_rating_summaries_are_recounted_and_others_data_stays(writer, blog_index, question_index):
    other = UserFactory(group=roles.MEMBERS, display_name="Other Olive")
    third = UserFactory(group=roles.MEMBERS, display_name="Third Theo")
    post = BlogPageFactory(parent=blog_index, author=other, title="Pacing my energy")
    rating_upsert(page=post, score=1, user=writer)
    rating_upsert(page=post, score=5, user=third)
    MemberFollow.objects.create(follower=other, followee=third)
    MemberFollow.objects.create(follower=other, followee=writer)
    others_question = QuestionPageFactory(parent=question_index, author=other, title="Heat?")
    requested(writer)
    run_command()

    summary = RatingSummary.objects.get(page=post)
    assert (summary.count, summary.total) == (1, 5)
    assert MemberFollow.objects.filter(follower=other, followee=third).exists()
    assert not MemberFollow.objects.filter(followee_id=writer.pk).exists()
    assert ContentPage.objects.filter(pk__in=[post.pk, others_question.pk]).count() == 2
    other.refresh_from_db()
    assert other.display_name == "Other Olive" and other.is_active


def test_a_reply_by_someone_else_keeps_the_thread_and_a_lone_comment_goes(writer, blog_index):
    from tests.discussion.conftest import add_comment

    other = UserFactory(group=roles.MEMBERS, display_name="Other Olive")
    post = BlogPageFactory(parent=blog_index, author=other, title="Pacing my energy")
    answered = add_comment(post, writer, "My words, answered")
    lone = add_comment(post, writer, "My words, alone")
    reply = add_comment(post, other, "Their reply", parent=answered)
    requested(writer)
    run_command()

    assert not PageComment.objects.filter(pk=lone.pk).exists()
    kept = PageComment.objects.get(pk=answered.pk)
    assert kept.comment.startswith("This comment was removed")
    assert (kept.user_id, kept.user_email, kept.ip_address) == (None, "", None)
    assert kept.user_name == "Former member"
    reply = PageComment.objects.get(pk=reply.pk)
    assert (reply.comment, reply.user_id, reply.parent_id) == ("Their reply", other.pk, answered.pk)


def test_the_tombstone_cannot_sign_in(writer):
    requested(writer)
    run_command()
    response = Client().post(
        "/accounts/login/",
        {"login": "user@example.org", "password": "correct horse battery staple"},
    )
    assert response.status_code == 200
    writer.refresh_from_db()
    assert writer.username.startswith("erased-") and not writer.is_active


def test_the_search_log_loses_searches_for_the_member_not_for_their_titles(writer, items):
    from wagtail.contrib.search_promotions.models import Query

    from search.services import search_query_log

    search_query_log(query="Willow Writer", found=False)
    search_query_log(query="walking again", found=True)
    search_query_log(query="story waiting", found=True)
    requested(writer, choice="keep")
    run_command()

    assert set(Query.objects.values_list("query_string", flat=True)) == {
        "walking again",
        "story waiting",
    }


def test_the_former_profile_and_its_picture_answer_as_missing(writer, client):
    from tests.factories import ProfileFactory

    profile = ProfileFactory(user=writer, visibility="everyone")
    address = f"/members/{profile.handle}/"
    assert client.get(address).status_code == 200
    requested(writer)
    run_command()

    assert client.get(address).status_code == 404
    assert "Willow Writer" not in client.get("/people/").content.decode()
