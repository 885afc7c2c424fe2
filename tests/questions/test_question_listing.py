"""Finding questions: /questions/ with its filters and sorts, and site search."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from core.models import Audience, CommunityIndexPage, Condition
from questions.models import AcceptedAnswer, HelpfulMark
from questions.params import QuestionListParams
from tests.factories import UserFactory
from tests.factories.communities import CommunityMembershipFactory, CommunityPageFactory
from tests.factories.questions import AnswerPageFactory, QuestionPageFactory
from tests.html import without_csrf_tokens
from tests.search.fixtures import search_backend  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(question_index, expert, member):
    """Questions in every state: unanswered, answered (one with only a draft answer), accepted."""
    ms = Condition.objects.create(name="Relapsing MS", slug="relapsing-ms")
    other = Condition.objects.create(name="Fatigue", slug="fatigue-c")
    make = QuestionPageFactory
    questions = {
        "unanswered": make(parent=question_index, title="Zqunanswered?", conditions=[ms]),
        "draft_only": make(parent=question_index, title="Zqdraftonly?"),
        "answered": make(parent=question_index, title="Zqanswered?", conditions=[other]),
        "accepted": make(parent=question_index, title="Zqaccepted?", conditions=[ms]),
    }
    AnswerPageFactory(parent=questions["draft_only"], author=expert, publish=False)
    answered = AnswerPageFactory(parent=questions["answered"], author=expert)
    accepted = AnswerPageFactory(parent=questions["accepted"], author=expert)
    AcceptedAnswer.objects.create(question=questions["accepted"], answer=accepted)
    for reader in (member, UserFactory(group="Members")):
        HelpfulMark.objects.create(answer=answered, user=reader)
    return questions


def titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    return {
        name
        for name in ("unanswered", "draft_only", "answered", "accepted")
        if f"Zq{name.replace('_', '')}?" in text
    }


def test_status_filters(client, world, question_index):
    url = question_index.url
    assert titles(client, url) == {"unanswered", "draft_only", "answered", "accepted"}
    assert titles(client, f"{url}?status=unanswered") == {"unanswered", "draft_only"}
    assert titles(client, f"{url}?status=answered") == {"answered", "accepted"}
    assert titles(client, f"{url}?status=accepted") == {"accepted"}


def test_condition_filter(client, world, question_index):
    assert titles(client, f"{question_index.url}?condition=relapsing-ms") == {
        "unanswered",
        "accepted",
    }


def test_most_helpful_first(client, world, question_index):
    text = client.get(f"{question_index.url}?sort=helpful").content.decode()
    assert text.index("Zqanswered?") < text.index("Zqaccepted?")
    assert text.index("Zqanswered?") < text.index("Zqunanswered?")


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "status=answered&status=accepted",
        "condition=<script>",
        "condition=" + "x" * 5000,
        "community=nope",
        "sort=-pk",
        "sort=helpful;DROP",
        "page=-1",
        "page=99999999999999999999",
        "page=abc",
        "condition=%00",
    ],
)
def test_bad_filters_fall_back_without_errors(client, world, question_index, query):
    response = client.get(f"{question_index.url}?{query}")
    assert response.status_code == 200
    assert "<script>" not in without_csrf_tokens(response.content.decode()).split("<main")[-1]


def test_params_parse_to_defaults():
    params = QuestionListParams.from_query({"status": ["x"], "sort": None, "page": "0"})
    assert params == QuestionListParams()
    assert QuestionListParams.from_query(None) == QuestionListParams()


def test_a_community_filter_only_for_members_who_may_see_it(client, question_index, member):
    index = CommunityIndexPage.objects.get()
    mine = CommunityPageFactory(parent=index, title="Zqmine", slug="zqmine")
    unlisted = CommunityPageFactory(
        parent=index, title="Zqhidden", slug="zqhidden", is_listed=False
    )
    CommunityMembershipFactory(community=mine, user=member)
    QuestionPageFactory(
        parent=question_index, title="Zqincommunity?", audience=Audience.COMMUNITY, community=mine
    )
    QuestionPageFactory(
        parent=question_index, title="Zqinhidden?", audience=Audience.COMMUNITY, community=unlisted
    )
    QuestionPageFactory(parent=question_index, title="Zqpublic?")

    client.force_login(member)
    text = client.get(f"{question_index.url}?community=zqmine").content.decode()
    assert "Zqincommunity?" in text and "Zqpublic?" not in text
    assert 'value="zqmine"' in text and "Zqhidden" not in text
    # Someone else's unlisted community is ignored: the whole readable list.
    text = client.get(f"{question_index.url}?community=zqhidden").content.decode()
    assert "Zqinhidden?" not in text and "Zqhidden" not in text and "Zqpublic?" in text

    outsider = UserFactory(group="Members")
    client.force_login(outsider)
    text = client.get(f"{question_index.url}?community=zqmine").content.decode()
    assert "Zqincommunity?" not in text and 'value="zqmine"' not in text


def test_counts_only_what_the_reader_may_read(client, question_index, member):
    QuestionPageFactory(parent=question_index, audience=Audience.MEMBERS)
    QuestionPageFactory(parent=question_index, audience=Audience.EVERYONE)
    QuestionPageFactory(parent=question_index, publish=False)
    assert "1 question<" in client.get(question_index.url).content.decode().replace("</p>", "<")
    client.force_login(member)
    assert "2 questions" in client.get(question_index.url).content.decode()


def test_an_anonymous_askers_name_is_not_on_the_listing(client, question_index):
    asker = UserFactory(group="Members", display_name="Zqsecretname")
    QuestionPageFactory(parent=question_index, author=asker, is_anonymous=True)
    text = client.get(question_index.url).content.decode()
    assert "Anonymous member" in text
    assert "Zqsecretname" not in text and asker.username not in text


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_questions(client, question_index, expert, member, portal):
    ms = Condition.objects.create(name="MS", slug="ms")

    def add(count):
        for _ in range(count):
            question = QuestionPageFactory(parent=question_index, conditions=[ms], tags=["work"])
            answer = AnswerPageFactory(parent=question, author=expert)
            HelpfulMark.objects.create(answer=answer, user=member)

    client.force_login(member)
    add(1)
    _queries(client, question_index.url)
    one = _queries(client, f"{question_index.url}?sort=helpful&status=answered")
    add(19)
    assert _queries(client, f"{question_index.url}?sort=helpful&status=answered") == one


# --- Site search (the database backend) --------------------------------------------------


def test_search_finds_questions_and_answers_and_filters_by_type(
    client,
    question_index,
    expert,
    search_backend,  # noqa: F811
):
    question = QuestionPageFactory(parent=question_index, title="Zqswimming with MS?")
    answer = AnswerPageFactory(parent=question, author=expert)
    search_backend.sync()

    text = client.get("/search/?q=zqswimming").content.decode()
    assert question.url in text
    text = client.get("/search/?q=zqswimming&type=question").content.decode()
    assert question.url in text
    assert answer.url not in text
    # An answer hit leads to its question.
    if answer.url in client.get("/search/?q=zqswimming").content.decode():
        response = client.get(answer.url)
        assert response["Location"] == f"{question.url}#answer-{answer.pk}"
