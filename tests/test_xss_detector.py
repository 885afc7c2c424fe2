"""The shared XSS detector (tests/xss.py) finds payloads and nothing else.

A detector that flags random page furniture makes the XSS tests fail by chance:
CI once failed because Wagtail's CSRF token, 64 random letters and digits,
happened to contain "xss" (about 1 page in 4,000).
"""

import pytest

from tests.xss import PAYLOADS, injected_markup


def _wagtail_config(token):
    config = f'{{"CSRF_TOKEN": "{token}"}}'
    return f'<script id="wagtail-config" type="application/json">{config}</script>'


# The Markdown link is not HTML: it is caught when rendered, by the link it would become.
HTML_PAYLOADS = [payload for payload in PAYLOADS if payload.startswith("<") or '">' in payload]


@pytest.mark.parametrize("payload", HTML_PAYLOADS)
def test_every_payload_rendered_raw_is_found(payload):
    assert injected_markup(f"<p>{payload}</p>") != []


def test_the_markdown_payload_is_found_as_the_link_it_would_become():
    assert injected_markup("<a href=\"javascript:alert('xss-md')\">xss-md</a>") != []


def test_a_csrf_token_that_spells_a_marker_is_not_markup():
    token = "NibgZoLWFambUMtGCbz8uCo00fBivgVFSreCa9WIpj6cpbtJxssK" + "a" * 12

    assert injected_markup(_wagtail_config(token)) == []


def test_tokens_and_nonces_spelling_markers_anywhere_are_never_markup():
    """Every place a marker's letters can land in a CSRF token (letters and digits) or a
    CSP nonce (standard base64), in the case shapes a random token can take."""
    for word in ("xss", "XSS", "xSs", "alert", "evilexample"):
        for at in range(64 - len(word) + 1):
            token = ("a" * at + word).ljust(64, "Z")
            assert injected_markup(_wagtail_config(token)) == [], token
        for at in range(22 - len(word) + 1):
            nonce = ("b" * at + word).ljust(22, "+") + "=="
            html = f'<script nonce="{nonce}">kindred()</script>'
            assert injected_markup(html) == [], nonce


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_as_json_ld_data_is_not_markup_and_a_breakout_is(payload):
    """A title carrying a payload in the item's schema.org block (discovery.structured_data)
    is escaped JSON text a browser never runs; a block the payload broke out of is caught."""
    from discovery.structured_data import json_ld

    block = str(json_ld({"@type": "Article", "headline": payload}))
    assert injected_markup(f"<head>{block}</head>") == []
    raw = f'<script type="application/ld+json">{{"headline": "{payload}"}}</script>'
    if "<" in payload:
        assert injected_markup(f"<head>{raw}</head>") != []
