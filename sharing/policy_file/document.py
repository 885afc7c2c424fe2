"""The policy file's vocabulary (keys, versions, permissions, errors, changes) and the export."""

import json
from dataclasses import dataclass, field

from wagtail.models import Site

import yaml

from core.models import CommunityPage
from core.refusals import Refused

from ..models import SharingRule
from ..selectors import policy_default

VERSION_KEY = "kindred_sharing_policy"
VERSION = 1
JSON, YAML = "json", "yaml"
FORMATS = (JSON, YAML)
# A policy is a few kilobytes; a file far beyond that is a mistake or an attack.
MAX_FILE_BYTES = 1_000_000
MAX_PROBLEMS_SHOWN = 50
NOTE_MAX_LENGTH = SharingRule._meta.get_field("note").max_length
SLUG_MAX_LENGTH = CommunityPage._meta.get_field("slug").max_length
# What the log entries of an import carry besides who and when.
LOG_SOURCE = "sharing_policy import"

TOP_KEYS = (VERSION_KEY, "default", "rules")
DEFAULT_KEYS = ("allowed", "needs_author_consent")
RULE_KEYS = ("content_type", "community", "network", "allowed", "needs_author_consent", "note")
RULE_FIELDS = ("allowed", "needs_author_consent", "note")

ADD, CHANGE, REMOVE, DEFAULT = "add", "change", "remove", "default"
# The permission each kind of change needs, as in the admin (rules are snippets,
# the default a site setting).
PERMISSIONS = {
    ADD: "sharing.add_sharingrule",
    CHANGE: "sharing.change_sharingrule",
    REMOVE: "sharing.delete_sharingrule",
    DEFAULT: "sharing.change_sharingsettings",
}
IMPORT_PERMISSION = PERMISSIONS[CHANGE]


class PolicyFileError(Refused):
    """The file (or the import) was refused; ``problems`` lists every reason, in file order."""

    status = 400

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        lines = [
            f"The sharing policy was not imported ({count} problem{'s' if count != 1 else ''}); "
            "nothing was changed:"
        ]
        lines += [f"  - {problem}" for problem in self.problems[:MAX_PROBLEMS_SHOWN]]
        if count > MAX_PROBLEMS_SHOWN:
            lines.append(f"  … and {count - MAX_PROBLEMS_SHOWN} more.")
        super().__init__("\n".join(lines))


class PolicyNotPermitted(Refused):
    """The user may not make (some of) the changes the file asks for."""

    status = 403


@dataclass(frozen=True)
class PolicyRule:
    """One rule as the file says it. ``community`` is a slug; blank or ``None`` mean any."""

    content_type: str = ""
    community: str | None = None
    network: str = ""
    allowed: bool = True
    needs_author_consent: bool = False
    note: str = ""

    @property
    def scope(self) -> tuple[str, str, str]:
        """What the rule speaks about, as sorted and compared: (type, community slug, network)."""
        return (self.content_type, self.community or "", self.network)

    @property
    def values(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in RULE_FIELDS}


@dataclass(frozen=True)
class ParsedPolicy:
    """A whole policy read from a file and found valid."""

    allowed_by_default: bool
    needs_author_consent: bool
    rules: tuple[PolicyRule, ...] = ()


@dataclass(frozen=True)
class Change:
    """One difference between a policy file and the database: a rule added, changed or
    removed, or the default changed. ``before``/``after`` hold the values that differ
    (all of them for an added or removed rule)."""

    kind: str
    subject: str
    before: dict[str, object] = field(default_factory=dict)
    after: dict[str, object] = field(default_factory=dict)

    def describe(self) -> str:
        """The change in one line, in the file's words."""
        if self.kind in (ADD, REMOVE):
            values = self.after if self.kind == ADD else self.before
            note = f" (note {_text(values['note'])})" if values["note"] else ""
            return f"{self.subject}: {_verdict(values)}{note}"
        fields = "; ".join(
            f"{name} {_text(self.before[name])} → {_text(self.after[name])}" for name in self.after
        )
        return f"{self.subject}: {fields}"


def _text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _verdict(values: dict[str, object]) -> str:
    if not values["allowed"]:
        return "not allowed"
    return "allowed with the author’s consent" if values["needs_author_consent"] else "allowed"


def _subject(content_type: str, community: str | None, network: str) -> str:
    return " · ".join(
        (
            content_type or "any type",
            f"community {community}" if community else "any community",
            network or "any network",
        )
    )


# Export -------------------------------------------------------------------------------------


def policy_document(*, site: Site) -> dict:
    """The whole policy of ``site`` (its default and every rule) as plain data, rules sorted by
    content type, community slug and network. Reads without writing (a default never saved
    is the model's)."""
    default = policy_default(site=site)
    rules = sorted(
        (_file_rule(rule) for rule in SharingRule.objects.select_related("community")),
        key=lambda rule: rule.scope,
    )
    return {
        VERSION_KEY: VERSION,
        "default": {
            "allowed": default.allowed,
            "needs_author_consent": default.needs_author_consent,
        },
        "rules": [{name: getattr(rule, name) for name in RULE_KEYS} for rule in rules],
    }


def _file_rule(rule: SharingRule) -> PolicyRule:
    return PolicyRule(
        content_type=rule.content_type,
        community=rule.community.slug if rule.community_id else None,
        network=rule.network,
        allowed=rule.allowed,
        needs_author_consent=rule.needs_author_consent,
        note=rule.note,
    )


def policy_text(document: dict, *, format: str = JSON) -> str:
    """``document`` written as JSON or YAML, keys in the document's order, ending in a newline."""
    if format == YAML:
        return yaml.safe_dump(
            document, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
        )
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# Reading ------------------------------------------------------------------------------------
