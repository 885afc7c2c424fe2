"""A visitor's share form carries no CSRF token, so the item page can be served from the page
cache; the share endpoint then checks the origin for visitors and the token for members."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

import pytest

from sharing.models import ShareCount
from tests.factories import ExpertArticlePageFactory, UserFactory
from tests.pagecache.conftest import cache_state

pytestmark = pytest.mark.django_db

HOST = "testserver"
OWN = f"http://{HOST}"


@pytest.fixture
def article(expert_index, expert):
    return ExpertArticlePageFactory(
        parent=expert_index, author=expert, title="Fatigue: what helps", may_be_shared=True
    )


def share_url(page, network="x"):
    return reverse("sharing:share", args=[page.pk, network])


def counted(page):
    return sum(ShareCount.objects.filter(page_id=page.pk).values_list("count", flat=True))


def strict_visitor():
    """A browser without a session that gets no pass from the test client on CSRF."""
    return Client(enforce_csrf_checks=True)


def test_a_visitors_item_page_has_share_buttons_but_no_token_and_is_cached(article):
    first = Client().get(article.url)

    assert b'class="share-form' in first.content
    assert b"csrfmiddlewaretoken" not in first.content
    assert not first.cookies
    assert cache_state(first) == "stored"
    assert cache_state(Client().get(article.url)) == "hit"


def test_a_members_item_page_still_carries_the_token(article):
    member = Client()
    member.force_login(UserFactory(group="Members"))

    page = member.get(article.url)

    assert b'class="share-form' in page.content
    assert b"csrfmiddlewaretoken" in page.content
    assert cache_state(page) == "bypass"


@pytest.mark.parametrize(
    "headers",
    [{"Origin": OWN}, {"Referer": f"{OWN}/expert-articles/fatigue-what-helps/"}],
    ids=["origin", "referer"],
)
def test_a_visitors_share_from_this_site_is_counted_without_a_token(article, headers):
    response = strict_visitor().post(share_url(article), headers=headers)

    assert response.status_code == 303
    assert counted(article) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": f"{OWN}.evil.example"},
        {"Referer": "https://evil.example/expert-articles/"},
        {"Referer": "not a url"},
        # An Origin says where it comes from; a same-site Referer beside a foreign one is ignored.
        {"Origin": "https://evil.example", "Referer": f"{OWN}/"},
    ],
    ids=["nothing", "foreign", "null", "lookalike", "foreign-referer", "junk", "origin-wins"],
)
def test_a_visitors_share_from_elsewhere_is_refused_and_not_counted(article, headers):
    response = strict_visitor().post(share_url(article), headers=headers)

    assert response.status_code == 403
    assert counted(article) == 0


def test_a_trusted_origin_counts_as_this_site(article, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://kindred.example"]

    response = strict_visitor().post(
        share_url(article), headers={"Origin": "https://kindred.example"}
    )

    assert response.status_code == 303


def test_a_members_share_without_the_token_is_refused_even_from_this_site(article):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(group="Members"))

    response = browser.post(share_url(article), headers={"Origin": OWN})

    assert response.status_code == 403
    assert counted(article) == 0


def test_a_members_share_with_the_token_from_the_page_is_counted(article):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(group="Members"))
    browser.get(article.url)  # sets the CSRF cookie, as a browser reading the page would
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value

    response = browser.post(
        share_url(article), {"csrfmiddlewaretoken": token}, headers={"Referer": f"{OWN}/"}
    )

    assert response.status_code == 303
    assert counted(article) == 1


def test_a_visitors_refused_share_answers_as_a_page_never_a_500(article):
    response = strict_visitor().post(
        share_url(article),
        {"instance": "<script>alert(1)</script>"},
        headers={"Origin": "x" * 5000},
    )

    assert response.status_code == 403
    assert b"<script>alert(1)</script>" not in response.content
