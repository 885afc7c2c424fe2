"""The answer service and the answer's medical review.

An answer is the expert's draft under its question (title, audience and
community the question's), needs the expert's active claim, one per expert,
and goes through the medical-only "Answer review": into the Medical
reviewers' queue, not the Editors'; approving publishes it with the medical
review recorded; an expert who also reviews cannot approve their own answer.
"""

import uuid
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from wagtail.models import WorkflowState

import pytest

from authoring.services import ContributionRefused
from core import roles
from core.models import Audience
from core.submissions import Repeated, Submission
from moderation.selectors import review_queue
from moderation.services import review_approve, review_request_changes
from questions.forms import AnswerForm
from questions.models import ANSWER_WORKFLOW_NAME, AnswerPage, QuestionClaim, StandardReply
from questions.services.answers import AnswerExists, answer_save
from questions.services.claims import ClaimRefused, QuestionNotFound, question_claim
from tests.factories import CommunityMembershipFactory, UserFactory

from .test_experts import ask, place, verified

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)> [link](javascript:alert(1))'


def answer_data(text="Rest helps; **pacing** matters. Talk to your MS nurse.", **extra):
    form = AnswerForm({"body": text, **extra}, standard_replies=StandardReply.objects.all())
    assert form.is_valid(), form.errors
    return form.cleaned_data


@pytest.fixture
def claimed(portal, question_index):
    """``(expert, question)``: a verified clinician holding the claim on a published question."""
    expert, question = verified(), ask(question_index)
    question_claim(expert=expert, question=question)
    return expert, question


def test_a_draft_answer_under_its_question(claimed):
    expert, question = claimed

    answer = answer_save(expert=expert, question=question, data=answer_data(), submit=False)

    answer.refresh_from_db()
    assert answer.get_parent().pk == question.pk
    assert answer.title == f"Answer to {question.title}"
    assert (answer.author, answer.owner) == (expert, expert)
    assert not answer.live
    assert answer.summary.startswith("Rest helps;")
    assert (answer.audience, answer.community) == (question.audience, question.community)
    assert answer.latest_revision is not None
    assert answer.current_workflow_state is None
    assert not answer.is_standard_reply


def test_the_audience_and_community_are_the_questions(portal, question_index):
    expert, group = verified(), place()
    CommunityMembershipFactory(community=group, user=expert)
    question = ask(question_index, audience=Audience.COMMUNITY, community=group)
    question_claim(expert=expert, question=question)

    answer = answer_save(expert=expert, question=question, data=answer_data(), submit=True)

    assert (answer.audience, answer.community_id) == (Audience.COMMUNITY, group.pk)
    assert answer.current_workflow_state is not None


def test_submitting_to_a_community_takes_the_membership_lock(portal, question_index):
    expert, group = verified(), place()
    membership = CommunityMembershipFactory(community=group, user=expert)
    question = ask(question_index, audience=Audience.COMMUNITY, community=group)
    question_claim(expert=expert, question=question)
    # The rules changed since the expert accepted them: authoring's lock refuses.
    membership.rules_version = group.rules_version - 1 if group.rules_version > 1 else None
    membership.save()

    with pytest.raises(ContributionRefused):
        answer_save(expert=expert, question=question, data=answer_data(), submit=True)

    assert not AnswerPage.objects.exists()


def test_markup_is_cleaned(claimed):
    expert, question = claimed

    answer = answer_save(expert=expert, question=question, data=answer_data(XSS), submit=False)

    stored = str(answer.get_latest_revision().content["body"])
    # Shown as the text it is, never as markup.
    assert "<script" not in stored and "<img" not in stored
    assert "&lt;script&gt;" in stored
    assert 'href=\\"javascript' not in stored and 'href="javascript' not in stored


def test_no_claim_no_answer(portal, question_index):
    expert, question = verified(), ask(question_index)

    with pytest.raises(ClaimRefused) as refused:
        answer_save(expert=expert, question=question, data=answer_data(), submit=True)

    assert refused.value.status == 409
    assert not AnswerPage.objects.exists()


def test_another_experts_claim_or_a_lapsed_one_is_no_claim(claimed):
    holder, question = claimed
    other = verified("Other")

    with pytest.raises(ClaimRefused):
        answer_save(expert=other, question=question, data=answer_data(), submit=False)
    QuestionClaim.objects.update(
        claimed_at=timezone.now() - timedelta(hours=60),
        expires_at=timezone.now() - timedelta(hours=1),
    )
    with pytest.raises(ClaimRefused):
        answer_save(expert=holder, question=question, data=answer_data(), submit=False)
    assert not AnswerPage.objects.exists()


@pytest.mark.parametrize("who", ["member", "unverified_expert"])
def test_only_verified_clinicians_answer(portal, question_index, who):
    question = ask(question_index)
    user = UserFactory(group=roles.MEMBERS if who == "member" else roles.EXPERTS)

    with pytest.raises(QuestionNotFound):
        answer_save(expert=user, question=question, data=answer_data(), submit=False)


