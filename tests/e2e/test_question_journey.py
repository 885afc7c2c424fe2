"""Ask an expert in a real browser (issue 13): a member asks, an editor lets it through,
a verified clinician claims and answers it on the site, a medical reviewer approves,
the asker accepts the answer and another member says it helped. The reviews are
the set-up here (the review queue in the admin has its own browser tests); every
step a member or an expert takes is a click. Nothing scrolls sideways at 360 px.
"""

import re

import pytest
from playwright.sync_api import expect

from core.models import Condition
from moderation.services import review_approve
from questions.models import AnswerPage, QuestionPage
from social.services import profile_get_or_create
from tests.discussion.conftest import with_consent
from tests.e2e.site import site_login
from tests.factories import ExpertVerificationFactory, UserFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
TITLE = "Can I keep cycling to work with MS?"
DETAILS = "It is 8 km each way and I get tired in the afternoons."
ANSWER = "Many people keep cycling; pace yourself and plan rest on the hardest days."


def sideways_scroll(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def person(name, group="Members"):
    user = with_consent(UserFactory(group=group, display_name=name))
    profile_get_or_create(user=user)
    return user


def test_a_question_is_asked_answered_accepted_and_thanked(new_page, question_index, editor, medic):
    condition = Condition.objects.create(name="Relapsing-remitting MS", slug="rrms")
    asker, reader = person("Asha Asker"), person("Rui Reader")
    clinician = with_consent(
        ExpertVerificationFactory(
            user=UserFactory(group="Experts", display_name="Dr Nia Neuro"),
            profession="Neurologist",
            conditions=[condition],
        ).user
    )
    profile_get_or_create(user=clinician)

    # The member asks, publicly, about one condition.
    page = new_page()
    page.set_viewport_size(DESKTOP)
    site_login(page, asker.email)
    page.set_viewport_size(PHONE)
    page.goto("/questions/ask/")
    expect(page.locator("#service-level")).to_contain_text("Experts usually answer within 5 days")
    page.get_by_label("Your question").fill(TITLE)
    page.get_by_label("Details").fill(DETAILS)
    page.get_by_label("Relapsing-remitting MS").check()
    page.get_by_label("Everyone (public, also found by search engines)").check()
    assert sideways_scroll(page) == 0
    page.get_by_role("button", name="Submit for review").click()
    expect(page).to_have_url(re.compile(r"/me/contributions/$"))
    expect(page.locator("main")).to_contain_text(TITLE)

    question = QuestionPage.objects.get(title=TITLE)
    review_approve(page=question, user=editor)

    # The clinician finds it among the open questions in their area, claims it and answers.
    expert_page = new_page()
    expert_page.set_viewport_size(DESKTOP)
    site_login(expert_page, clinician.email)
    expert_page.set_viewport_size(PHONE)
    expert_page.goto("/experts/questions/")
    expect(expert_page.locator("main")).to_contain_text(TITLE)
    assert "Asha Asker" in expert_page.locator("main").inner_text()
    expert_page.get_by_role("button", name=f"Claim “{TITLE}”").click()
    expect(expert_page.locator("main")).to_contain_text(TITLE)
    expert_page.get_by_label("Your answer").fill(ANSWER)
    expert_page.get_by_role("button", name="Submit for medical review").click()
    expect(expert_page).to_have_url(re.compile(r"/me/contributions/$"))

    answer = AnswerPage.objects.get()
    review_approve(page=answer, user=medic)

    # The asker reads it under the question, with the clinician's badge, and accepts it.
    page.goto(QuestionPage.objects.get(pk=question.pk).url)
    answer_box = page.locator(f"#answer-{answer.pk}")
    expect(answer_box).to_contain_text(ANSWER)
    expect(answer_box).to_contain_text("Verified clinician · Neurologist")
    page.get_by_role("button", name="Accept this answer").click()
    expect(page.locator(f"#answer-{answer.pk}")).to_contain_text("Accepted answer")
    assert sideways_scroll(page) == 0

    # Another member says it helped, once.
    reader_page = new_page()
    reader_page.set_viewport_size(DESKTOP)
    site_login(reader_page, reader.email)
    reader_page.goto(question.url)
    reader_page.get_by_role("button", name="This helped").click()
    expect(reader_page.locator(f"#answer-{answer.pk}")).to_contain_text(
        "1 member found this helpful"
    )
