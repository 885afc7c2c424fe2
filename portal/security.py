"""Where browsers report Content-Security-Policy violations (issue 10, finding 10).

Every page's policy names this view in ``report-uri``; a browser that blocked
something posts a report here, and it is logged at WARNING (logger
``portal.security``) so that a broken page or an injection attempt shows up in
the logs. Anyone can post here, so the view trusts nothing: POST only, a small
body, a throttle per client, only the expected fields of the expected types,
each cut short, and addresses logged without their query string or fragment
(a search address carries what someone searched for, which may be about their
health). It answers 204 with no body, as browsers expect, or 4xx.

Two formats are read: the ``report-uri`` one (``application/csp-report``,
``{"csp-report": {...}}``) and the Reporting API's (``application/reports+json``,
a list of ``{"type": "csp-violation", "body": {...}}``).
"""

import ipaddress
import json
import logging
import re
from urllib.parse import urlsplit, urlunsplit

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from allauth.account.adapter import get_adapter
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger(__name__)

# A report is a few hundred bytes; a batch of the Reporting API a few KB.
MAX_BODY_BYTES = 16 * 1024
MAX_REPORTS = 20
MAX_FIELD_CHARS = 200
# Per client address: enough for a page with several violations, reloaded a few times.
THROTTLE_RATE = "30/m"

# Our name for each field: (its name in a report-uri report, in a Reporting API body).
TEXT_FIELDS = {
    "document": ("document-uri", "documentURL"),
    "blocked": ("blocked-uri", "blockedURL"),
    "directive": ("effective-directive", "effectiveDirective"),
    "violated": ("violated-directive", None),
    "source": ("source-file", "sourceFile"),
    "disposition": ("disposition", "disposition"),
    "sample": ("script-sample", "sample"),
}
NUMBER_FIELDS = {
    "line": ("line-number", "lineNumber"),
    "column": ("column-number", "columnNumber"),
    "status": ("status-code", "statusCode"),
}
URI_FIELDS = {"document", "blocked", "source"}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class BadReport(ValueError):
    """The body is not a violation report we understand."""


def _client_key(group, request):
    # The sign-in throttles' notion of a client (allauth honours TRUSTED_PROXY_COUNT);
    # an IPv6 client usually holds a whole /64.
    address = ipaddress.ip_address(get_adapter(request).get_client_ip(request))
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def _without_query(value):
    # "inline", "eval", "data" and the like are not addresses: kept as they are.
    parts = urlsplit(value)
    if not parts.scheme or not parts.netloc:
        return value
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _text(value, *, uri):
    if not isinstance(value, str):
        raise BadReport("a text field is not text")
    if uri:
        value = _without_query(value)
    # No line breaks or terminal escapes in the log, and nothing long.
    return CONTROL_CHARACTERS.sub("?", value)[:MAX_FIELD_CHARS]


def _number(value):
    # bool is an int to Python, but not a line number.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**9:
        raise BadReport("a number field is not a small whole number")
    return value


def _fields(report, *, style):
    """Our fields from one report (``style`` 0: report-uri, 1: Reporting API)."""
    if not isinstance(report, dict):
        raise BadReport("a report is not an object")
    fields = {}
    for name, keys in TEXT_FIELDS.items():
        key = keys[style]
        if key is not None and report.get(key) is not None:
            fields[name] = _text(report[key], uri=name in URI_FIELDS)
    for name, keys in NUMBER_FIELDS.items():
        if report.get(keys[style]) is not None:
            fields[name] = _number(report[keys[style]])
    if not fields.get("directive") and fields.get("violated"):
        fields["directive"] = fields["violated"]
    fields.pop("violated", None)
    if not fields.get("directive"):
        raise BadReport("no directive")
    return fields


def parse_reports(body):
    """The violations in a request body, as dicts of our field names; raises ``BadReport``."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise BadReport("not JSON") from error
    if isinstance(data, dict) and "csp-report" in data:
        return [_fields(data["csp-report"], style=0)]
    if isinstance(data, list) and 0 < len(data) <= MAX_REPORTS:
        reports = []
        for item in data:
            if not isinstance(item, dict):
                raise BadReport("a report is not an object")
            if item.get("type") == "csp-violation":
                reports.append(_fields(item.get("body"), style=1))
        return reports
    raise BadReport("neither a report-uri report nor a list of reports")


@csrf_exempt  # browsers post reports without our token; nothing is changed but a log line
@require_POST
def csp_report(request):
    """Log the Content-Security-Policy violations a browser reports; answer 204."""
    if is_ratelimited(
        request, group="portal.csp_report", key=_client_key, rate=THROTTLE_RATE, increment=True
    ):
        return HttpResponse(status=429)
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
        return HttpResponse(status=413)
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return HttpResponse(status=413)
    try:
        reports = parse_reports(body)
    except BadReport:
        return HttpResponse(status=400)
    for fields in reports:
        logger.warning(
            "Content-Security-Policy violation: %s blocked %s on %s (%s line %s)",
            fields.get("directive"),
            fields.get("blocked", "-"),
            fields.get("document", "-"),
            fields.get("source", "-"),
            fields.get("line", "-"),
            extra={"csp_violation": fields},
        )
    return HttpResponse(status=204)
