"""A shared stored-XSS corpus and a check that rendered HTML carries none of it as markup.

Escaped payloads are harmless text; what must never appear is an element or
attribute the browser would act on: a script, an event handler, a
``javascript:``/``data:`` link, a frame, a form or inline style from the payload.
"""

import json
import re

from bs4 import BeautifulSoup

PAYLOADS = [
    "<script>alert('xss-script')</script>",
    "<img src=x onerror=\"alert('xss-img')\">",
    "<a href=\"javascript:alert('xss-js')\">xss-js-link</a>",
    "[xss-md](javascript:alert('xss-md'))",
    '<iframe src="https://evil.example/xss-frame"></iframe>',
    '<form action="https://evil.example/xss-form"><input name=p></form>',
    '<div style="background:url(javascript:alert(1))">xss-style</div>',
    '"><svg onload=alert("xss-svg")>',
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>xss-data</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-mxss')>",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
# Every payload's words carry one of these. "xss-" has a hyphen on purpose: random page
# furniture (Wagtail's CSRF token in its config script, letters and digits; a CSP
# nonce, standard base64) can spell "xss" but never "xss-", so a bare "xss" marker
# failed a test about once in 4,000 pages.
MARKERS = ("xss-", "alert(", "evil.example")
# Kindred renders no MathML, so any <math> element came from a payload (the mutation
# XSS one); Python's HTML parser drops the unclosed <style> inside it, markers and all.
NEVER_OURS = {"math"}


# A path made only of slug characters is one of Kindred's own addresses built from a
# slugified name (a profile handle made from a hostile display name reads
# "img-srcx-onerroralertxss-…"): it can carry no markup, whatever words it spells.
SLUG_PATH = re.compile(r"^/[a-z0-9/_-]*$")


def _value(value):
    return " ".join(value) if isinstance(value, list) else str(value)


def _own_values(tag):
    return " ".join(
        _value(value)
        for name, value in tag.attrs.items()
        if not (name == "action" and SLUG_PATH.match(_value(value)))
    )


def _inert_data(tag):
    """Whether ``tag`` is a JSON-LD block (``discovery.structured_data``) holding data only.

    A browser never runs it. A title in it carries the payload's words as JSON text,
    escaped (no ``<``); a payload that broke out of it would leave it unparseable and
    make a script element of its own, which is then reported.
    """
    if tag.name != "script" or tag.get("type") != "application/ld+json":
        return False
    text = tag.string or ""
    try:
        json.loads(text)
    except ValueError:
        return False
    return "<" not in text


def injected_markup(html):
    """The elements and attributes in ``html`` that come from a payload and would run."""
    problems = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        text = str(tag)
        if tag.name in NEVER_OURS:
            problems.append(text[:120])
        if _inert_data(tag):
            continue
        if tag.name in ("script", "iframe", "form", "svg", "object", "embed", "style", "math"):
            own = (tag.string or "") + _own_values(tag)
            if any(marker in own for marker in MARKERS):
                problems.append(text[:120])
        for attribute, raw in tag.attrs.items():
            value = _value(raw).strip().lower()
            if attribute.startswith("on") and any(marker in value for marker in MARKERS):
                problems.append(f"{attribute}= on <{tag.name}>")
            if attribute in URL_ATTRIBUTES and value.startswith(("javascript:", "data:text/html")):
                problems.append(f"{attribute}={value[:40]} on <{tag.name}>")
            if attribute == "style" and "javascript" in value:
                problems.append(f"style= on <{tag.name}>")
    return problems


def assert_harmless(html, where=""):
    problems = injected_markup(html)
    assert not problems, f"injected markup in {where}: {problems}"
