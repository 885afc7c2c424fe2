"""Members write on the site into the review workflow, and never publish directly."""

import re
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import WorkflowState

import pytest

from authoring import selectors
from authoring.forms import StoryForm
from authoring.kinds import KINDS
from authoring.services import contribution_save_draft, contribution_submit
from experience_stories.models import ExperienceStoryPage
from moderation.services import review_approve, review_request_changes
from tests.factories import BlogPageFactory, UserFactory

pytestmark = pytest.mark.django_db

WRITE_STORY = reverse("authoring:write_new", args=("story",))
CONTRIBUTIONS = reverse("authoring:contributions")


def without_csrf_tokens(response):
    return re.sub(r'value="[^"]+"', "", response.content.decode())


def save(client, data, action="save", url=WRITE_STORY):
    return client.post(url, {**data, "action": action})


def only_story():
    return ExperienceStoryPage.objects.get()


def test_write_offers_stories_and_blogs_to_members(client, writer):
    client.force_login(writer)

    html = client.get(reverse("authoring:write")).content.decode()

    assert reverse("authoring:write_new", args=("story",)) in html
    assert reverse("authoring:write_new", args=("blog",)) in html
    assert reverse("authoring:write_new", args=("article",)) not in html
    assert client.get(reverse("authoring:write_new", args=("article",))).status_code == 404


def test_experts_may_also_write_expert_articles(client, expert_writer):
    client.force_login(expert_writer)

    response = client.post(
        reverse("authoring:write_new", args=("article",)),
        {
            "title": "Fatigue explained",
            "summary": "Why it differs.",
            "body": "Text.",
            "credentials": "Consultant neurologist",
            "references": "NICE NG220 | https://www.nice.org.uk/guidance/ng220",
            "audience": "everyone",
            "action": "submit",
        },
    )

    assert response.status_code == 302
    article = expert_writer.authored_pages.get().specific
    assert article.references[0].value["url"] == "https://www.nice.org.uk/guidance/ng220"
    assert selectors.contribution_state(article).state == selectors.AWAITING_EDITORIAL


def test_visitors_are_asked_to_sign_in(client, portal):
    for url in (reverse("authoring:write"), WRITE_STORY, CONTRIBUTIONS):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_saving_a_draft_creates_an_unpublished_revision_owned_by_the_writer(
    client, writer, story_data, story_index
):
    client.force_login(writer)

    response = save(client, story_data)

    story = only_story()
    assert response.status_code == 302
    assert response.url == reverse("authoring:edit", args=(story.pk,))
    assert not story.live
    assert story.owner == writer
    assert story.author == writer
    assert story.get_parent().specific == story_index
    revision = story.get_latest_revision()
    assert revision.user == writer
    draft = revision.as_object()
    assert draft.treatments.all()[0].name == "physiotherapy"
    assert sorted(tag.name for tag in draft.tags.all()) == ["fatigue", "work"]
    assert draft.year_of_diagnosis == 2019
    assert selectors.contribution_state(story).state == selectors.DRAFT


def test_save_and_preview_shows_the_item_as_it_will_look(client, writer, story_data):
    client.force_login(writer)

    response = save(client, story_data, action="preview")
    story = only_story()
    assert response.url == reverse("authoring:preview", args=(story.pk,))
    preview = client.get(response.url)

    assert preview.status_code == 200
    html = preview.content.decode()
    assert "How I learned to pace" in html
    assert "<h2>The start</h2>" in html
    assert "PacingPat" in html
    assert "This is how it will look once published" in html
    assert "no-store" in preview["Cache-Control"]
    assert "private" in preview["Cache-Control"]


def test_submit_starts_the_workflow_as_the_writer(client, writer, story_data, editor):
    client.force_login(writer)
    mail.outbox.clear()

    response = save(client, story_data, action="submit")

    assert response.status_code == 302
    assert response.url == CONTRIBUTIONS
    story = only_story()
    state = story.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == writer
    assert state.current_task_state.task.specific.stage == "editorial"
    assert not story.live
    # The editors are told there is something to review.
    assert any(editor.email in message.to for message in mail.outbox)
    html = client.get(CONTRIBUTIONS).content.decode()
    assert "Awaiting editorial review" in html


CRAFTED_FIELDS = {
    "live": "on",
    "owner": "1",
    "author": "1",
    "go_live_at": "2000-01-01 00:00",
    "first_published_at": "2000-01-01 00:00",
    "action-publish": "action-publish",
    "action": "publish",
    "locked": "on",
    "has_unpublished_changes": "",
}


