"""The words of Kindred's scripts come from the server in the page's language (issue 18).

No JavaScript catalogue: the rating endpoint's JSON carries the widget's sentences
already worded and pluralised (the average as German writes it, 4,5), the hints
endpoint the kind of personal data as it reads inside a sentence, and each
widget's template carries the script's fixed words in data-* attributes.
"""

import html
import re

from django.urls import reverse

from wagtail.models import Site

import pytest

from core.models import CommunitySettings
from ratings.models import Rating, RatingSummary
from ratings.services import anonymous_key_for
from tests.discussion.conftest import with_consent
from tests.factories import (
    ExperienceStoryPageFactory,
    ExpertArticlePageFactory,
    UserFactory,
)
from tests.german import GERMAN, assert_german, german_item
from tests.ratings.helpers import rate

pytestmark = pytest.mark.django_db


def german_member(**kwargs):
    user = UserFactory(group="Members", display_name="Sonnenblume", **kwargs)
    user.language = "de"
    user.save()
    return user


def attributes(content: bytes, marker: str) -> dict[str, str]:
    """The data-* attributes of the first element carrying ``marker``, unescaped."""
    text = content.decode()
    tag = re.search(rf"<[a-z]+[^>]*\b{re.escape(marker)}\b[^>]*>", text)
    assert tag, f"no element with {marker}"
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'\b(data-[a-z-]+)="([^"]*)"', tag.group(0))
    }


@pytest.fixture
def story(story_index):
    author = UserFactory(group="Members", display_name="Die Autorin")
    return german_item(
        ExperienceStoryPageFactory, parent=story_index, author=author, title="Mit Müdigkeit leben"
    )


@pytest.fixture
def anonymous_ratings(portal):
    """Visitors who are not signed in may rate."""
    community = CommunitySettings.for_site(Site.objects.get(is_default_site=True))
    community.allow_anonymous_ratings = True
    community.save()
    return community


def _one_earlier_rating(story, score=4):
    Rating.objects.create(page=story, anonymous_key=anonymous_key_for("z" * 43), score=score)
    RatingSummary.objects.create(page_id=story.pk, count=1, total=score)


# --- The rating endpoint's JSON ------------------------------------------------------


def test_the_rating_json_is_worded_in_german_for_a_german_member(client, story):
    _one_earlier_rating(story)
    client.force_login(german_member())

    data = rate(client, story, 5, json=True).json()

    # The numbers stay numbers.
    assert (data["average"], data["count"], data["your_score"]) == (4.5, 2, 5)
    assert data["summary"] == "Bewertet mit 4,5 von 5 Sternen aus 2 Bewertungen"
    assert data["summary_average"] == "4,5"
    assert data["your_rating"] == "Ihre Bewertung: 5 Sterne"
    assert data["legend"] == "Ihre Bewertung ändern"
    for key in ("summary", "your_rating", "legend", "message"):
        assert_german(data[key])


def test_one_rating_and_one_star_are_singular_in_german(client, story):
    client.force_login(german_member())

    data = rate(client, story, 1, json=True).json()

    assert data["summary"] == "Bewertet mit 1,0 von 5 Sternen aus 1 Bewertung"
    assert data["summary_average"] == "1,0"
    assert data["your_rating"] == "Ihre Bewertung: 1 Stern"


def test_a_german_visitor_gets_the_summary_in_german(client, story, anonymous_ratings):
    _one_earlier_rating(story, 2)

    response = rate(client, story, 5, json=True, **GERMAN)
    data = response.json()

    assert response.status_code == 200
    assert data["summary"] == "Bewertet mit 3,5 von 5 Sternen aus 2 Bewertungen"
    assert data["your_rating"] == "Ihre Bewertung: 5 Sterne"


def test_the_rating_json_is_unchanged_in_english(client, story, member):
    _one_earlier_rating(story)
    client.force_login(member)

    data = rate(client, story, 5, json=True).json()

    assert (data["average"], data["count"], data["your_score"]) == (4.5, 2, 5)
    assert data["summary"] == "Rated 4.5 out of 5 from 2 ratings"
    assert data["summary_average"] == "4.5"
    assert data["your_rating"] == "Your rating: 5 stars"
    assert data["legend"] == "Change your rating"


