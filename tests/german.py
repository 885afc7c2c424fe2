"""Is this page in German? A check that finds interface text nobody marked for translation.

``assert_german(response)`` reads every word a person sees or hears (text nodes,
the title, and the ``title``, ``placeholder``, ``aria-label``, ``alt`` and button
``value`` attributes) and reports the English words among them. Content is not
interface: the titles of pages, tags' names and members' display names in the
database are taken out first (a site page left untranslated, or an English
item, is read in English by design), and so is anything inside an element with a
``lang`` other than German (the switcher names "English" in English, an English
item's title and body carry ``lang="en-gb"``) or marked ``translate="no"``.

The word list holds only words that are English and not German, so a German
sentence never trips it ("die", "will", "was", "also", "Blog", "Feed", "Link" and
"Community" are German too and are left out).

The German tests (tests/i18n) share their requests' ``GERMAN`` and ``ENGLISH``
headers and ``german_item``, an item whose own text is German, from here.
"""

import re

from bs4 import BeautifulSoup, Comment, Doctype

ENGLISH_ONLY = frozenset(
    """
    the and your you yours with this that for are is of to by from have has had not or be
    been can all more new what who when how where why here there our their about after
    before only yet yes please were it its they them we us my would should could any each
    every other than then these those which while without into over under does did done
    people page pages items view show hide open close send sent add remove follow following
    followers unfollow rating ratings ask question questions answer answers reply replies
    stories article articles communities join leave notifications choose password sign
    signed welcome review reviewed published draft submit save cancel delete edit back next
    previous settings profile search help share report read write comment comments members
    member language nothing everyone someone anyone something
    """.split()  # noqa: SIM905 (a list of words reads best as words)
)
SPOKEN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
SKIPPED_ELEMENTS = {"script", "style", "noscript", "svg", "math"}
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)

# A visitor's browser asking for German or for English (``Client(**GERMAN)``,
# ``client.get(url, **GERMAN)``).
GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
# An item's own text (content, not interface), in German.
GERMAN_SUMMARY = "Was mir geholfen hat und was nicht."
GERMAN_PARAGRAPH = "<p>Manche Tage sind schwerer als andere.</p>"


def _content_strings() -> list[str]:
    """Titles, tag names, display names and the safety settings' texts: content, not interface."""
    from django.contrib.auth import get_user_model

    from taggit.models import Tag
    from wagtail.models import Page

    from safety.models import DEFAULT_DECLARATION, DEFAULT_EMERGENCY, SafetySettings

    strings = set(Page.objects.values_list("title", flat=True))
    strings |= set(Tag.objects.values_list("name", flat=True))
    strings |= set(get_user_model().objects.values_list("display_name", flat=True))
    # The safety settings' texts are editors' content (the footer's sponsor declaration).
    strings |= {DEFAULT_DECLARATION, DEFAULT_EMERGENCY}
    for declaration, emergency, scheme in SafetySettings.objects.values_list(
        "sponsor_declaration", "emergency_text", "reporting_scheme_name"
    ):
        strings |= {declaration, emergency, scheme}
    # Longest first, so "Expert articles" goes before "Articles" would.
    return sorted((s for s in strings if s), key=len, reverse=True)


def _skipped(element) -> bool:
    for parent in [element, *element.parents]:
        name = getattr(parent, "name", None)
        if name in SKIPPED_ELEMENTS:
            return True
        attrs = getattr(parent, "attrs", None) or {}
        lang = attrs.get("lang")
        if lang and not lang.lower().startswith("de"):
            return True
        if attrs.get("translate") == "no":
            return True
    return False


def spoken_texts(html: str) -> list[str]:
    """Every piece of text a person sees or a screen reader says, in document order."""
    soup = BeautifulSoup(html, "html.parser")
    texts = []
    for node in soup.find_all(string=True):
        if isinstance(node, (Comment, Doctype)) or not node.strip():
            continue
        if _skipped(node.parent):
            continue
        texts.append(str(node))
    for element in soup.find_all(True):
        if _skipped(element):
            continue
        for attribute in SPOKEN_ATTRIBUTES:
            if element.get(attribute):
                texts.append(element[attribute])
        if element.name == "input" and element.get("type") in ("submit", "button", "reset"):
            texts.append(element.get("value", ""))
    return texts


def english_words(html: str, *, content: list[str] | None = None) -> list[tuple[str, str]]:
    """(word, the text it was found in) for each English word outside content."""
    content = _content_strings() if content is None else content
    found = []
    for text in spoken_texts(html):
        remaining = text
        for string in content:
            if string in remaining:
                remaining = remaining.replace(string, " ")
        for word in WORD.findall(remaining):
            if word.lower() in ENGLISH_ONLY:
                found.append((word, " ".join(text.split())[:120]))
    return found


def assert_german(response_or_html, *, allowed: tuple[str, ...] = ()) -> None:
    """Fail, naming each English word and where it stood, unless the page reads as German.

    ``allowed``: more strings that are content here (a comment's text, a form's
    echoed input).
    """
    if hasattr(response_or_html, "content"):
        assert response_or_html.get("Content-Language", "de").startswith("de"), (
            f"answered in {response_or_html.get('Content-Language')!r}, not German"
        )
        html = response_or_html.content.decode()
    else:
        html = response_or_html
    content = sorted([*_content_strings(), *allowed], key=len, reverse=True)
    found = english_words(html, content=content)
    assert not found, "English left on a German page:\n" + "\n".join(
        f"  {word!r} in {text!r}" for word, text in found
    )


def german_item(factory, **fields):
    """An item made by ``factory`` (a page factory) with a German summary and body.

    The factories write English, which a German page would rightly show: with the
    item's own text German, only interface text is left for ``assert_german`` to
    find. ``fields`` go to the factory and may set ``summary`` or ``body`` too.
    The item is in German (its locale, issue 18), as a German writer's would be.
    """
    from wagtail.models import Locale
    from wagtail.rich_text import RichText

    fields.setdefault("locale", Locale.objects.get_or_create(language_code="de")[0])
    fields.setdefault("summary", GERMAN_SUMMARY)
    fields.setdefault("body", [("paragraph", RichText(GERMAN_PARAGRAPH))])
    return factory(**fields)
