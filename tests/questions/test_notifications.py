"""Experts hear of new questions in their areas; askers of answers and acceptances (issue 13).

Through social's one pipeline: stored per recipient, worded when read, emailed
by the recipient's preference. The expected recipients are worked out here
from the people the test makes, not from the code under test.
"""

from django.core import mail
from django.urls import reverse

import pytest

from core.models import Audience, CommunityIndexPage, CommunityMembership, Condition
from moderation.services import page_submit_for_review, review_approve
from questions.notifications import notify_answer_accepted
from social.models import Notification, NotificationKind
from social.notifications.selectors import notification_entries, notifications_for
from tests.factories import (
    AnswerPageFactory,
    CommunityMembershipFactory,
    CommunityPageFactory,
    ExpertVerificationFactory,
    QuestionPageFactory,
    UserFactory,
)

FOR_EXPERT = NotificationKind.QUESTION_FOR_EXPERT
ANSWERED = NotificationKind.QUESTION_ANSWERED


@pytest.fixture
def conditions(portal):
    return {
        name: Condition.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        for name in ("Relapsing MS", "Progressive MS")
    }


@pytest.fixture
def experts(conditions):
    """Verified clinicians: one per area, one in both, one in none; and an unverified expert."""
    relapsing = ExpertVerificationFactory(conditions=[conditions["Relapsing MS"]]).user
    progressive = ExpertVerificationFactory(conditions=[conditions["Progressive MS"]]).user
    both = ExpertVerificationFactory(conditions=list(conditions.values())).user
    nowhere = ExpertVerificationFactory().user
    unverified = UserFactory(group="Experts")
    return {
        "relapsing": relapsing,
        "progressive": progressive,
        "both": both,
        "nowhere": nowhere,
        "unverified": unverified,
    }


@pytest.fixture
def asker(portal):
    return UserFactory(group="Members", display_name="Asker Ann")


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    def run(make):
        with django_capture_on_commit_callbacks(execute=True):
            return make()

    return run


def told(kind, **filters):
    return set(
        Notification.objects.filter(kind=kind, **filters).values_list("recipient_id", flat=True)
    )


def test_a_published_question_tells_the_verified_experts_in_its_areas(
    question_index, conditions, experts, asker, publish
):
    question = publish(
        lambda: QuestionPageFactory(
            parent=question_index, author=asker, conditions=[conditions["Relapsing MS"]]
        )
    )

    expected = {experts["relapsing"].pk, experts["both"].pk}
    assert told(FOR_EXPERT, page_id=question.pk) == expected
    # By email too (their default is at once), naming nobody.
    to = {message.to[0] for message in mail.outbox}
    assert to == {experts["relapsing"].email, experts["both"].email}
    for message in mail.outbox:
        assert "Asker Ann" not in message.body
        assert question.title in message.body


def test_a_draft_or_a_republication_tells_nobody(question_index, conditions, experts, publish):
    draft = publish(
        lambda: QuestionPageFactory(
            parent=question_index, publish=False, conditions=[conditions["Relapsing MS"]]
        )
    )
    assert told(FOR_EXPERT, page_id=draft.pk) == set()

    question = publish(
        lambda: QuestionPageFactory(parent=question_index, conditions=[conditions["Relapsing MS"]])
    )
    Notification.objects.all().delete()
    publish(lambda: question.save_revision(user=question.author).publish())
    assert told(FOR_EXPERT) == set()


def test_a_community_question_tells_only_the_experts_who_are_members_there(
    question_index, conditions, experts, publish
):
    community = CommunityPageFactory(parent=CommunityIndexPage.objects.get())
    CommunityMembershipFactory(
        community=community, user=experts["relapsing"], state=CommunityMembership.State.ACTIVE
    )
    CommunityMembershipFactory(
        community=community, user=experts["both"], state=CommunityMembership.State.REMOVED
    )
    question = publish(
        lambda: QuestionPageFactory(
            parent=question_index,
            audience=Audience.COMMUNITY,
            community=community,
            conditions=[conditions["Relapsing MS"]],
        )
    )

    assert told(FOR_EXPERT, page_id=question.pk) == {experts["relapsing"].pk}


