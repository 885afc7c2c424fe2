"""``{% url %}`` remembers the addresses it reversed, and gives what Django's tag gives.

Issue 17: a member's item page reversed ~24 addresses through ``{% url %}`` on every
request. ``core.templatetags.addresses`` (a template builtin) replaces the tag; each
case below is rendered by Django's own tag (an engine without the builtin) and by
Kindred's, and must come out the same, including errors and escaping.
"""

from django.template import Context, Engine, engines
from django.test import RequestFactory
from django.urls import NoReverseMatch, clear_script_prefix, set_script_prefix
from django.utils import translation

import pytest

from core import addresses
from core.templatetags import addresses as url_tag
from tests.spies import calls_of

DJANGO = Engine(debug=True)
KINDRED = Engine(debug=True, builtins=["core.templatetags.addresses"])


class Page:
    """Something that is not a plain value: reversed every time, by its ``str()``."""

    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


CASES = [
    ("{% url 'social:feed' %}", {}),
    ("{% url 'tag_listing' 'fatigue' %}", {}),
    ("{% url 'tag_listing' slug='heat & cold <b>' %}", {}),
    ("{% url 'sharing:share' page_id network %}", {"page_id": 7, "network": "mastodon"}),
    ("{% url 'sharing:share' '7' 'x' %}", {}),
    ("{% url name %}", {"name": "accounts:account"}),
    ("{% url 'tag_listing' thing %}", {"thing": Page("a b?c")}),
    ("{% url 'tag_listing' 'ü ß' as there %}[{{ there }}]", {}),
    ("{% url 'no-such-view' as there %}[{{ there }}]", {}),
    ("{% autoescape off %}{% url 'tag_listing' 'a&b' %}{% endautoescape %}", {}),
    ("{% url 'social:profile_detail' handle=handle %}", {"handle": "o'neil\"<x>"}),
]


def render(engine, source, values, request=None):
    context = Context(values)
    if request is not None:
        context.request = request  # as a RequestContext has it
    return engine.from_string(source).render(context)


@pytest.fixture(autouse=True)
def nothing_remembered():
    addresses.forget()
    yield
    addresses.forget()


@pytest.mark.parametrize(("source", "values"), CASES)
def test_it_gives_what_djangos_tag_gives(source, values):
    expected = render(DJANGO, source, values)
    assert render(KINDRED, source, values) == expected
    # And again, from what it remembered.
    assert render(KINDRED, source, values) == expected


def test_an_unknown_name_raises_as_djangos_tag_does():
    for engine in (DJANGO, KINDRED):
        with pytest.raises(NoReverseMatch):
            render(engine, "{% url 'no-such-view' %}", {})


def test_the_sites_templates_use_it():
    # A builtin of the project's engine: no {% load %} needed.
    template = engines["django"].from_string("{% url 'social:feed' %}")
    assert isinstance(template.template.nodelist[0], url_tag.RememberedURLNode)


def test_an_address_is_reversed_once_for_the_same_arguments(monkeypatch):
    reversed_ = calls_of(monkeypatch, addresses, "reverse")
    source = "{% url 'sharing:share' page_id 'mastodon' %}"
    first = [render(KINDRED, source, {"page_id": 7}) for _ in range(5)]
    assert len(reversed_) == 1 and set(first) == {"/share/7/mastodon/"}
    # Another id, or the same id as text, is another address to reverse.
    assert render(KINDRED, source, {"page_id": 8}) == "/share/8/mastodon/"
    assert render(KINDRED, source, {"page_id": "7"}) == "/share/7/mastodon/"
    assert len(reversed_) == 3


def test_values_that_are_not_plain_are_reversed_every_time(monkeypatch):
    reversed_ = calls_of(monkeypatch, url_tag, "reverse")
    thing = Page("before")
    source = "{% url 'tag_listing' thing %}"
    assert render(KINDRED, source, {"thing": thing}) == "/tags/before/"
    thing.text = "after"  # equal to itself, but its address changed
    assert render(KINDRED, source, {"thing": thing}) == "/tags/after/"
    assert render(KINDRED, "{% url 'tag_listing' flag %}", {"flag": True}) == "/tags/True/"
    assert len(reversed_) == 3


def test_the_script_prefix_and_the_language_are_part_of_the_address(monkeypatch):
    reversed_ = calls_of(monkeypatch, addresses, "reverse")
    source = "{% url 'social:feed' %}"
    assert render(KINDRED, source, {}) == "/feed/"
    set_script_prefix("/kindred/")
    try:
        assert render(KINDRED, source, {}) == "/kindred/feed/"
    finally:
        clear_script_prefix()
    assert render(KINDRED, source, {}) == "/feed/"
    with translation.override("de"):
        render(KINDRED, source, {})
    assert len(reversed_) == 3


def test_the_current_application_is_part_of_the_address(monkeypatch):
    reversed_ = calls_of(monkeypatch, addresses, "reverse", record=lambda *a, **k: k)
    request = RequestFactory().get("/")
    for app in ("sharing", "social", "sharing"):
        request.current_app = app
        render(KINDRED, "{% url 'social:feed' %}", {}, request=request)
    assert [call["current_app"] for call in reversed_] == ["sharing", "social"]


def test_a_changed_urlconf_is_followed(settings):
    assert render(KINDRED, "{% url 'social:feed' %}", {}) == "/feed/"
    settings.ROOT_URLCONF = "tests.core.urls_elsewhere"
    assert render(KINDRED, "{% url 'social:feed' %}", {}) == "/elsewhere/feed/"


def test_what_it_remembers_is_bounded(monkeypatch):
    monkeypatch.setattr(addresses, "REMEMBERED_LIMIT", 5)
    for page_id in range(40):
        assert render(KINDRED, "{% url 'sharing:share' i 'x' %}", {"i": page_id}) == (
            f"/share/{page_id}/x/"
        )
        assert len(addresses._REMEMBERED) <= 5