def test_crafted_fields_cannot_publish_or_change_ownership(client, writer, story_data, superuser):
    client.force_login(writer)

    save(client, {**story_data, **CRAFTED_FIELDS, "owner": superuser.pk, "author": superuser.pk})

    story = only_story()
    assert not story.live
    assert story.go_live_at is None
    assert story.first_published_at is None
    assert story.owner == writer
    assert story.author == writer
    assert not story.locked
    assert story.current_workflow_state is None


def test_my_contributions_lists_each_state_in_words(
    client, writer, story_index, blog_index, editor, medic, django_assert_max_num_queries
):
    # Not a new member, so five submissions in a day are within the limit.
    writer.date_joined = timezone.now() - timedelta(days=365)
    writer.save(update_fields=["date_joined"])

    def make(title):
        form = StoryForm(
            {
                "title": title,
                "summary": "s",
                "body": "b",
                "byline": "name",
                "tags": "",
                "audience": "everyone",
            }
        )
        assert form.is_valid(), form.errors
        return contribution_save_draft(user=writer, kind=KINDS["story"], data=form.cleaned_data)

    make("A draft")
    editorial = make("With the editors")
    contribution_submit(user=writer, page=editorial)
    medical = make("With the medics")
    contribution_submit(user=writer, page=medical)
    review_approve(page=medical, user=editor)
    sent_back = make("Sent back")
    contribution_submit(user=writer, page=sent_back)
    review_request_changes(page=sent_back, user=editor, comment="Please remove the ward name.")
    published = make("Out there")
    contribution_submit(user=writer, page=published)
    review_approve(page=published, user=editor)
    review_approve(page=published, user=medic)
    client.force_login(writer)

    with django_assert_max_num_queries(14):
        response = client.get(CONTRIBUTIONS)

    html = response.content.decode()
    for words in (
        "Draft",
        "Awaiting editorial review",
        "Awaiting medical review",
        "Changes requested",
        "Please remove the ward name.",
        "Published",
    ):
        assert words in html
    published.refresh_from_db()
    assert f'href="{published.url}"' in html


def test_contributions_query_count_does_not_grow(
    client, writer, story_data, django_assert_max_num_queries
):
    client.force_login(writer)
    for number in range(12):
        save(
            client,
            {**story_data, "title": f"Story {number}"},
            action="submit" if number % 2 else "save",
        )

    with django_assert_max_num_queries(14):
        response = client.get(CONTRIBUTIONS)

    assert response.status_code == 200


def test_changes_requested_comment_reaches_the_author_who_resubmits(
    client, writer, story_data, editor, medic
):
    client.force_login(writer)
    save(client, story_data, action="submit")
    story = only_story()
    mail.outbox.clear()

    review_request_changes(page=story, user=editor, comment="Please remove the ward name.")

    (email,) = [message for message in mail.outbox if writer.email in message.to]
    assert "Please remove the ward name." in email.body
    assert CONTRIBUTIONS in email.body
    edit_page = client.get(reverse("authoring:edit", args=(story.pk,)))
    assert "Please remove the ward name." in edit_page.content.decode()

    response = save(
        client,
        {**story_data, "body": "Without the ward name."},
        action="submit",
        url=reverse("authoring:edit", args=(story.pk,)),
    )

    assert response.status_code == 302
    state = story.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.specific.stage == "editorial"
    review_approve(page=story, user=editor)
    review_approve(page=story, user=medic)
    story.refresh_from_db()
    assert story.live
    assert "Without the ward name." in client.get(story.url).content.decode()


def test_writer_is_emailed_on_approval_and_publication(client, writer, story_data, editor, medic):
    client.force_login(writer)
    save(client, story_data, action="submit")
    story = only_story()
    mail.outbox.clear()

    review_approve(page=story, user=editor)
    (approved,) = [message for message in mail.outbox if writer.email in message.to]
    assert "passed editorial review" in approved.body

    mail.outbox.clear()
    review_approve(page=story, user=medic)
    (published,) = [message for message in mail.outbox if writer.email in message.to]
    story.refresh_from_db()
    assert "Published" in published.subject
    assert story.full_url in published.body
    # Members never use the admin, so their email does not point there.
    assert "/admin/" not in published.body


def test_item_in_review_cannot_be_edited_until_withdrawn(client, writer, story_data):
    client.force_login(writer)
    save(client, story_data, action="submit")
    story = only_story()
    edit_url = reverse("authoring:edit", args=(story.pk,))

    refused = save(client, {**story_data, "title": "Sneaky change"}, url=edit_url)
    assert refused.status_code == 400
    assert "Withdraw it from review" in refused.content.decode()
    assert story.get_latest_revision().as_object().title == story_data["title"]

    withdrawn = client.post(reverse("authoring:withdraw", args=(story.pk,)))
    assert withdrawn.status_code == 302
    assert story.current_workflow_state is None
    assert selectors.contribution_state(story).state == selectors.DRAFT
    assert save(client, {**story_data, "title": "Changed"}, url=edit_url).status_code == 302


