"""The questions index filters by language (issue 18), as the other listings do.

``?lang=`` lists the questions written in one language; the status, order and
condition filters keep it, and it keeps them; an unknown value lists every
language and is not echoed; it never shows a question the reader may not read.
"""

from wagtail.models import Locale

import pytest
from bs4 import BeautifulSoup

from core.models import Audience, Condition
from moderation.services import page_submit_for_review
from questions.params import QuestionListParams
from tests.factories.questions import AnswerPageFactory, QuestionPageFactory
from tests.xss import PAYLOADS as XSS_PAYLOADS
from tests.xss import assert_harmless

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(question_index, expert):
    """Two English and two German public questions (one of each answered), a German
    question for members only, all about one condition, and a German draft and one in
    review."""
    german = Locale.objects.get(language_code="de")
    ms = Condition.objects.create(name="Relapsing MS", slug="relapsing-ms")
    make = QuestionPageFactory
    english = [
        make(parent=question_index, title="Does heat make it worse?", conditions=[ms]),
        make(parent=question_index, title="Is cooling vest worth it?", conditions=[ms]),
    ]
    deutsch = [
        make(parent=question_index, title="Hilft Kälte?", conditions=[ms], locale=german),
        make(parent=question_index, title="Wann zum Arzt?", conditions=[ms], locale=german),
    ]
    members_only = make(
        parent=question_index,
        title="Nur für Mitglieder?",
        conditions=[ms],
        locale=german,
        audience=Audience.MEMBERS,
    )
    AnswerPageFactory(parent=english[0], author=expert)
    AnswerPageFactory(parent=deutsch[0], author=expert, locale=german)
    # Never listed, in any language, to anyone here: a German draft and one in review.
    make(parent=question_index, title="Entwurf?", locale=german, publish=False)
    in_review = make(parent=question_index, title="In Prüfung?", locale=german, publish=False)
    page_submit_for_review(page=in_review, user=in_review.author)
    return {"en": english, "de": deutsch, "members": members_only}


def card_titles(response):
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return sorted(node.get_text(strip=True) for node in soup.select(".card-title"))


def test_the_questions_index_lists_one_language_on_request(client, asked, question_index):
    german = client.get(question_index.url, {"lang": "de"})
    english = client.get(question_index.url, {"lang": "en-gb"})

    assert card_titles(german) == sorted(page.title for page in asked["de"])
    assert card_titles(english) == sorted(page.title for page in asked["en"])
    assert len(card_titles(client.get(question_index.url))) == 4


def test_a_member_sees_the_members_question_in_its_language_only(
    client, member, asked, question_index
):
    client.force_login(member)

    german = card_titles(client.get(question_index.url, {"lang": "de"}))
    english = card_titles(client.get(question_index.url, {"lang": "en-gb"}))

    assert asked["members"].title in german
    assert asked["members"].title not in english
    assert not {"Entwurf?", "In Prüfung?"} & {*german, *english}


def test_the_language_combines_with_status_and_condition(client, asked, question_index):
    answered_german = client.get(
        question_index.url, {"lang": "de", "status": "answered", "condition": "relapsing-ms"}
    )

    assert card_titles(answered_german) == [asked["de"][0].title]


def test_every_link_and_the_filter_form_keep_the_language(client, asked, question_index):
    soup = BeautifulSoup(
        client.get(question_index.url, {"lang": "de", "status": "answered"}).content,
        "html.parser",
    )

    status_and_order = [link["href"] for link in soup.select(".sort-links a")]
    assert status_and_order and all("lang=de" in href for href in status_and_order)
    assert soup.select_one("form.question-filters input[name=lang]")["value"] == "de"
    languages = soup.select(".language-links a")
    assert [link.get_text(strip=True) for link in languages] == [
        "All languages",
        "English",
        "Deutsch",
    ]
    assert [link.get("aria-current") for link in languages] == [None, None, "true"]
    # Choosing another language keeps the status and starts the list over.
    assert languages[1]["href"] == f"{question_index.url}?status=answered&lang=en-gb"
    assert languages[0]["href"] == f"{question_index.url}?status=answered"
    # The page's feeds are the same language's.
    feeds = [link["href"] for link in soup.select("link[rel=alternate]")]
    assert len(feeds) == 2 and all(href.endswith("?lang=de") for href in feeds)


def test_pages_of_a_language_carry_it(client, question_index):
    german = Locale.objects.get(language_code="de")
    for n in range(14):
        QuestionPageFactory(parent=question_index, title=f"Frage {n}?", locale=german)
    QuestionPageFactory(parent=question_index, title="An English question?")

    soup = BeautifulSoup(client.get(question_index.url, {"lang": "de"}).content, "html.parser")
    next_link = soup.select_one(".pagination a[rel=next]")
    assert "lang=de" in next_link["href"]
    second = card_titles(client.get(next_link["href"]))
    assert second and "An English question?" not in second


@pytest.mark.parametrize("value", ["fr", "d" * 10_000, "", *XSS_PAYLOADS])
def test_an_unknown_language_lists_every_language_and_is_not_echoed(
    client, asked, question_index, value
):
    response = client.get(question_index.url, {"lang": value})

    assert len(card_titles(response)) == 4
    body = response.content.decode()
    assert "lang=" + value not in body or value == ""
    assert_harmless(body)


def test_a_repeated_or_listed_language_is_not_one(client, asked, question_index):
    response = client.get(f"{question_index.url}?lang=de&lang=en-gb")

    assert len(card_titles(response)) == 4
    assert QuestionListParams.from_query({"lang": ["de"]}).language == ""


def test_params_parse_the_language_and_put_it_back(rf):
    params = QuestionListParams.from_query(rf.get("/", {"lang": "DE-at", "sort": "helpful"}).GET)

    assert params.language == "de"
    assert params.query() == {"sort": "helpful", "lang": "de"}
    assert params.query(lang="") == {"sort": "helpful"}


@pytest.mark.parametrize("count", [1, 6])
def test_a_language_listing_costs_the_same_queries_however_many_questions(
    client, question_index, expert, django_assert_max_num_queries, count
):
    german = Locale.objects.get(language_code="de")
    for n in range(count):
        question = QuestionPageFactory(parent=question_index, title=f"Frage {n}?", locale=german)
        AnswerPageFactory(parent=question, author=expert, locale=german)
    client.get(question_index.url, {"lang": "de"})  # warm the site and route caches

    with django_assert_max_num_queries(14):
        response = client.get(question_index.url, {"lang": "de", "status": "answered"})
    assert len(card_titles(response)) == count
