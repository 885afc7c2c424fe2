"""schema.org JSON-LD on public items: the types, the properties Google's rich results and
schema.org ask for, values from the objects made here, and every type and property checked
against the schema.org vocabulary (a slice of release 12.0 kept beside this file).

The helpers here (``structured``, ``assert_valid``) serve the other
``test_structured_data_*`` modules too.
"""

import json
import re
from datetime import date, datetime
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.utils import timezone

from wagtail.models import Site

import pytest

from moderation.services import page_submit_for_review, review_approve
from tests.factories import (
    BlogPageFactory,
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    ProfileFactory,
)

pytestmark = pytest.mark.django_db

VOCABULARY = Path(__file__).with_name("schemaorg-12.0-slice.json")
LD_TYPE = "application/ld+json"


# -- reading the markup out of a page ---------------------------------------------------


class _LinkedData(HTMLParser):
    """The text of every ``<script type="application/ld+json">`` and whether it sat in <head>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, bool]] = []
        self._in_head = False
        self._reading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self._in_head = True
        if tag == "script" and dict(attrs).get("type") == LD_TYPE:
            self._reading = []

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        if tag == "script" and self._reading is not None:
            self.found.append(("".join(self._reading), self._in_head))
            self._reading = None

    def handle_data(self, data):
        if self._reading is not None:
            self._reading.append(data)


def structured(response) -> list[dict]:
    """Every JSON-LD object of a rendered page, parsed; each must sit in the head."""
    assert response.status_code == 200, response.status_code
    parser = _LinkedData()
    parser.feed(response.content.decode())
    parser.close()
    for _, in_head in parser.found:
        assert in_head, "JSON-LD outside <head>"
    return [json.loads(text) for text, _ in parser.found]


def only_structured(response) -> dict:
    found = structured(response)
    assert len(found) == 1, found
    return found[0]


# -- the vocabulary ----------------------------------------------------------------------


@cache
def vocabulary() -> dict:
    return json.loads(VOCABULARY.read_text())


def ancestors(type_name: str) -> set[str]:
    """``type_name`` and every class above it."""
    classes = vocabulary()["classes"]
    seen, pending = set(), [type_name]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        pending.extend(classes.get(name, []))
    return seen


DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _literal_fits(value, ranges: set[str]) -> bool:
    """Whether a plain JSON value is one of the data types the property's range names."""
    kinds = set().union(*(ancestors(name) for name in ranges))
    if isinstance(value, bool):
        return "Boolean" in kinds
    if isinstance(value, int):
        return "Integer" in kinds or "Number" in kinds
    if not isinstance(value, str):
        return False
    if "URL" in ranges and re.match(r"https?://[^\s/]+", value):
        return True
    if "Date" in ranges and DATE.fullmatch(value):
        return True
    if "DateTime" in ranges:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if moment.tzinfo is not None:
                return True
    return "Text" in ranges


def vocabulary_problems(node, where="$") -> list[str]:
    """What in ``node`` (a JSON-LD object) is not in the schema.org vocabulary or not where
    the vocabulary puts it: unknown types, unknown or superseded properties, properties
    of another type, values outside a property's range."""
    problems = []
    if isinstance(node, list):
        for index, item in enumerate(node):
            problems += vocabulary_problems(item, f"{where}[{index}]")
        return problems
    if not isinstance(node, dict):
        return problems
    classes, properties = vocabulary()["classes"], vocabulary()["properties"]
    type_name = node.get("@type")
    if type_name not in classes:
        return [f"{where}: unknown type {type_name!r}"]
    if "@context" in node and node["@context"] != "https://schema.org":
        problems.append(f"{where}: context {node['@context']!r}")
    own = ancestors(type_name)
    for key, value in node.items():
        if key.startswith("@"):
            continue
        spec = properties.get(key)
        if spec is None:
            problems.append(f"{where}.{key}: no such property")
            continue
        if spec.get("supersededBy"):
            problems.append(f"{where}.{key}: superseded by {spec['supersededBy']}")
        if not own & set(spec["domainIncludes"]):
            problems.append(f"{where}.{key}: not a property of {type_name}")
        ranges = set(spec["rangeIncludes"])
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            at = f"{where}.{key}[{index}]" if isinstance(value, list) else f"{where}.{key}"
            if isinstance(item, dict):
                if not ancestors(item.get("@type", "")) & ranges:
                    problems.append(f"{at}: {item.get('@type')!r} is not a {sorted(ranges)}")
                problems += vocabulary_problems(item, at)
            elif not _literal_fits(item, ranges):
                problems.append(f"{at}: {item!r} is not a {sorted(ranges)}")
    return problems


def assert_valid(data):
    problems = vocabulary_problems(data)
    assert not problems, problems


def test_the_vocabulary_check_can_fail():
    assert vocabulary()["version"] == "12.0"
    assert_valid({"@type": "MedicalWebPage", "reviewedBy": {"@type": "Person", "name": "A"}})
    bad = {
        "@type": "Article",
        # A web page's property on an article; a made-up property; a date that is text.
        "reviewedBy": {"@type": "Person", "name": "A"},
        "reviewer": "A",
        "lastReviewed": "yesterday",
        "author": {"@type": "Persona", "name": "A"},
        "publisher": {"@type": "Answer", "text": "A"},
        "datePublished": "2026-12-06T10:00:00",
        "url": "/relative/",
    }
    problems = " ".join(vocabulary_problems(bad))
    for expected in (
        "reviewedBy: not a property of Article",
        "reviewer: no such property",
        "lastReviewed: not a property",
        "unknown type 'Persona'",
        "'Answer' is not a",
        "datePublished: '2026-12-06T10:00:00' is not",
        "url: '/relative/' is not",
    ):
        assert expected in problems, (expected, problems)
    assert vocabulary_problems({"@type": "Question", "answerCount": "2"})


