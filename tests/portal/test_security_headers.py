"""CSP, Permissions-Policy and the violation report endpoint (issue 10, finding 10).

Every public and member page carries the strict policy (Kindred's own scripts
and styles only, nothing inline, no framing); the Wagtail admin its own looser
one; error pages too. Browsers' violation reports are logged, and the endpoint
answers hostile posts without trouble. The browser side (no page of the site
breaks the policy) is tests/e2e/test_csp.py.
"""

import json
import logging
import re
from pathlib import Path

from django.conf import settings
from django.urls import path, reverse

import pytest

from portal import urls as portal_urls
from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
REPORT_URL = "/csp-report/"
STRICT_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    # Share buttons post to Kindred, which redirects to the network (sharing.networks).
    "form-action": " ".join(["'self'", *settings.SHARING_FORM_ACTION_ORIGINS]),
    "report-uri": REPORT_URL,
}
NEVER_USED = ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]


def _boom(request):
    raise RuntimeError("deliberate failure for the error page test")


# A URLconf with one failing view ahead of Kindred's own (see test_error_page_...).
urlpatterns = [path("boom/", _boom), *portal_urls.urlpatterns]


def _policy(response):
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code}"
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


def _assert_strict(response):
    directives = _policy(response)
    for name, value in STRICT_DIRECTIVES.items():
        assert directives.get(name) == value, (name, directives.get(name))
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]


def _assert_permissions_policy(response):
    header = response.headers.get("Permissions-Policy", "")
    features = dict(item.strip().split("=", 1) for item in header.split(",") if item.strip())
    for feature in NEVER_USED:
        assert features.get(feature) == "()", feature


def test_public_page_has_the_strict_policy(client, blog_index):
    page = BlogPageFactory(parent=blog_index)

    for url in ("/", page.url, reverse("search:results") + "?q=fatigue", reverse("account_login")):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(response)
        _assert_permissions_policy(response)


def test_member_pages_have_the_strict_policy(client, member):
    client.force_login(member)

    for name in ("authoring:write", "social:profile_edit", "accounts:account"):
        response = client.get(reverse(name), follow=True)
        assert response.status_code == 200, name
        _assert_strict(response)
        _assert_permissions_policy(response)


def test_not_found_page_has_the_strict_policy(client, portal):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    _assert_strict(response)
    _assert_permissions_policy(response)


def test_error_page_has_the_strict_policy(client, portal, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    _assert_strict(response)
    _assert_permissions_policy(response)


def test_the_admin_has_its_own_policy_that_still_forbids_framing_by_others(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    directives = _policy(response)
    # Wagtail's admin needs inline scripts and styles; nothing from other origins.
    assert directives["script-src"] == "'self' 'unsafe-inline'"
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert directives["report-uri"] == REPORT_URL
    _assert_permissions_policy(response)


def test_the_looser_policy_is_for_the_admin_path_only(client, portal):
    # A path that only starts like the admin's is a public page, strict.
    response = client.get("/administration/")

    assert response.status_code == 404
    _assert_strict(response)


TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
INLINE_CODE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>"),
        "script",
    ),
    (re.compile(r"<style\b"), "<style>"),
    (re.compile(r"\sstyle=[\"']"), "style attribute"),
    (re.compile(r"\son[a-z]+=[\"']"), "event handler attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: address"),
]


def test_kindred_templates_hold_no_inline_script_or_style():
    problems = []
    templates = [file for folder in TEMPLATE_DIRS for file in folder.rglob("*.html")]
    assert templates
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE_CODE:
            if pattern.search(text):
                problems.append(f"{template.relative_to(ROOT)}: {what}")
    assert not problems


# --- The report endpoint -----------------------------------------------------------

REPORT = {
    "csp-report": {
        "document-uri": "http://testserver/search/?q=my+diagnosis#results",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "column-number": 3,
        "source-file": "http://testserver/search/?q=my+diagnosis",
        "status-code": 200,
        "script-sample": "alert(1)",
    }
}


def _post(client, body, content_type="application/csp-report"):
    if not isinstance(body, bytes | str):
        body = json.dumps(body)
    return client.post(REPORT_URL, body, content_type=content_type)


