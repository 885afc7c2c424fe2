"""The question page: the question, its published answers (accepted first), thanks and accepting."""

import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from core.models import Audience, CommunityIndexPage, CommunityMembership
from questions.models import AcceptedAnswer, HelpfulMark, QuestionSettings
from questions.services.thanks import answer_accept
from tests.discussion.conftest import add_comment
from tests.factories import UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.factories.questions import (
    AnswerPageFactory,
    ExpertVerificationFactory,
    QuestionPageFactory,
)
from tests.html import without_csrf_tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker(portal):
    return UserFactory(group="Members", display_name="Asking Alex")


@pytest.fixture
def verified(portal):
    return ExpertVerificationFactory(
        user=UserFactory(group="Experts", display_name="Dr Vera Nerve"), profession="Neurologist"
    ).user


@pytest.fixture
def question(question_index, asker):
    return QuestionPageFactory(
        parent=question_index, author=asker, audience=Audience.EVERYONE, title="Can I swim?"
    )


def text_of(response) -> str:
    return without_csrf_tokens(response.content.decode())


def test_the_question_and_its_published_answers(client, question, verified):
    published = AnswerPageFactory(parent=question, author=verified)
    draft = AnswerPageFactory(parent=question, author=verified, publish=False)

    response = client.get(question.url)

    assert response.status_code == 200
    text = text_of(response)
    assert "Can I swim?" in text
    assert f'id="answer-{published.pk}"' in text
    assert f'id="answer-{draft.pk}"' not in text
    assert "Dr Vera Nerve" in text
    assert "Verified clinician · Neurologist" in text
    assert "0 members found this helpful" in text
    # A visitor is offered no buttons.
    assert "This helped" not in text and "Accept this answer" not in text


def test_an_answer_by_someone_not_verified_has_no_badge(client, question, expert):
    AnswerPageFactory(parent=question, author=expert)
    assert "Verified clinician" not in text_of(client.get(question.url))


def test_the_accepted_answer_comes_first_and_is_marked(client, question, verified, asker):
    first = AnswerPageFactory(parent=question, author=verified)
    second = AnswerPageFactory(parent=question, author=verified)
    answer_accept(user=asker, answer=second)

    text = text_of(client.get(question.url))

    assert text.index(f'id="answer-{second.pk}"') < text.index(f'id="answer-{first.pk}"')
    assert text.count("Accepted answer") == 1


def test_the_asker_sees_accept_buttons_and_a_member_sees_this_helped(
    client, question, verified, asker, member
):
    answer = AnswerPageFactory(parent=question, author=verified)

    client.force_login(asker)
    text = text_of(client.get(question.url))
    assert "Accept this answer" in text
    assert f'action="/answers/{answer.pk}/accept/"' in text

    client.force_login(member)
    text = text_of(client.get(question.url))
    assert "Accept this answer" not in text
    assert f'action="/answers/{answer.pk}/helpful/"' in text
    HelpfulMark.objects.create(answer=answer, user=member)
    text = text_of(client.get(question.url))
    assert "1 member found this helpful" in text
    assert 'aria-pressed="true"' in text


def test_the_answers_author_gets_no_this_helped_button(client, question, verified):
    AnswerPageFactory(parent=question, author=verified)
    client.force_login(verified)
    assert "/helpful/" not in text_of(client.get(question.url))


def test_a_community_moderator_sees_accept(client, question_index, verified, asker):
    community = CommunityPageFactory(parent=CommunityIndexPage.objects.get())
    CommunityMembershipFactory(community=community, user=asker)
    moderator = CommunityMembershipFactory(
        community=community, role=CommunityMembership.Role.MODERATOR
    ).user
    question = QuestionPageFactory(
        parent=question_index, author=asker, audience=Audience.COMMUNITY, community=community
    )
    AnswerPageFactory(parent=question, author=verified)
    client.force_login(moderator)
    assert "Accept this answer" in text_of(client.get(question.url))