def test_withdrawing_a_draft_is_refused_clearly(client, writer, story_data):
    client.force_login(writer)
    save(client, story_data)

    response = client.post(reverse("authoring:withdraw", args=(only_story().pk,)))

    assert response.status_code == 400
    assert "not in review" in response.content.decode()


def test_state_changes_need_post(client, writer, story_data):
    client.force_login(writer)
    save(client, story_data)
    story = only_story()

    for name in ("submit", "withdraw"):
        assert client.get(reverse(f"authoring:{name}", args=(story.pk,))).status_code == 405
    assert story.current_workflow_state is None


def test_state_changes_need_csrf(writer, story_data, story_index):
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)

    response = client.post(WRITE_STORY, {**story_data, "action": "submit"})

    assert response.status_code == 403
    assert not ExperienceStoryPage.objects.exists()


@pytest.mark.parametrize("action", ["edit", "preview", "submit", "withdraw"])
def test_someone_elses_item_looks_exactly_like_a_missing_one(
    client, writer, other_writer, story_data, action
):
    client.force_login(other_writer)
    save(client, story_data, action="submit")
    theirs = only_story()
    client = Client()  # a fresh browser: nothing left over from the other member
    client.force_login(writer)
    method = client.get if action in ("edit", "preview") else client.post

    someone_elses = method(reverse(f"authoring:{action}", args=(theirs.pk,)))
    missing = method(reverse(f"authoring:{action}", args=(theirs.pk + 1000,)))

    assert someone_elses.status_code == missing.status_code == 404
    assert without_csrf_tokens(someone_elses) == without_csrf_tokens(missing)
    assert theirs.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_others_items_are_not_listed(client, writer, other_writer, story_data):
    client.force_login(other_writer)
    save(client, {**story_data, "title": "Their private draft"})
    client.force_login(writer)

    assert "Their private draft" not in client.get(CONTRIBUTIONS).content.decode()


def test_members_still_cannot_reach_the_admin(client, writer, story_data):
    client.force_login(writer)
    save(client, story_data)

    response = client.get(reverse("wagtailadmin_pages:edit", args=(only_story().pk,)))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_new_members_can_submit_three_items_a_day(client, writer, story_data):
    client.force_login(writer)
    for number in range(3):
        assert (
            save(client, {**story_data, "title": f"Story {number}"}, action="submit").status_code
            == 302
        )

    response = save(client, {**story_data, "title": "One too many"}, action="submit")

    assert response.status_code == 429
    assert "tomorrow" in response.content.decode()
    # The fourth is kept as a draft, not lost.
    fourth = ExperienceStoryPage.objects.get(title="One too many")
    assert fourth.current_workflow_state is None


def test_established_members_have_a_higher_limit(client, writer, story_data, blog_index):
    BlogPageFactory(parent=blog_index, author=writer)  # something published already
    client.force_login(writer)

    for number in range(4):
        assert (
            save(client, {**story_data, "title": f"Story {number}"}, action="submit").status_code
            == 302
        )


def test_new_members_can_start_five_items_a_day(client, writer, story_data):
    client.force_login(writer)
    for number in range(5):
        assert save(client, {**story_data, "title": f"Draft {number}"}).status_code == 302

    response = save(client, {**story_data, "title": "Sixth"})

    assert response.status_code == 429
    assert not ExperienceStoryPage.objects.filter(title="Sixth").exists()


def test_without_health_data_consent_nobody_writes(client, portal, story_data):
    member = UserFactory(group="Members")
    client.force_login(member)

    response = save(client, story_data)

    assert response.status_code == 403
    assert "consent" in response.content.decode()
    assert not ExperienceStoryPage.objects.exists()


def test_editing_a_published_item_keeps_the_live_version_until_review(
    client, writer, story_data, editor, medic
):
    client.force_login(writer)
    save(client, story_data, action="submit")
    story = only_story()
    review_approve(page=story, user=editor)
    review_approve(page=story, user=medic)

    save(
        client,
        {**story_data, "title": "A better title"},
        action="submit",
        url=reverse("authoring:edit", args=(story.pk,)),
    )

    story.refresh_from_db()
    assert story.live
    assert story.title == story_data["title"]
    assert "A better title" not in client.get(story.url).content.decode()
    html = client.get(CONTRIBUTIONS).content.decode()
    assert "A better title" in html
    assert "An earlier version is published" in html