def test_a_report_is_logged_at_warning_without_query_strings(
    client, caplog, django_assert_max_num_queries
):
    with (
        caplog.at_level(logging.WARNING, logger="portal.security"),
        django_assert_max_num_queries(0),
    ):
        response = _post(client, REPORT)

    assert response.status_code == 204
    assert response.content == b""
    [record] = [r for r in caplog.records if r.name == "portal.security"]
    assert record.levelno == logging.WARNING
    fields = record.csp_violation
    assert fields["directive"] == "script-src-elem"
    assert fields["blocked"] == "inline"
    assert fields["document"] == "http://testserver/search/"
    assert fields["source"] == "http://testserver/search/"
    assert fields["line"] == 12
    assert fields["sample"] == "alert(1)"
    # What someone searched for never reaches the log.
    assert "diagnosis" not in caplog.text


def test_reporting_api_batches_are_logged(client, caplog):
    batch = [
        {
            "type": "csp-violation",
            "url": "http://testserver/",
            "body": {
                "documentURL": "http://testserver/write/?draft=1",
                "blockedURL": "http://evil.example/x.js",
                "effectiveDirective": "script-src-elem",
                "disposition": "enforce",
                "lineNumber": 1,
            },
        },
        {"type": "deprecation", "body": {"id": "x"}},
    ]

    with caplog.at_level(logging.WARNING, logger="portal.security"):
        response = _post(client, batch, content_type="application/reports+json")

    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "portal.security"]
    assert record.csp_violation["blocked"] == "http://evil.example/x.js"
    assert record.csp_violation["document"] == "http://testserver/write/"


def test_reports_are_post_only(client):
    assert client.get(REPORT_URL).status_code == 405
    assert client.put(REPORT_URL, json.dumps(REPORT)).status_code == 405


def test_reports_need_no_csrf_token(portal):
    from django.test import Client

    response = _post(Client(enforce_csrf_checks=True), REPORT)

    assert response.status_code == 204


def test_an_oversized_report_is_refused_unread(client, caplog):
    huge = {"csp-report": {**REPORT["csp-report"], "script-sample": "x" * 20_000}}

    with caplog.at_level(logging.WARNING, logger="portal.security"):
        response = _post(client, huge)

    assert response.status_code == 413
    assert not [r for r in caplog.records if r.name == "portal.security"]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json at all",
        b"\xff\xfe\x00garbage",
        b"[]",
        b"null",
        b"42",
        b'"csp-report"',
        json.dumps({"csp-report": "a string"}),
        json.dumps({"csp-report": {"blocked-uri": "inline"}}),  # no directive
        json.dumps({"csp-report": {**REPORT["csp-report"], "line-number": "12"}}),
        json.dumps({"csp-report": {**REPORT["csp-report"], "line-number": True}}),
        json.dumps({"csp-report": {**REPORT["csp-report"], "line-number": -1}}),
        json.dumps({"csp-report": {**REPORT["csp-report"], "blocked-uri": ["a", "b"]}}),
        json.dumps({"csp-report": {**REPORT["csp-report"], "document-uri": {"x": 1}}}),
        json.dumps([{"type": "csp-violation", "body": "nope"}]),
        json.dumps([1, 2, 3]),
        json.dumps([{"type": "csp-violation", "body": {"effectiveDirective": "x"}}] * 21),
    ],
)
def test_hostile_bodies_answer_400_and_log_nothing(client, caplog, body):
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        response = _post(client, body)

    assert response.status_code == 400
    assert not [r for r in caplog.records if r.name == "portal.security"]


def test_logged_fields_are_short_and_on_one_line(client, caplog):
    hostile = {
        "csp-report": {
            "effective-directive": "script-src\nFAKE LOG LINE\r\x1b[31m",
            "blocked-uri": "<script>alert(1)</script>" + "y" * 1000,
        }
    }

    with caplog.at_level(logging.WARNING, logger="portal.security"):
        response = _post(client, hostile)

    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "portal.security"]
    message = record.getMessage()
    assert "\n" not in message and "\r" not in message and "\x1b" not in message
    assert all(len(value) <= 200 for value in record.csp_violation.values())


def test_reports_are_throttled_per_client(client, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.security"):
        answers = [_post(client, REPORT).status_code for _ in range(35)]

    assert answers[:30] == [204] * 30
    assert set(answers[30:]) == {429}
    assert len([r for r in caplog.records if r.name == "portal.security"]) == 30
