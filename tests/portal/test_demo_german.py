"""The demo has a handful of items written in German (issue 18), and one synthetic item in ten.

seed_demo publishes the German items (``portal.demo.content_de``) and a German
question with its answer (``portal.demo.questions``) in the German locale,
through the same review as the English ones; their pages say ``lang="de"``
where the item's words are, and a second run adds nothing. ``--items N``
writes one item in ten in German, with German words and tags.
"""

import io

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client
from django.utils.text import slugify

from wagtail.models import Locale, Page

import pytest

from blogs.models import BlogPage, ExpertArticlePage
from core import roles
from core.models import Audience, Condition, ContentPage
from core.selectors import readable_content
from experience_stories.models import ExperienceStoryPage
from portal.demo import bulk, content, content_de
from portal.demo import questions as question_spec
from questions.models import AcceptedAnswer, AnswerPage, QuestionPage
from search.params import SearchParams
from search.selectors import search_content
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KINDS = [
    (BlogPage, content_de.BLOG_POSTS),
    (ExpertArticlePage, content_de.EXPERT_ARTICLES),
    (ExperienceStoryPage, content_de.STORIES),
]


def _german_pages():
    return sorted(
        ContentPage.objects.filter(locale__language_code="de").values_list("slug", flat=True)
    )


def _german_question():
    (key,) = question_spec.LANGUAGES
    title = next(item[2] for item in question_spec.QUESTIONS if item[0] == key)
    return QuestionPage.objects.get(title=title)


def _check_item_page(client, page):
    """A visitor reads ``page``: its title, lede and body marked as German, the page's
    interface (the html element) still in the visitor's language."""
    response = client.get(page.url)
    assert response.status_code == 200, page.url
    html = response.content.decode()
    assert '<html lang="en-gb"' in html
    assert f'<h1 lang="de">{page.title}</h1>' in html, page.url
    assert '<div class="body" lang="de">' in html, page.url
    return html


def test_seed_demo_publishes_german_items_once():
    call_command("seed_demo", stdout=io.StringIO())
    client = Client()
    german = Locale.objects.get(language_code="de")

    for model, items in KINDS:
        for item in items:
            page = model.objects.get(slug=slugify(item["title"])[:80])
            assert page.live and not page.has_unpublished_changes, page.title
            assert page.locale == german, page.title
            assert page.audience == Audience.EVERYONE, page.title
            assert page.author.username == item["author"], page.title
            assert sorted(page.tags.values_list("name", flat=True)) == sorted(item["tags"])
            assert readable_content(user=None).filter(pk=page.pk).exists(), page.title
            html = _check_item_page(client, page)
            # The words come from the German text, not the English items'.
            assert item["paragraphs"][0].split(". ")[0] in html
            if model is ExpertArticlePage:
                assert page.medically_reviewed_by.username == "medic"
                assert page.credentials == item["credentials"]
                assert "MS-Ambulanz" in html  # the callout, in the article's language
            if model is ExperienceStoryPage:
                assert page.condition.name == item["condition"]
                assert sorted(page.treatments.values_list("name", flat=True)) == sorted(
                    item["treatments"]
                )
    # The writers are the German-speaking member and the expert.
    authors = set(
        ContentPage.objects.filter(locale=german)
        .not_type(AnswerPage)
        .values_list("author__username", flat=True)
    )
    assert authors == {"mitglied", "expert"}
    # Cards on the section listings (filtered to German) mark each German title as German.
    for model, items in KINDS:
        section = model.objects.get(slug=slugify(items[0]["title"])[:80]).get_parent()
        listing = client.get(section.url, {"lang": "de"})
        assert listing.status_code == 200
        assert listing.content.decode().count('class="card-title" lang="de"') == len(items)
    # The English items stay English.
    english = BlogPage.objects.get(slug="the-week-i-finally-heard-the-words-you-have-ms")
    assert english.locale.language_code == "en-gb"

    # The German question: public, answered in German by the expert, accepted by the asker.
    question = _german_question()
    assert question.live and question.locale == german
    assert question.author.username == "mitglied"
    assert question.audience == Audience.EVERYONE
    (answer,) = AnswerPage.objects.child_of(question).specific()
    assert answer.live and answer.locale == german
    assert answer.author.username == "expert"
    assert answer.medically_reviewed_by.username == "medic"
    assert answer.summary == question_spec.ANSWER_SUMMARY["arbeitgeber"]
    assert AcceptedAnswer.objects.filter(question=question, answer=answer).exists()
    assert {question.pk, answer.pk} <= set(readable_content(user=None).values_list("pk", flat=True))
    html = _check_item_page(client, question)
    assert "Schweigepflicht" in html  # the answer, shown with its question

    seeded = _german_pages()
    assert len(seeded) == sum(len(items) for _model, items in KINDS) + 2  # question, answer
    before = ContentPage.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert _german_pages() == seeded
    assert ContentPage.objects.count() == before


@pytest.fixture
def accounts(member, expert):
    Condition.objects.create(name="Relapsing-remitting MS", slug="relapsing-remitting-ms")
    return {
        "member1": member,
        "member2": UserFactory(group=roles.MEMBERS),
        "expert": expert,
        "mitglied": UserFactory(group=roles.MEMBERS, username="mitglied", language="de"),
    }


def test_one_synthetic_item_in_ten_is_german(accounts, sections):
    specs = list(bulk.synthetic_item_specs(count=100, accounts=accounts, sections=sections))

    german = [item for item in specs if item.locale is not None]
    assert [item.number for item in german] == list(range(5, 101, 10))
    assert {item.locale.language_code for item in german} == {"de"}
    german_words = {word for source in bulk.GERMAN_SOURCES for word in source["title"].split()}
    for item in german:
        assert set(item.title.split()) & german_words, item.title
        assert set(item.tags) <= set(content_de.SYNTHETIC_TOPICS), item.tags
        assert all(p in str(bulk.GERMAN_SOURCES) for p in item.paragraphs)
        if item.model is not ExpertArticlePage:
            assert item.author == accounts["mitglied"]
    english = [item for item in specs if item.locale is None]
    sources = content.BLOG_POSTS + content.EXPERT_ARTICLES + content.STORIES
    english_titles = {source["title"] for source in sources}
    for item in english:
        assert item.title.split(" (")[0] in english_titles, item.title
        assert set(item.tags) <= set(bulk.SYNTHETIC_TOPICS), item.tags


def test_german_synthetic_items_are_written_german_and_found_by_german_words(
    accounts, sections, client
):
    written = bulk.synthetic_items_bulk_create(
        items=bulk.synthetic_item_specs(count=20, accounts=accounts, sections=sections),
        batch_size=8,
    )

    assert written == 20
    german = ContentPage.objects.filter(
        slug__startswith=bulk.SLUG_PREFIX, locale__language_code="de"
    )
    assert sorted(german.values_list("slug", flat=True)) == ["synthetic-15", "synthetic-5"]
    others = ContentPage.objects.filter(slug__startswith=bulk.SLUG_PREFIX).exclude(pk__in=german)
    assert set(others.values_list("locale__language_code", flat=True)) == {"en-gb"}
    assert Page.find_problems() == ([], [], [], [], [])
    # The revision holds the locale the row has (what publishing a later draft restores).
    for page in german:
        assert page.latest_revision.as_object().locale_id == page.locale_id
        _check_item_page(client, page.specific)
    # "schwimmen" is only in synthetic-15's German title and body.
    hits = search_content(user=AnonymousUser(), params=SearchParams(query="schwimmen")).items
    assert [ContentPage.objects.get(pk=hit.pk).slug for hit in hits] == ["synthetic-15"]