def test_the_experts_notice_leads_to_open_questions_and_goes_when_the_question_does(
    question_index, conditions, experts, publish
):
    expert = experts["relapsing"]
    question = publish(
        lambda: QuestionPageFactory(parent=question_index, conditions=[conditions["Relapsing MS"]])
    )

    (entry,) = notification_entries(user=expert, notifications=notifications_for(user=expert))
    assert entry.available
    assert question.title in entry.text
    assert entry.target_url == reverse("questions:open")

    question.unpublish()
    (entry,) = notification_entries(user=expert, notifications=notifications_for(user=expert))
    assert not entry.available
    assert question.title not in entry.text


def test_the_asker_hears_when_an_answer_is_published_through_medical_review(
    question_index, conditions, experts, asker, medic, publish
):
    question = QuestionPageFactory(parent=question_index, author=asker)
    expert = experts["relapsing"]
    answer = AnswerPageFactory(parent=question, author=expert, publish=False)
    page_submit_for_review(page=answer, user=expert)
    assert told(ANSWERED) == set()

    publish(lambda: review_approve(page=answer, user=medic))

    assert told(ANSWERED, page_id=question.pk, verb="published") == {asker.pk}
    (entry,) = [
        e
        for e in notification_entries(user=asker, notifications=notifications_for(user=asker))
        if e.kind == ANSWERED
    ]
    assert entry.text == f"{expert.public_name} answered your question “{question.title}”."
    assert entry.url == question.url
    assert any(m.to == [asker.email] and question.title in m.body for m in mail.outbox)


def test_an_acceptance_tells_the_asker_unless_they_accepted_and_always_the_expert(
    question_index, experts, asker, publish
):
    question = QuestionPageFactory(parent=question_index, author=asker)
    expert = experts["relapsing"]
    answer = AnswerPageFactory(parent=question, author=expert)
    moderator = UserFactory(group="Members")

    publish(lambda: notify_answer_accepted(answer=answer, accepted_by=asker))
    assert told(ANSWERED, verb="accepted") == set()
    assert told(ANSWERED, verb="accepted_yours") == {expert.pk}

    Notification.objects.all().delete()
    publish(lambda: notify_answer_accepted(answer=answer, accepted_by=moderator))
    assert told(ANSWERED, verb="accepted") == {asker.pk}
    assert told(ANSWERED, verb="accepted_yours") == {expert.pk}
    texts = {
        e.text
        for e in notification_entries(user=asker, notifications=notifications_for(user=asker))
    }
    assert texts == {f"An answer to your question “{question.title}” was accepted."}


def test_accepting_through_the_endpoint_tells_the_expert(
    client, question_index, experts, asker, publish
):
    question = QuestionPageFactory(parent=question_index, author=asker)
    expert = experts["relapsing"]
    answer = AnswerPageFactory(parent=question, author=expert)
    client.force_login(asker)

    response = publish(lambda: client.post(reverse("questions:accept", args=[answer.pk])))

    assert response.status_code == 303
    assert told(ANSWERED, verb="accepted_yours") == {expert.pk}
    assert told(ANSWERED, verb="accepted") == set()
    assert any(m.to == [expert.email] and question.title in m.body for m in mail.outbox)


def test_a_worker_running_late_still_announces_the_first_publication_once(
    question_index, conditions, experts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as first:
        question = QuestionPageFactory(
            parent=question_index, conditions=[conditions["Relapsing MS"]]
        )
    with django_capture_on_commit_callbacks() as republished:
        question.save_revision(user=question.author).publish()

    # The worker gets to both only after the republication.
    for callback in [*first, *republished]:
        callback()

    assert told(FOR_EXPERT, page_id=question.pk) == {experts["relapsing"].pk, experts["both"].pk}
    assert Notification.objects.filter(kind=FOR_EXPERT).count() == 2
