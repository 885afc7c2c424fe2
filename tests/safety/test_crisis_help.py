"""Crisis help: shown once, at the top of the next page after ``show_crisis_help``, the
emergency text first, then helplines per country with links a phone can dial; the site's
own helplines, or sensible defaults on a fresh site."""

import re

from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site

import pytest

from safety import declarations
from safety.context_processors import safety as safety_context
from safety.crisis_help import SESSION_KEY, show_crisis_help
from safety.declarations import CrisisHelp, Helpline, crisis_help_for
from safety.models import DEFAULT_EMERGENCY, SafetySettings
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db

HEADING = "You are not alone"


@pytest.fixture(autouse=True)
def _connected():
    declarations.connect()


@pytest.fixture
def post(blog_index):
    return BlogPageFactory(parent=blog_index, title="Pacing my energy")


def mark(client):
    session = client.session
    session[SESSION_KEY] = True
    session.save()


def panel(html: str) -> str:
    start = html.index('<aside class="crisis-help"')
    return html[start : html.index("</aside>", start)]


def test_no_help_without_the_mark(client, post):
    assert HEADING not in client.get(post.url).content.decode()


def test_help_shows_once_at_the_top_of_the_next_page(client, post):
    mark(client)

    first = client.get(post.url).content.decode()
    second = client.get(post.url).content.decode()

    assert HEADING in first
    main = first[first.index('<main id="main"') :]
    # Before anything else in <main>: the page's own content comes after it.
    assert main.index(HEADING) < main.index('<article class="content-page">')
    assert HEADING not in second


def test_a_member_sees_it_too(client, post, member):
    client.force_login(member)
    mark(client)

    assert HEADING in client.get(post.url).content.decode()
    assert HEADING not in client.get(post.url).content.decode()


def test_the_emergency_text_comes_before_the_helplines(client, post):
    mark(client)

    html = panel(client.get(post.url).content.decode())

    assert DEFAULT_EMERGENCY in html
    assert html.index(DEFAULT_EMERGENCY) < html.index("Samaritans")
    assert html.index(DEFAULT_EMERGENCY) < html.index("tel:")


def test_a_fresh_site_shows_the_default_helplines_with_tel_links(client, post):
    mark(client)

    html = panel(client.get(post.url).content.decode())

    for expected in (
        'href="tel:116123">116 123</a>',
        'href="tel:08001110111">0800 111 0 111</a>',
        'href="tel:08001110222">0800 111 0 222</a>',
        'href="tel:988">988</a>',
        'href="https://www.samaritans.org/"',
        "Samaritans",
        "TelefonSeelsorge",
        "988 Suicide &amp; Crisis Lifeline",
    ):
        assert expected in html
    assert re.findall(r'<h3 class="crisis-country">([^<]+)</h3>', html) == [
        "United Kingdom",
        "Deutschland",
        "United States",
    ]


def test_the_sites_own_helplines_replace_the_defaults(client, post):
    settings = SafetySettings.for_site(Site.objects.get(is_default_site=True))
    settings.emergency_text = "Call 112 now if you are in danger."
    settings.helplines = [
        (
            "helpline",
            {
                "country": "Ireland",
                "name": "Samaritans Ireland",
                "phone": "+353 116 123",
                "hours": "24 hours",
                "url": "https://www.samaritans.ie/",
            },
        ),
        ("helpline", {"country": "Ireland", "name": "Pieta", "phone": "1800 247 247"}),
    ]
    settings.save()
    mark(client)

    html = panel(client.get(post.url).content.decode())

    assert html.index("Call 112 now") < html.index("Samaritans Ireland")
    assert 'href="tel:+353116123"' in html
    assert 'href="tel:1800247247"' in html
    assert html.count('class="crisis-country"') == 1
    assert "TelefonSeelsorge" not in html and "988" not in html


def test_settings_text_is_escaped(client, post):
    settings = SafetySettings.for_site(Site.objects.get(is_default_site=True))
    settings.emergency_text = "<script>alert(1)</script>"
    settings.helplines = [("helpline", {"country": "<b>X</b>", "name": "<i>Y</i>", "phone": ""})]
    settings.save()
    mark(client)

    html = panel(client.get(post.url).content.decode())

    assert "<script>" not in html and "<b>X</b>" not in html and "<i>Y</i>" not in html
    assert "&lt;script&gt;" in html
    # A helpline without a number has no tel: link.
    assert "tel:" not in html


def test_a_response_that_does_not_render_it_keeps_the_mark(rf: RequestFactory, client, post):
    mark(client)
    request = rf.get("/")
    request.session = client.session

    safety_context(request)  # nothing read: the lazy values are never evaluated

    assert request.session.get(SESSION_KEY) is True


def test_a_view_that_puts_help_in_its_context_is_not_overridden(rf: RequestFactory, portal):
    request = rf.get("/")
    request.session = {}
    own = CrisisHelp(emergency_text="The view's own words.", helplines=[])
    context = safety_context(request)
    context.update({"crisis_help": own})  # as Django layers a view's context on top

    html = render_to_string("safety/includes/crisis_help.html", context)

    assert "The view&#x27;s own words." in html


def test_crisis_help_for_builds_help_and_clears_the_mark(rf: RequestFactory, client, post):
    mark(client)
    request = rf.get("/")
    request.session = client.session

    help_ = crisis_help_for(request)

    assert help_.emergency_text == DEFAULT_EMERGENCY
    assert [line.name for line in help_.helplines][:1] == ["Samaritans"]
    assert SESSION_KEY not in request.session


def test_show_crisis_help_marks_the_session(rf: RequestFactory):
    request = rf.get("/")
    request.session = {}

    show_crisis_help(request)

    assert request.session == {SESSION_KEY: True}


@pytest.mark.parametrize(
    "phone, numbers",
    [
        ("116 123", [("116 123", "116123")]),
        ("+49 (0) 800 111", [("+49 (0) 800 111", "+490800111")]),
        (
            "0800 111 0 111 / 0800 111 0 222",
            [("0800 111 0 111", "08001110111"), ("0800 111 0 222", "08001110222")],
        ),
        ("988 or 741741", [("988", "988"), ("741741", "741741")]),
        ("", []),
        ("text us", []),
    ],
)
def test_a_helplines_numbers_and_their_tel_addresses(phone, numbers):
    helpline = Helpline(country="X", name="Y", phone=phone)

    assert [(number.shown, number.tel) for number in helpline.numbers] == numbers


def test_the_panel_costs_no_query_but_the_sessions_on_a_warm_cache(client, post, settings):
    # Two renders compared: without this, the visitor's second visit would be served from
    # the page cache (issue 17) with no query at all.
    settings.KINDRED_PAGE_CACHE_SECONDS = 0
    client.get(post.url)  # warms the cache
    with CaptureQueriesContext(connection) as without:
        client.get(post.url)
    mark(client)
    with CaptureQueriesContext(connection) as with_help:
        html = client.get(post.url).content.decode()

    assert HEADING in html

    # The visitor's session is read for the mark and written when it is cleared (in a
    # savepoint); the help itself, from the cached settings, costs nothing more.
    def others(context):
        return [
            query["sql"]
            for query in context.captured_queries
            if "django_session" not in query["sql"] and "SAVEPOINT" not in query["sql"]
        ]

    assert len(others(with_help)) == len(others(without))
