"""Withdrawing health-data consent: told first, then items leave review and the site."""

from django.test import Client

from wagtail.models import PageLogEntry, WorkflowState

import pytest

from accounts.models import Consent
from accounts.selectors import consent_withdrawal_impact, has_current_consent
from accounts.services import consent_give, consent_withdraw, member_register
from core import consent
from moderation.services import page_submit_for_review, review_request_changes
from tests.factories import BlogPageFactory, ExperienceStoryPageFactory, UserFactory

pytestmark = pytest.mark.django_db

WITHDRAW = "/me/account/consent/health-data/withdraw/"


@pytest.fixture
def joined(member):
    member_register(user=member)
    return member


@pytest.fixture
def items(joined, blog_index, story_index, editor):
    """One of the member's items in each state, and another member's published item."""
    published = BlogPageFactory(parent=blog_index, author=joined, title="Published post")
    in_review = ExperienceStoryPageFactory(
        parent=story_index, author=joined, publish=False, title="Story in review"
    )
    page_submit_for_review(page=in_review, user=joined)
    draft = BlogPageFactory(parent=blog_index, author=joined, publish=False, title="Draft post")
    sent_back = BlogPageFactory(
        parent=blog_index, author=joined, publish=False, title="Post sent back"
    )
    page_submit_for_review(page=sent_back, user=joined)
    review_request_changes(page=sent_back, user=editor, comment="Please remove the ward name.")
    # Published, with a newer revision waiting for review.
    live_and_in_review = BlogPageFactory(
        parent=blog_index, author=joined, title="Published and edited"
    )
    page_submit_for_review(page=live_and_in_review, user=joined)
    someone_else = BlogPageFactory(
        parent=blog_index, author=UserFactory(), title="Someone else's post"
    )
    return {
        "published": published,
        "in_review": in_review,
        "draft": draft,
        "sent_back": sent_back,
        "live_and_in_review": live_and_in_review,
        "someone_else": someone_else,
    }


def titles(pages):
    return sorted(page.title for page in pages)


def test_impact_sorts_items_by_what_will_happen(joined, items):
    impact = consent_withdrawal_impact(joined)

    assert titles(impact.in_review) == ["Published and edited", "Story in review"]
    assert titles(impact.published) == ["Published and edited", "Published post"]
    assert titles(impact.unchanged) == ["Draft post", "Post sent back"]
    assert impact.changes_anything