def test_the_asker_is_told_it_waits_for_an_expert(client, question, asker, site_pages):
    from wagtail.models import Site

    settings = QuestionSettings.for_site(Site.objects.get(is_default_site=True))
    settings.answer_within_days = 3
    settings.save()
    client.force_login(asker)
    text = text_of(client.get(question.url))
    assert "waiting for an expert" in text
    assert "within 3 days" in text


def test_others_are_not_told_it_waits(client, question, member):
    client.force_login(member)
    assert "waiting for an expert" not in text_of(client.get(question.url))


def test_an_anonymous_question_names_nobody(client, question_index, asker):
    anonymous = QuestionPageFactory(parent=question_index, author=asker, is_anonymous=True)
    for viewer in (None, UserFactory(group="Members")):
        if viewer:
            client.force_login(viewer)
        text = text_of(client.get(anonymous.url))
        assert "Anonymous member" in text
        assert "Asking Alex" not in text and asker.username not in text
        assert anonymous.pseudonym not in text


def test_conditions_and_audience_are_shown(client, question_index, asker):
    from core.models import Condition

    condition = Condition.objects.create(name="Relapsing MS", slug="relapsing-ms")
    question = QuestionPageFactory(
        parent=question_index, author=asker, audience=Audience.MEMBERS, conditions=[condition]
    )
    client.force_login(asker)
    text = text_of(client.get(question.url))
    assert "Relapsing MS" in text
    assert "For members of Kindred" in text


def test_an_answers_address_leads_to_it_under_the_question(client, question, verified):
    answer = AnswerPageFactory(parent=question, author=verified)
    response = client.get(answer.url)
    assert response.status_code == 302
    assert response["Location"] == f"{question.url}#answer-{answer.pk}"


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_answers_marks_and_comments(
    client, question_index, verified, asker
):
    readers = [UserFactory(group="Members") for _ in range(3)]

    def build(count):
        question = QuestionPageFactory(parent=question_index, author=asker)
        answers = [AnswerPageFactory(parent=question, author=verified) for _ in range(count)]
        for answer in answers:
            for reader in readers[: 1 + count % 3]:
                HelpfulMark.objects.create(answer=answer, user=reader)
        for n in range(count):
            add_comment(question, readers[n % 3], text=f"Comment {n}")
        AcceptedAnswer.objects.create(question=question, answer=answers[-1], accepted_by=asker)
        return question

    small, large = build(1), build(20)
    client.force_login(readers[0])
    # Warm caches (site root paths, settings, each address's remembered route and tags).
    _queries(client, small.url)
    _queries(client, large.url)
    assert _queries(client, large.url) == _queries(client, small.url)


def _json_ld(text):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    return [json.loads(each) for each in found]


def test_json_ld_is_escaped(client, question_index, asker, verified):
    question = QuestionPageFactory(
        parent=question_index, author=asker, title="</script><script>alert(1)</script> & more?"
    )
    AnswerPageFactory(parent=question, author=verified)
    text = client.get(question.url).content.decode()
    assert "<script>alert(1)" not in text
    (data,) = _json_ld(text)
    assert data["mainEntity"]["name"] == "</script><script>alert(1)</script> & more?"


# --- Issue 17: what the question page reads from the cache, and its answers' gate ------