def test_one_answer_per_expert(claimed):
    expert, question = claimed
    first = answer_save(expert=expert, question=question, data=answer_data(), submit=False)

    with pytest.raises(AnswerExists) as exists:
        answer_save(expert=expert, question=question, data=answer_data("Again"), submit=True)

    assert exists.value.page.pk == first.pk
    assert exists.value.status == 409
    assert AnswerPage.objects.count() == 1


def test_a_double_click_saves_once(claimed):
    expert, question = claimed
    submission = Submission(token=uuid.uuid4(), fingerprint="same")
    first = answer_save(
        expert=expert, question=question, data=answer_data(), submit=True, submission=submission
    )

    with pytest.raises(Repeated) as repeat:
        answer_save(
            expert=expert,
            question=question,
            data=answer_data(),
            submit=True,
            submission=submission,
        )

    assert repeat.value.created.pk == first.pk
    assert AnswerPage.objects.count() == 1


def test_a_standard_reply_becomes_the_answer_and_is_still_reviewed(claimed, medic):
    expert, question = claimed
    reply = StandardReply.objects.create(
        name="Personal diagnosis",
        text="We cannot assess you here.\n\nPlease see **your GP**. " + XSS,
    )

    answer = answer_save(
        expert=expert,
        question=question,
        data=answer_data("", standard_reply=str(reply.pk)),
        submit=True,
    )

    answer.refresh_from_db()
    assert answer.is_standard_reply
    body = str(answer.get_latest_revision().content["body"])
    assert "your GP" in body
    assert "<script" not in body and "<img" not in body
    assert 'href="javascript' not in body and 'href=\\"javascript' not in body
    assert answer.summary.startswith("We cannot assess you here.")
    assert not answer.live
    assert answer.current_workflow_state.workflow.name == ANSWER_WORKFLOW_NAME


def test_the_form_wants_the_text_or_a_reply_not_both(portal):
    reply = StandardReply.objects.create(name="Diagnosis", text="Ask your GP.")
    replies = StandardReply.objects.all()

    assert not AnswerForm({"body": ""}, standard_replies=replies).is_valid()
    assert not AnswerForm(
        {"body": "Mine", "standard_reply": str(reply.pk)}, standard_replies=replies
    ).is_valid()
    for wrong in ("abc", "999999", "-1", "1.5"):
        assert not AnswerForm({"standard_reply": wrong}, standard_replies=replies).is_valid()
    assert not AnswerForm({"body": "x" * 20_001}, standard_replies=replies).is_valid()
    # Editing (authoring's view) passes audiences and offers no reply.
    editing = AnswerForm({"body": "Text"}, audiences=[("everyone", "Everyone")])
    assert editing.is_valid() and "standard_reply" not in editing.fields
    assert not AnswerForm({"body": ""}, audiences=[]).is_valid()


# --- Medical review -------------------------------------------------------------------


def submitted(claimed):
    expert, question = claimed
    return answer_save(expert=expert, question=question, data=answer_data(), submit=True)


def test_the_answer_waits_in_the_medical_queue_not_the_editorial_one(claimed, medic, editor):
    answer = submitted(claimed)

    state = WorkflowState.objects.get(object_id=str(answer.pk))
    assert state.workflow.name == ANSWER_WORKFLOW_NAME
    assert review_queue(user=medic).filter(workflow_state=state).exists()
    assert not review_queue(user=editor).filter(workflow_state=state).exists()
    with pytest.raises(PermissionDenied):
        review_approve(page=answer, user=editor)


def test_a_medical_approval_publishes_it_with_the_review_recorded(claimed, medic):
    answer = submitted(claimed)

    review_approve(page=answer, user=medic, comment="Accurate.")

    answer.refresh_from_db()
    assert answer.live
    assert answer.medically_reviewed_by == medic
    assert answer.medically_reviewed_at is not None


def test_an_expert_who_also_reviews_cannot_approve_their_own_answer(portal, question_index, medic):
    expert, question = verified(), ask(question_index)
    expert.groups.add(roles_group(roles.MEDICAL_REVIEWERS))
    question_claim(expert=expert, question=question)
    answer = answer_save(expert=expert, question=question, data=answer_data(), submit=True)

    assert not review_queue(user=expert).filter(workflow_state__object_id=str(answer.pk)).exists()
    with pytest.raises(PermissionDenied):
        review_approve(page=answer, user=expert)
    answer.refresh_from_db()
    assert not answer.live

    review_approve(page=answer, user=medic)
    answer.refresh_from_db()
    assert answer.live


def test_changes_requested_come_back_to_the_expert(claimed, medic):
    answer = submitted(claimed)

    review_request_changes(page=answer, user=medic, comment="Cite the guideline.")

    answer.refresh_from_db()
    assert not answer.live
    assert answer.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES


def roles_group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=name)