def test_impact_reads_in_a_fixed_number_of_queries(joined, items, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        impact = consent_withdrawal_impact(joined)
        [state.current_task_state.task.name for state in impact.review_states.values()]


def test_confirmation_page_lists_every_item_and_changes_nothing(client, joined, items):
    client.force_login(joined)

    response = client.get(WITHDRAW)

    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    for title in ("Published post", "Story in review", "Draft post", "Post sent back"):
        assert title in html
    assert "Someone else" not in html
    assert "withdrawn from review" in html.lower()
    assert "unpublished" in html.lower()
    assert "cannot submit anything new" in html
    assert has_current_consent(joined, consent.HEALTH_DATA)
    items["published"].refresh_from_db()
    assert items["published"].live


def test_withdrawal_cancels_review_unpublishes_and_keeps_drafts(client, joined, items):
    client.force_login(joined)

    response = client.post(WITHDRAW, follow=True)

    assert response.redirect_chain == [("/me/account/", 302)]
    html = response.content.decode()
    assert "Withdrawn from review: 2 items" in html
    assert "Unpublished: 2 items" in html
    assert not has_current_consent(joined, consent.HEALTH_DATA)
    assert has_current_consent(joined, consent.GUIDELINES), "only health data was withdrawn"

    for key in ("published", "in_review", "draft", "sent_back", "live_and_in_review"):
        items[key].refresh_from_db()
    # In review: the workflow is cancelled, reviewers no longer see it.
    for key in ("in_review", "live_and_in_review"):
        assert items[key].current_workflow_state is None
        assert (
            WorkflowState.objects.filter(
                base_content_type__isnull=False, object_id=str(items[key].pk)
            )
            .latest("created_at")
            .status
            == WorkflowState.STATUS_CANCELLED
        )
    # Published: unpublished, logged as done by the member.
    for key in ("published", "live_and_in_review"):
        assert not items[key].live
        entry = PageLogEntry.objects.filter(page=items[key], action="wagtail.unpublish").get()
        assert entry.user == joined
    # Drafts and items sent back: untouched and private.
    assert not items["draft"].live
    assert items["draft"].latest_revision.content["title"] == "Draft post"
    assert items["sent_back"].current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    items["someone_else"].refresh_from_db()
    assert items["someone_else"].live


def test_unpublished_items_are_gone_for_visitors(client, joined, items, blog_index):
    url = items["published"].url
    assert client.get(url).status_code == 200

    consent_withdraw(user=joined, kind=consent.HEALTH_DATA)

    visitor = Client()
    assert visitor.get(url).status_code == 404
    listing = visitor.get(blog_index.url).content.decode()
    assert "Published post" not in listing
    assert "Someone else&#x27;s post" in listing


def test_withdraw_service_reports_what_changed(joined, items):
    summary = consent_withdraw(user=joined, kind=consent.HEALTH_DATA)

    assert summary.withdrawn
    assert sorted(summary.withdrawn_from_review) == ["Published and edited", "Story in review"]
    assert sorted(summary.unpublished) == ["Published and edited", "Published post"]
    assert sorted(summary.unchanged) == ["Draft post", "Post sent back"]


def test_withdrawing_twice_changes_nothing_the_second_time(client, joined, items):
    first = consent_withdraw(user=joined, kind=consent.HEALTH_DATA)
    second = consent_withdraw(user=joined, kind=consent.HEALTH_DATA)

    assert first.withdrawn and not second.withdrawn
    assert second.unpublished == [] and second.withdrawn_from_review == []
    client.force_login(joined)
    response = client.get(WITHDRAW)
    assert response.status_code == 302, "nothing to withdraw: back to the account page"


def test_withdrawal_also_closes_an_agreement_to_an_older_version(joined):
    Consent.objects.filter(user=joined, kind=consent.HEALTH_DATA).update(version="2025-01")

    summary = consent_withdraw(user=joined, kind=consent.HEALTH_DATA)

    assert summary.withdrawn
    assert not Consent.objects.filter(
        user=joined, kind=consent.HEALTH_DATA, withdrawn_at__isnull=True
    ).exists()


def test_guidelines_cannot_be_withdrawn(joined):
    with pytest.raises(ValueError):
        consent_withdraw(user=joined, kind=consent.GUIDELINES)


def test_consent_given_again_republishes_nothing(joined, items):
    consent_withdraw(user=joined, kind=consent.HEALTH_DATA)

    consent_give(user=joined, kind=consent.HEALTH_DATA)

    assert has_current_consent(joined, consent.HEALTH_DATA)
    items["published"].refresh_from_db()
    assert not items["published"].live
    records = Consent.objects.filter(user=joined, kind=consent.HEALTH_DATA)
    assert records.count() == 2
    assert records.filter(withdrawn_at__isnull=True).count() == 1


def test_member_without_consent_is_not_asked_to_confirm(client, member):
    client.force_login(member)

    response = client.get(WITHDRAW)

    assert response.status_code == 302
    assert response["Location"] == "/me/account/"


def test_has_current_consent_for_anonymous_and_unknown_kinds(joined):
    from django.contrib.auth.models import AnonymousUser

    assert not has_current_consent(AnonymousUser(), consent.HEALTH_DATA)
    assert not has_current_consent(joined, "marketing")
    assert has_current_consent(joined, consent.HEALTH_DATA)