# --- The widgets' words in their templates -------------------------------------------


def test_the_star_widget_and_the_discussion_carry_their_script_words_in_german(client, story):
    client.force_login(with_consent(german_member()))

    response = client.get(story.url)

    assert response.status_code == 200
    assert_german(response)
    assert attributes(response.content, "data-rating-widget") == {
        "data-saving": "Wird gespeichert …",
        "data-saved": "Ihre Bewertung ist gespeichert.",
        "data-failed": "Ihre Bewertung konnte nicht gespeichert werden. "
        "Bitte versuchen Sie es noch einmal.",
        "data-offline": "Ihre Bewertung konnte nicht gespeichert werden. Prüfen Sie Ihre "
        "Verbindung und versuchen Sie es noch einmal.",
    }
    assert attributes(response.content, "data-discussion") == {
        "data-posting": "Wird gesendet …",
        "data-posted": "Gesendet.",
        "data-failed": "Ihr Kommentar konnte nicht gesendet werden. "
        "Bitte versuchen Sie es noch einmal.",
    }


def test_the_widgets_words_stay_english_for_an_english_member(client, story, member):
    client.force_login(with_consent(member))

    response = client.get(story.url)

    assert attributes(response.content, "data-rating-widget")["data-saving"] == "Saving…"
    assert attributes(response.content, "data-discussion")["data-posted"] == "Posted."


def test_the_copy_page_says_copied_in_german(client, expert_index, expert):
    article = german_item(
        ExpertArticlePageFactory,
        parent=expert_index,
        author=expert,
        title="Müdigkeit: was hilft",
        may_be_shared=True,
    )
    shared = client.post(reverse("sharing:share", args=[article.pk, "copy"]), **GERMAN)

    response = client.get(shared["Location"], **GERMAN)

    assert response.status_code == 200
    assert_german(response)
    assert attributes(response.content, "data-share-copied") == {
        "data-copied": "Kopiert.",
        "data-select": "Markieren Sie den Link und kopieren Sie ihn.",
    }
    assert b"js/share.js" in response.content


def test_the_writing_form_carries_the_toolbar_and_hint_words_in_german(client):
    client.force_login(with_consent(german_member()))

    response = client.get("/write/blog/")

    assert response.status_code == 200
    assert_german(response)
    assert attributes(response.content, "data-markdown-words") == {
        "data-formatting": "Formatierung",
        "data-bold": "Fett",
        "data-bold-placeholder": "fetter Text",
        "data-italic": "Kursiv",
        "data-italic-placeholder": "kursiver Text",
        "data-heading": "Überschrift",
        "data-heading-placeholder": "Überschrift",
        "data-list": "Liste",
        "data-list-placeholder": "Listenpunkt",
        "data-numbered": "Nummeriert",
        "data-numbered-placeholder": "erster Punkt",
        "data-quote": "Zitat",
        "data-quote-placeholder": "zitierte Worte",
        "data-link": "Link",
        "data-link-placeholder": "Linktext",
    }
    hints = attributes(response.content, "data-personal-data-url")
    assert hints["data-intro"] == "Das sieht nach persönlichen Daten aus:"
    assert hints["data-quoted"] == "„%(text)s“"
    assert hints["data-remove"] == "Entfernen"
    assert hints["data-remove-detail"] == "%(label)s „%(text)s“ aus %(field)s"
    assert hints["data-replacement"] == "[entfernt]"
    assert hints["data-kind-phone"] == "Telefonnummer"
    assert hints["data-kind-date-of-birth"] == "Geburtsdatum"
    for key in ("data-intro", "data-remove", "data-replacement"):
        assert_german(hints[key])


def test_the_writing_form_words_stay_english(client, member):
    client.force_login(with_consent(member))

    response = client.get("/write/blog/")

    words = attributes(response.content, "data-markdown-words")
    assert (words["data-bold"], words["data-link-placeholder"]) == ("Bold", "link text")
    hints = attributes(response.content, "data-personal-data-url")
    assert hints["data-remove-detail"] == "%(label)s “%(text)s” from %(field)s"
    assert hints["data-replacement"] == "[removed]"
    assert hints["data-kind-phone"] == "phone number"
    assert hints["data-kind-health-number"] == "health or insurance number"