def _rendered(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return text_of(response)


def test_a_questions_conditions_follow_its_publish_a_rename_and_a_deletion(
    client, question_index, asker, settings
):
    from core.models import Condition

    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    relapsing = Condition.objects.create(name="Relapsing MS", slug="relapsing-ms")
    fatigue = Condition.objects.create(name="Fatigue", slug="fatigue")
    question = QuestionPageFactory(
        parent=question_index, author=asker, audience=Audience.MEMBERS, conditions=[relapsing]
    )
    client.force_login(asker)
    assert "Relapsing MS" in _rendered(client, question.url)  # now in the cache

    question.conditions.set([relapsing, fatigue])
    question.save_revision().publish()
    assert "Fatigue, Relapsing MS" in _rendered(client, question.url)

    relapsing.name = "Relapsing-remitting MS"
    relapsing.save()
    assert "Fatigue, Relapsing-remitting MS" in _rendered(client, question.url)

    fatigue.delete()
    text = _rendered(client, question.url)
    assert "Fatigue" not in text and "Relapsing-remitting MS" in text

    # Changed from the condition's side.
    relapsing.questions.remove(question)
    assert "Relapsing-remitting MS" not in _rendered(client, question.url)


def test_a_changed_service_level_reaches_the_askers_next_render(client, question, asker, settings):
    from wagtail.models import Site

    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    client.force_login(asker)
    assert "within 5 days" in _rendered(client, question.url)  # the default, now cached
    setting = QuestionSettings.for_site(Site.objects.get(is_default_site=True))
    setting.answer_within_days = 2
    setting.save()
    assert "within 2 days" in _rendered(client, question.url)


def test_the_pages_answers_are_exactly_those_readable_content_lists(
    question_index, asker, verified, community_index
):
    """``readable_answers`` tests restrictions in its own query: it must agree with the gate."""
    from wagtail.models import PageViewRestriction

    from core.selectors import readable_content
    from questions.models import AnswerPage
    from questions.selectors.questions import readable_answers

    community = CommunityPageFactory(parent=community_index, title="Carers")
    insider = UserFactory(group="Members")
    CommunityMembershipFactory(community=community, user=insider)
    readers = [None, asker, verified, insider, UserFactory(group="Members")]

    open_question = QuestionPageFactory(parent=question_index, author=asker)
    visible = AnswerPageFactory(parent=open_question, author=verified)
    AnswerPageFactory(parent=open_question, author=verified, publish=False)
    AnswerPageFactory(parent=open_question, author=verified, audience=Audience.MEMBERS)
    AnswerPageFactory(
        parent=open_question, author=verified, audience="community", community=community
    )
    behind_own = AnswerPageFactory(parent=open_question, author=verified)
    PageViewRestriction.objects.create(page=behind_own, restriction_type="login")
    behind_question = QuestionPageFactory(parent=question_index, author=asker)
    AnswerPageFactory(parent=behind_question, author=verified)
    PageViewRestriction.objects.create(page=behind_question, restriction_type="login")
    behind_section = QuestionPageFactory(parent=question_index, author=asker)
    AnswerPageFactory(parent=behind_section, author=verified)

    def both(user, question):
        gate = readable_content(user=user, queryset=AnswerPage.objects.child_of(question))
        return {a.pk for a in readable_answers(user=user, question=question)}, {a.pk for a in gate}

    for question in (open_question, behind_question):
        for user in readers:
            ours, gate = both(user, question)
            assert ours == gate, (question.title, user)
    assert both(None, open_question)[0] == {visible.pk}
    assert both(insider, open_question)[0] and len(both(insider, open_question)[0]) == 3
    assert both(asker, behind_question) == (set(), set())
    # A restriction above the question (on the section) hides its answers too.
    PageViewRestriction.objects.create(page=question_index, restriction_type="login")
    for user in readers:
        assert both(user, behind_section) == (set(), set())


def test_the_askers_preview_shows_the_drafts_conditions_and_never_caches_them(
    client, question_index, asker, settings
):
    from django.urls import reverse

    from core.models import Condition

    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    live = Condition.objects.create(name="Relapsing MS", slug="relapsing-ms")
    drafted = Condition.objects.create(name="Fatigue", slug="fatigue")
    question = QuestionPageFactory(
        parent=question_index, author=asker, owner=asker, conditions=[live]
    )
    client.force_login(asker)
    assert "Relapsing MS" in _rendered(client, question.url)  # the live ones, now cached
    draft = question.get_latest_revision_as_object()
    draft.conditions.set([drafted])
    draft.save_revision(user=asker)

    preview = _rendered(client, reverse("authoring:preview", args=[question.pk]))
    assert "Fatigue" in preview and "Relapsing MS" not in preview
    # The draft's conditions never reach the live page (nor the cache it reads).
    text = _rendered(client, question.url)
    assert "Relapsing MS" in text and "Fatigue" not in text