# -- what the tests expect ---------------------------------------------------------------


def site():
    return Site.objects.get(is_default_site=True)


def publisher():
    default = site()
    return {"@type": "Organization", "name": default.site_name, "url": f"{default.root_url}/"}


def profile_url(user):
    return f"{site().root_url}{user.profile.get_absolute_url()}"


def expect_page(data, page, item_type):
    """The properties every item's markup has, equal to the page's own values."""
    page.refresh_from_db()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == item_type
    assert data["headline"] == page.title
    assert data["description"] == page.summary
    assert data["url"] == page.get_full_url()
    assert data["url"].startswith("http")
    assert data["datePublished"] == page.first_published_at.isoformat()
    assert data["dateModified"] == page.last_published_at.isoformat()
    assert data["inLanguage"] == "en-GB"
    assert data["publisher"] == publisher()
    assert_valid(data)


@pytest.fixture
def writer(portal):
    """A member whose profile anyone may see: bylines name them in the markup."""
    profile = ProfileFactory(visibility="everyone", user__display_name="Wren Writer")
    return profile.user


@pytest.fixture
def reviewed(editor, medic):
    """``reviewed(page)``: ``page`` (a draft) through both review steps, published."""

    def review(page):
        page_submit_for_review(page=page, user=page.author)
        review_approve(page=page, user=editor)
        review_approve(page=page, user=medic)
        page.refresh_from_db()
        return page

    return review


def test_a_blog_post_is_a_blog_posting_by_its_public_author(client, blog_index, writer):
    page = BlogPageFactory(parent=blog_index, author=writer, title="My first year with MS")

    data = only_structured(client.get(page.url))

    expect_page(data, page, "BlogPosting")
    assert data["author"] == {"@type": "Person", "name": "Wren Writer", "url": profile_url(writer)}
    # Article rich results: headline, dates and author are all there.
    assert {"headline", "datePublished", "dateModified", "author", "publisher"} <= set(data)


def test_an_experience_story_is_an_article(client, story_index, writer):
    page = ExperienceStoryPageFactory(parent=story_index, author=writer)

    data = only_structured(client.get(page.url))

    expect_page(data, page, "Article")
    assert data["author"]["name"] == "Wren Writer"
    assert data["author"]["url"] == profile_url(writer)


def test_a_later_edit_moves_date_modified_not_date_published(client, blog_index, writer):
    page = BlogPageFactory(parent=blog_index, author=writer)
    first = page.first_published_at
    later = first + timezone.timedelta(days=3)
    page.title = "Edited later"
    page.save_revision().publish(changed=True)
    type(page).objects.filter(pk=page.pk).update(last_published_at=later)

    data = only_structured(client.get(page.url))

    assert data["headline"] == "Edited later"
    assert data["datePublished"] == first.isoformat()
    assert data["dateModified"] == later.isoformat()


def test_an_expert_article_is_a_medical_web_page_with_its_review(
    client, expert_index, expert, medic, reviewed
):
    page = reviewed(
        ExpertArticlePageFactory(
            parent=expert_index, author=expert, credentials="Consultant neurologist", publish=False
        )
    )
    assert page.medically_reviewed_by == medic

    data = only_structured(client.get(page.url))

    expect_page(data, page, "MedicalWebPage")
    assert data["reviewedBy"] == {"@type": "Person", "name": "Dr Medical Reviewer"}
    assert data["lastReviewed"] == timezone.localdate(page.medically_reviewed_at).isoformat()
    assert isinstance(date.fromisoformat(data["lastReviewed"]), date)
    # The clinician as the byline names them (with the credentials the page shows);
    # their profile is not public, so no address.
    assert data["author"] == {
        "@type": "Person",
        "name": "Dr Expert",
        "jobTitle": "Consultant neurologist",
    }


def test_an_expert_with_a_public_profile_is_linked(client, expert_index, expert):
    ProfileFactory(user=expert, visibility="everyone")
    page = ExpertArticlePageFactory(parent=expert_index, author=expert)

    data = only_structured(client.get(page.url))

    assert data["author"]["url"] == profile_url(expert)
    assert_valid(data)


def test_an_article_published_without_medical_review_claims_none(client, expert_index, expert):
    # Published directly, as a superuser can: the page says "Not medically reviewed".
    page = ExpertArticlePageFactory(parent=expert_index, author=expert)

    data = only_structured(client.get(page.url))

    expect_page(data, page, "MedicalWebPage")
    assert "reviewedBy" not in data and "lastReviewed" not in data


def test_a_reviewer_whose_account_is_gone_is_the_sites_medical_team(
    client, expert_index, expert, medic, reviewed
):
    page = reviewed(ExpertArticlePageFactory(parent=expert_index, author=expert, publish=False))
    medic.delete()

    data = only_structured(client.get(page.url))

    assert data["reviewedBy"] == publisher()
    assert "Dr Medical Reviewer" not in json.dumps(data)
    assert_valid(data)


def test_members_items_name_no_reviewer(client, blog_index, writer, reviewed):
    # The page gives the review's date only (the reviewer checks safety, not the
    # experience); MedicalWebPage's review properties are for expert articles.
    page = reviewed(BlogPageFactory(parent=blog_index, author=writer, publish=False))
    assert page.medically_reviewed_at is not None

    data = only_structured(client.get(page.url))

    assert "Dr Medical Reviewer" not in json.dumps(data)
    assert "reviewedBy" not in data
    assert_valid(data)


def test_pages_other_than_items_carry_none(client, blog_index, home):
    BlogPageFactory(parent=blog_index)
    for url in (home.url, blog_index.url):
        response = client.get(url)
        assert response.status_code == 200
        assert LD_TYPE not in response.content.decode()
