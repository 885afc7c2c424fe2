"""The experts' pages: open questions, claim and release, answering, areas; and the answer's
way through My contributions (edit, preview, resubmit). Hostile input everywhere: never a 500."""

from datetime import timedelta

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import WorkflowState

import pytest

from core import roles
from core.models import Audience
from moderation.services import page_submit_for_review, review_approve, review_request_changes
from questions.models import AcceptedAnswer, AnswerPage, QuestionClaim, StandardReply
from questions.services.claims import question_claim
from tests.discussion.conftest import with_consent
from tests.factories import AnswerPageFactory, CommunityMembershipFactory, UserFactory

from .test_experts import ask, condition, place, signed_in, verified

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def url(name, *args):
    return reverse(f"questions:{name}", args=args)


def card_of(html, question):
    """The open questions' card of ``question`` in ``html``."""
    start = html.index(f'id="question-{question.pk}"')
    return html[start : html.index("</article>", start)]


def flashed(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def ms(portal):
    return condition("Multiple sclerosis")


@pytest.fixture
def clinician(ms):
    return with_consent(verified("Dr Clinician", conditions=[ms]))


# --- Who may come in ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["open", "areas"])
def test_a_visitor_is_sent_to_sign_in(portal, name):
    response = Client().get(url(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_visitor_posting_a_claim_is_sent_to_sign_in(portal, question_index):
    question = ask(question_index)

    for name in ("claim", "release"):
        response = Client().post(url(name, question.pk))
        assert response.status_code == 303
        assert response["Location"].startswith(reverse("account_login"))
    assert Client().get(url("answer", question.pk)).status_code == 302
    assert not QuestionClaim.objects.exists()


@pytest.mark.parametrize("group", [roles.MEMBERS, roles.EXPERTS, roles.EDITORS, "none"])
def test_anyone_but_a_verified_clinician_finds_nothing(portal, question_index, group):
    question = ask(question_index)
    user = with_consent(UserFactory(group=None if group == "none" else group))
    client = signed_in(user)

    for response in (
        client.get(url("open")),
        client.get(url("areas")),
        client.post(url("areas"), {"conditions": []}),
        client.get(url("answer", question.pk)),
        client.post(url("answer", question.pk), {"body": "Hi", "action": "submit"}),
        client.post(url("claim", question.pk)),
        client.post(url("release", question.pk)),
    ):
        assert response.status_code == 404
    assert not QuestionClaim.objects.exists()
    assert not AnswerPage.objects.exists()


@pytest.mark.parametrize("name", ["claim", "release"])
def test_claim_and_release_answer_get_with_405(clinician, question_index, name):
    question = ask(question_index)

    assert signed_in(clinician).get(url(name, question.pk)).status_code == 405


def test_csrf_is_enforced(clinician, question_index):
    question = ask(question_index)
    client = signed_in(clinician, enforce_csrf_checks=True)

    assert client.post(url("claim", question.pk)).status_code == 403
    assert client.post(url("areas"), {"conditions": []}).status_code == 403
    assert client.post(url("answer", question.pk), {"body": "x"}).status_code == 403
    assert not QuestionClaim.objects.exists()


@pytest.mark.parametrize("pk", ["999999", "0", "2147483648", "99999999999999999999"])
def test_unknown_ids_are_404(clinician, pk):
    client = signed_in(clinician)
    path = f"/experts/questions/{pk}/"

    assert client.post(path + "claim/").status_code == 404
    assert client.post(path + "release/").status_code == 404
    assert client.get(path + "answer/").status_code == 404
    assert client.post(path + "claim/", **JSON).json() == {"error": "There is no such question."}


def test_an_id_that_is_not_a_question_is_404(clinician, question_index):
    page_id = question_index.pk  # a page, but not a question

    assert signed_in(clinician).post(url("claim", page_id)).status_code == 404


def test_questions_the_expert_may_not_read_are_404(clinician, question_index):
    group = place()
    community_question = ask(question_index, audience=Audience.COMMUNITY, community=group)
    draft = ask(question_index, publish=False)
    client = signed_in(clinician)

    for question in (community_question, draft):
        assert client.post(url("claim", question.pk)).status_code == 404
        assert client.get(url("answer", question.pk)).status_code == 404
        assert client.post(url("answer", question.pk), {"body": "Hi"}).status_code == 404
        assert question.title not in client.get(url("open") + "?all=1").content.decode()
    assert not QuestionClaim.objects.exists()


# --- Open questions -------------------------------------------------------------------


def test_open_questions_in_the_experts_areas_oldest_first(clinician, ms, question_index):
    other_condition = condition("Migraine")
    newer = ask(question_index, conditions=[ms], title="Newer MS question?")
    older = ask(question_index, conditions=[ms], title="Older MS question?")
    type(older).objects.filter(pk=older.pk).update(
        first_published_at=timezone.now() - timedelta(days=3)
    )
    elsewhere = ask(question_index, conditions=[other_condition], title="A migraine question?")
    answered = ask(question_index, conditions=[ms], title="Answered already?")
    AnswerPageFactory(parent=answered, author=verified("Other"))
    accepted = ask(question_index, conditions=[ms], title="Accepted already?")
    AcceptedAnswer.objects.create(
        question=accepted,
        answer=AnswerPageFactory(parent=accepted, author=verified("Third"), publish=False),
    )
    in_review_only = ask(question_index, conditions=[ms], title="Answer still in review?")
    AnswerPageFactory(parent=in_review_only, author=verified("Fourth"), publish=False)
    client = signed_in(clinician)

    page = client.get(url("open")).content.decode()
    everything = client.get(url("open") + "?all=1").content.decode()

    assert page.index("Older MS question?") < page.index("Newer MS question?")
    assert "Answer still in review?" in page
    for absent in ("A migraine question?", "Answered already?", "Accepted already?"):
        assert absent not in page
    assert "A migraine question?" in everything
    assert "Answered already?" not in everything
    assert f'href="{url("open")}?all=1"' in page
    assert newer and elsewhere


def test_an_anonymous_asker_shows_as_the_pseudonym_only(clinician, ms, question_index):
    asker = UserFactory(display_name="Jane Realname")
    question = ask(question_index, conditions=[ms], author=asker, is_anonymous=True)
    client = signed_in(clinician)

    for path in (url("open"), url("answer", question.pk)):
        html = client.get(path).content.decode()
        assert question.pseudonym in html
        assert "Jane Realname" not in html


def test_each_question_shows_its_claim(clinician, ms, question_index):
    mine = ask(question_index, conditions=[ms], title="Mine?")
    theirs = ask(question_index, conditions=[ms], title="Theirs?")
    lapsed = ask(question_index, conditions=[ms], title="Lapsed?")
    free = ask(question_index, conditions=[ms], title="Free?")
    question_claim(expert=clinician, question=mine)
    question_claim(expert=verified("Other"), question=theirs)
    old = question_claim(expert=verified("Third"), question=lapsed)
    QuestionClaim.objects.filter(pk=old.pk).update(
        claimed_at=timezone.now() - timedelta(hours=50),
        expires_at=timezone.now() - timedelta(hours=1),
    )

    html = signed_in(clinician).get(url("open")).content.decode()

    assert "Claimed by you until" in card_of(html, mine)
    assert url("release", mine.pk) in card_of(html, mine)
    assert "Renew" in card_of(html, mine)
    assert "Claimed by another expert until" in card_of(html, theirs)
    assert url("claim", theirs.pk) not in card_of(html, theirs)
    for question in (lapsed, free):
        assert url("claim", question.pk) in card_of(html, question)
        assert "Claimed by" not in card_of(html, question)
    assert free


def test_a_question_with_an_answer_in_review_offers_no_answer_and_no_claim(
    clinician, ms, question_index
):
    mine = ask(question_index, conditions=[ms], title="Answered by me?")
    theirs = ask(question_index, conditions=[ms], title="Answered by another?")
    drafted = ask(question_index, conditions=[ms], title="Drafted by me?")
    question_claim(expert=clinician, question=drafted)
    AnswerPageFactory(parent=drafted, author=clinician, publish=False)
    other = verified("Other", conditions=[ms])
    for expert, question in ((clinician, mine), (other, theirs)):
        question_claim(expert=expert, question=question)
        answer = AnswerPageFactory(parent=question, author=expert, publish=False)
        page_submit_for_review(page=answer, user=expert)
    QuestionClaim.objects.update(
        claimed_at=timezone.now() - timedelta(hours=50),
        expires_at=timezone.now() - timedelta(hours=1),
    )

    html = signed_in(clinician).get(url("open")).content.decode()

    mine_card, drafted_card, theirs_card = (card_of(html, q) for q in (mine, drafted, theirs))
    assert "Your answer is with the medical reviewer." in mine_card
    assert url("answer", mine.pk) in mine_card  # "Your answer", which leads to it
    assert ">Answer<" not in mine_card and url("claim", mine.pk) not in mine_card
    assert "You have started an answer" in drafted_card
    assert (
        url("answer", drafted.pk) in drafted_card and url("claim", drafted.pk) not in drafted_card
    )
    assert "Another expert’s answer is with the medical reviewer." in theirs_card
    assert url("claim", theirs.pk) not in theirs_card
    assert ">Answer<" not in theirs_card


@pytest.mark.parametrize("count", [1, 20])
def test_open_questions_cost_the_same_for_1_or_20(
    clinician, ms, question_index, count, django_assert_max_num_queries
):
    for number in range(count):
        asker = UserFactory(display_name=f"Asker {number}")
        question = ask(question_index, conditions=[ms], author=asker, is_anonymous=number % 2 == 0)
        if number % 3 == 0:
            question_claim(expert=verified(f"Other {number}"), question=question)
        if number % 4 == 1:
            answer = AnswerPageFactory(parent=question, author=clinician, publish=False)
            page_submit_for_review(page=answer, user=clinician)
    client = signed_in(clinician)
    client.get(url("open"))  # warm the session and the site's caches

    with django_assert_max_num_queries(14):
        response = client.get(url("open"))

    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == count


# --- Claim and release ----------------------------------------------------------------


def test_claiming_redirects_with_a_message(clinician, question_index):
    question = ask(question_index)

    response = signed_in(clinician).post(url("claim", question.pk), {"next": "answer"})

    assert response.status_code == 303
    assert response["Location"] == url("answer", question.pk)
    assert "yours to answer until" in flashed(response)[0]
    assert QuestionClaim.objects.get().expert == clinician


def test_claiming_anothers_question_is_refused_in_words(clinician, question_index):
    question = ask(question_index)
    question_claim(expert=verified("Other"), question=question)
    client = signed_in(clinician)

    page = client.post(url("claim", question.pk))
    script = client.post(url("claim", question.pk), **JSON)

    assert page.status_code == 409
    assert "Another expert is answering this question" in page.content.decode()
    assert script.status_code == 409
    assert "Another expert" in script.json()["error"]
    assert QuestionClaim.objects.get().expert != clinician


def test_releasing_is_idempotent_and_leaves_anothers_claim(clinician, question_index):
    question = ask(question_index)
    other = verified("Other")
    question_claim(expert=other, question=question)
    client = signed_in(clinician)

    for _ in range(2):
        response = client.post(url("release", question.pk))
        assert response.status_code == 303
    assert QuestionClaim.objects.get().expert == other

    own = ask(question_index)
    question_claim(expert=clinician, question=own)
    assert client.post(url("release", own.pk), **JSON).status_code == 200
    assert not QuestionClaim.objects.filter(question=own).exists()


def test_a_hostile_next_goes_nowhere_else(clinician, question_index):
    question = ask(question_index)

    response = signed_in(clinician).post(
        url("claim", question.pk), {"next": "https://evil.example/"}
    )

    assert response["Location"] == url("open")


# --- Answering --------------------------------------------------------------------------


def test_the_answer_page_shows_the_question_and_the_standard_replies(clinician, ms, question_index):
    question = ask(question_index, conditions=[ms])
    StandardReply.objects.create(name="Personal diagnosis", text=f"See your GP. {XSS}")
    question_claim(expert=clinician, question=question)

    html = signed_in(clinician).get(url("answer", question.pk)).content.decode()

    assert question.title in html
    assert "Multiple sclerosis" in html
    assert "Asker Real Name" in html  # not anonymous: the reviewer byline is the name
    assert "Personal diagnosis" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "Save draft" in html and "Submit for medical review" in html


def test_without_a_claim_the_page_offers_the_claim_and_a_post_is_refused(clinician, question_index):
    question = ask(question_index)
    client = signed_in(clinician)

    html = client.get(url("answer", question.pk)).content.decode()
    response = client.post(url("answer", question.pk), {"body": "My answer", "action": "save"})

    assert url("claim", question.pk) in html
    assert response.status_code == 409
    assert "Claim this question" in response.content.decode()
    assert not AnswerPage.objects.exists()


def test_save_draft_then_edit_it_under_my_contributions(clinician, question_index):
    question = ask(question_index)
    question_claim(expert=clinician, question=question)
    client = signed_in(clinician)

    response = client.post(url("answer", question.pk), {"body": "First words", "action": "save"})

    answer = AnswerPage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("authoring:edit", args=[answer.pk])
    assert not answer.live and answer.current_workflow_state is None
    edit = client.get(reverse("authoring:edit", args=[answer.pk]))
    assert edit.status_code == 200
    assert "First words" in edit.content.decode()
    preview = client.get(reverse("authoring:preview", args=[answer.pk]))
    assert preview.status_code == 200
    assert question.title in preview.content.decode()
    assert "First words" in preview.content.decode()
    assert answer.title in client.get(reverse("authoring:contributions")).content.decode()


def test_a_second_attempt_goes_to_the_first_answer(clinician, question_index):
    question = ask(question_index)
    question_claim(expert=clinician, question=question)
    client = signed_in(clinician)
    client.post(url("answer", question.pk), {"body": "First", "action": "save"})
    answer = AnswerPage.objects.get()

    again = client.get(url("answer", question.pk))
    posted = client.post(url("answer", question.pk), {"body": "Second", "action": "submit"})

    for response in (again, posted):
        assert response.status_code == 302
        assert response["Location"] == reverse("authoring:edit", args=[answer.pk])
    assert AnswerPage.objects.count() == 1


def test_submit_edit_and_resubmit_end_to_end(clinician, question_index, medic):
    question = ask(question_index)
    question_claim(expert=clinician, question=question)
    client = signed_in(clinician)

    response = client.post(
        url("answer", question.pk), {"body": "Pacing helps.", "action": "submit"}
    )

    answer = AnswerPage.objects.get()
    assert response["Location"] == reverse("authoring:contributions")
    listing = client.get(reverse("authoring:contributions")).content.decode()
    assert "Awaiting medical review" in listing
    review_request_changes(page=answer, user=medic, comment="Mention the MS nurse.")

    edit_url = reverse("authoring:edit", args=[answer.pk])
    assert "Mention the MS nurse." in client.get(edit_url).content.decode()
    response = client.post(
        edit_url, {"body": "Pacing helps. Ask your MS nurse.", "action": "submit"}
    )

    assert response.status_code == 302
    answer.refresh_from_db()
    state = answer.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    review_approve(page=answer, user=medic)
    answer.refresh_from_db()
    assert answer.live
    assert "Ask your MS nurse." in str(answer.body.raw_data)
    assert answer.medically_reviewed_by == medic


def test_answering_with_a_standard_reply(clinician, question_index):
    question = ask(question_index)
    reply = StandardReply.objects.create(name="Prescription", text="We cannot prescribe here.")
    question_claim(expert=clinician, question=question)

    response = signed_in(clinician).post(
        url("answer", question.pk),
        {"body": "", "standard_reply": str(reply.pk), "action": "submit"},
    )

    assert response.status_code == 302
    answer = AnswerPage.objects.get()
    assert answer.is_standard_reply
    assert answer.current_workflow_state is not None


@pytest.mark.parametrize(
    "data",
    [
        {"body": "x" * 20_001, "action": "submit"},
        {"body": "", "action": "submit"},
        {"body": "   ", "action": "save"},
        {"standard_reply": "abc", "action": "submit"},
        {"standard_reply": "999999", "action": "submit"},
        {"body": "Both", "standard_reply": "1", "action": "submit"},
        {},
    ],
)
def test_bad_answers_are_400_and_save_nothing(clinician, question_index, data):
    question = ask(question_index)
    StandardReply.objects.create(pk=1, name="Diagnosis", text="See your GP.")
    question_claim(expert=clinician, question=question)

    response = signed_in(clinician).post(url("answer", question.pk), data)

    assert response.status_code == 400
    assert not AnswerPage.objects.exists()


def test_an_xss_answer_is_stored_clean(clinician, question_index):
    question = ask(question_index)
    question_claim(expert=clinician, question=question)
    client = signed_in(clinician)

    client.post(url("answer", question.pk), {"body": XSS, "action": "save"})

    answer = AnswerPage.objects.get()
    preview = client.get(reverse("authoring:preview", args=[answer.pk])).content.decode()
    assert "<script>alert" not in preview
    assert "<img src=x" not in preview


def test_an_expert_without_consent_is_asked_for_it(portal, question_index):
    expert = verified()
    question = ask(question_index)

    response = signed_in(expert).get(url("answer", question.pk))

    assert response.status_code == 403


def test_a_community_question_is_answered_by_its_member_expert(clinician, question_index):
    group = place()
    CommunityMembershipFactory(community=group, user=clinician)
    question = ask(question_index, audience=Audience.COMMUNITY, community=group)
    client = signed_in(clinician)
    client.post(url("claim", question.pk))

    client.post(url("answer", question.pk), {"body": "Answer", "action": "submit"})

    answer = AnswerPage.objects.get()
    assert (answer.audience, answer.community_id) == (Audience.COMMUNITY, group.pk)


# --- Areas ------------------------------------------------------------------------------


def test_an_expert_chooses_their_areas(clinician, ms):
    fatigue = condition("Fatigue")
    client = signed_in(clinician)

    html = client.get(url("areas")).content.decode()
    response = client.post(url("areas"), {"conditions": [fatigue.pk]})

    assert "Fatigue" in html and "Multiple sclerosis" in html
    assert response.status_code == 303
    assert list(clinician.expert_verification.conditions.all()) == [fatigue]


@pytest.mark.parametrize("value", ["abc", "999999", "-1", "1.5", "x" * 1000])
def test_bad_areas_are_400(clinician, ms, value):
    response = signed_in(clinician).post(url("areas"), {"conditions": [value]})

    assert response.status_code == 400
    assert list(clinician.expert_verification.conditions.all()) == [ms]


def test_a_standard_reply_edited_under_my_contributions_is_the_experts_own_text(
    clinician, question_index
):
    question = ask(question_index)
    reply = StandardReply.objects.create(name="Prescription", text="We cannot prescribe here.")
    question_claim(expert=clinician, question=question)
    client = signed_in(clinician)
    client.post(url("answer", question.pk), {"standard_reply": str(reply.pk), "action": "save"})
    answer = AnswerPage.objects.get()
    assert answer.is_standard_reply

    response = client.post(
        reverse("authoring:edit", args=[answer.pk]),
        {"body": "Ask your MS nurse about switching; here is why.", "action": "save"},
    )

    assert response.status_code == 302
    latest = AnswerPage.objects.get().get_latest_revision_as_object()
    assert not latest.is_standard_reply
    assert latest.summary == "Ask your MS nurse about switching; here is why."
