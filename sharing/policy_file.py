"""The sharing policy as a file: export it, check a file, show what it would change, apply it.

``manage.py sharing_policy`` is the way in (issue 14). The file holds the
whole policy: the site's default and every rule, in a stable order so that
an export imported again changes nothing and two exports diff line by line.
Communities are named by slug, which survives a copy of the database; ids do
not.

Reading a file is strict: a policy that says something other than what its
author meant is worse than none, so every problem is listed (with the rule's
position) and nothing is applied unless the whole file is right. Applying
writes the same log entries as the admin's snippet and settings views, with
the importing user, so the admin's history shows who changed what and when
whichever way the change came.
"""

import json
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction

from wagtail.log_actions import LogContext, log
from wagtail.models import Site

import yaml

from core.models import CommunityPage
from core.refusals import Refused

from .models import SHAREABLE_TYPES, SharingRule, SharingSettings
from .networks import NETWORKS
from .selectors import policy_default

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


class _DuplicateKey(ValueError):
    pass


def _unique_pairs(pairs: list) -> dict:
    keys = [key for key, _value in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise _DuplicateKey(key)
    return dict(pairs)


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader (no tags that build Python objects), refusing a key given twice
    in one mapping, which it would otherwise settle silently in favour of the last."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # "<<: *anchor" merges a mapping; its keys may be overridden
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the base class says so properly
                break
            if duplicate:
                raise _DuplicateKey(key)
        return super().construct_mapping(node, deep=deep)


def _load(text: str | bytes, format: str) -> object:
    """The file's data; ``PolicyFileError`` for anything that is not one JSON or YAML value."""
    size = len(text.encode() if isinstance(text, str) else text)
    if size > MAX_FILE_BYTES:
        raise PolicyFileError(
            [f"the file is {size:,} bytes; a policy file may be at most {MAX_FILE_BYTES:,}."]
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PolicyFileError(
                [f"the file is not UTF-8 text (byte {error.start} cannot be read)."]
            ) from None
    name = "YAML" if format == YAML else "JSON"
    try:
        if format == YAML:
            return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader)
        return json.loads(text, object_pairs_hook=_unique_pairs)
    except _DuplicateKey as error:
        problem = f"the key {_shown(error.args[0])} appears twice in one object."
    except json.JSONDecodeError as error:
        problem = f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = f"not valid YAML: {error.problem or error.context}{where}."
    except RecursionError:
        problem = f"not a policy: the {name} is nested far too deeply."
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
        problem = f"not valid {name}: {str(error)[:200]}."
    raise PolicyFileError([problem])


def _shown(value: object) -> str:
    """A value from the file, for a message: quoted, shortened, control characters escaped."""
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:60] + "…")
    if value is None or isinstance(value, bool):
        return _text(value)
    if isinstance(value, int | float):
        return f"the number {value!r:.20}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def _check_keys(data: dict, allowed: tuple[str, ...], where: str, problems: list[str]) -> None:
    for key in data:
        if key not in allowed:
            problems.append(
                f"{where}: unknown key {_shown(key)} (the keys are {', '.join(allowed)})."
            )


def _boolean(
    data: dict, key: str, where: str, problems: list[str], *, default: bool | None
) -> bool:
    """``data[key]`` if it is true or false; ``default`` if it is absent and there is one."""
    if key not in data and default is not None:
        return default
    value = data.get(key)
    if type(value) is not bool:  # 0 and 1 are not true and false here
        problems.append(
            f"{where}: “{key}” is missing; write true or false."
            if key not in data
            else f"{where}: “{key}” must be true or false, not {_shown(value)}."
        )
        return False
    return value


def _has_control_characters(value: str) -> bool:
    return any(unicodedata.category(char) == "Cc" for char in value)


def _is_slug_like(value: object) -> bool:
    """Whether ``value`` may be looked up as a slug (never sends control characters to the DB)."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= SLUG_MAX_LENGTH
        and not _has_control_characters(value)
    )


def _parse_rule(
    position: int, raw: object, missing: dict[str, int], problems: list[str]
) -> PolicyRule | None:
    """The rule at ``position`` (from 1), or ``None`` with its problems added to ``problems``.
    ``missing`` counts the communities of each slug that does not name exactly one."""
    where = f"rule {position}"
    if not isinstance(raw, dict):
        problems.append(
            f"{where}: must be an object with {', '.join(RULE_KEYS)}, not {_shown(raw)}."
        )
        return None
    count = len(problems)
    _check_keys(raw, RULE_KEYS, where, problems)
    strings = {}
    for key in ("content_type", "community", "network", "note"):
        value = raw.get(key, None if key == "community" else "")
        if key == "community" and value is None:
            continue
        if not isinstance(value, str):
            problems.append(f"{where}: “{key}” must be text, not {_shown(value)}.")
            continue
        strings[key] = value
    content_type, network = strings.get("content_type", ""), strings.get("network", "")
    community, note = strings.get("community") or None, strings.get("note", "")
    if content_type and content_type not in SHAREABLE_TYPES:
        problems.append(
            f"{where}: unknown content type {_shown(content_type)} "
            f"(the types are {', '.join(SHAREABLE_TYPES)}; blank for any)."
        )
    if network and network not in NETWORKS:
        problems.append(
            f"{where}: unknown network {_shown(network)} "
            f"(the networks are {', '.join(NETWORKS)}; blank for any)."
        )
    if community and not _is_slug_like(community):
        problems.append(f"{where}: {_shown(community)} is not a community's slug.")
    elif community in missing:
        problems.append(_community_problem(where, community, missing[community]))
    if len(note) > NOTE_MAX_LENGTH:
        problems.append(
            f"{where}: the note is {len(note)} characters; at most {NOTE_MAX_LENGTH} fit."
        )
    elif _has_control_characters(note):
        problems.append(
            f"{where}: the note holds a control character (a line break?): {_shown(note)}."
        )
    allowed = _boolean(raw, "allowed", where, problems, default=None)
    consent = _boolean(raw, "needs_author_consent", where, problems, default=False)
    if not (content_type or community or network) and len(problems) == count:
        problems.append(
            f"{where}: names no content type, community or network; the “default” covers "
            "everything no rule names."
        )
    if len(problems) > count:
        return None
    return PolicyRule(content_type, community, network, allowed, consent, note)


def _community_ids(slugs: set[str]) -> tuple[dict[str, CommunityPage], dict[str, int]]:
    """The community of each slug found exactly once, and how many there are of each other."""
    found: dict[str, list[CommunityPage]] = {}
    for community in CommunityPage.objects.filter(slug__in=slugs):
        found.setdefault(community.slug, []).append(community)
    unique = {slug: pages[0] for slug, pages in found.items() if len(pages) == 1}
    return unique, {slug: len(found.get(slug, [])) for slug in slugs if slug not in unique}


def _community_problem(where: str, slug: str, count: int) -> str:
    if count:
        return f"{where}: {count} communities have the slug {_shown(slug)}; rename all but one."
    return f"{where}: no community has the slug {_shown(slug)}."


def parse_policy(text: str | bytes, *, format: str = JSON) -> ParsedPolicy:
    """The policy in ``text`` (JSON or YAML, as ``format`` says), checked through.

    Raises ``PolicyFileError`` listing every problem, each with where it is
    ("rule 3: unknown network 'myspace'"): not one object, a version other
    than this one, keys missing or unknown, values of the wrong type,
    unknown content types, networks and community slugs, a rule naming
    nothing or the same scope as an earlier one, a note too long for the
    database, a file over ``MAX_FILE_BYTES``. Reads the communities (one
    query); writes nothing.
    """
    data = _load(text, format)
    if not isinstance(data, dict):
        raise PolicyFileError(
            [
                f"the file must hold one object with {', '.join(TOP_KEYS)}, "
                f"not {_shown(data) if data is not None else 'nothing'}."
            ]
        )
    problems: list[str] = []
    _check_keys(data, TOP_KEYS, "the file", problems)
    version = data.get(VERSION_KEY)
    if type(version) is not int or version != VERSION:
        problems.append(
            f"the file must start with “{VERSION_KEY}”: {VERSION} (the format's version), "
            + ("which is missing." if VERSION_KEY not in data else f"not {_shown(version)}.")
        )
    default = data.get("default")
    allowed = consent = False
    if isinstance(default, dict):
        _check_keys(default, DEFAULT_KEYS, "the default", problems)
        allowed = _boolean(default, "allowed", "the default", problems, default=None)
        consent = _boolean(default, "needs_author_consent", "the default", problems, default=None)
    else:
        problems.append(
            "“default” must be an object with allowed and needs_author_consent, "
            + ("which is missing." if "default" not in data else f"not {_shown(default)}.")
        )
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list):
        problems.append(
            "“rules” must be a list (empty for none), "
            + ("which is missing." if "rules" not in data else f"not {_shown(raw_rules)}.")
        )
        raw_rules = []
    # The communities named, in one query, before the rules are read one by one.
    slugs = [raw.get("community") for raw in raw_rules if isinstance(raw, dict)]
    _, missing = _community_ids({slug for slug in slugs if _is_slug_like(slug)})
    rules: dict[tuple[str, str, str], PolicyRule] = {}
    first_of_scope: dict[tuple[str, str, str], int] = {}
    for position, raw in enumerate(raw_rules, start=1):
        rule = _parse_rule(position, raw, missing, problems)
        if rule is None:
            continue
        if rule.scope in first_of_scope:
            problems.append(
                f"rule {position}: rule {first_of_scope[rule.scope]} already speaks about "
                f"{_subject(*rule.scope)}; one rule per content type, community and network."
            )
            continue
        first_of_scope[rule.scope] = position
        rules[rule.scope] = rule
    if problems:
        raise PolicyFileError(problems)
    return ParsedPolicy(
        allowed_by_default=allowed,
        needs_author_consent=consent,
        rules=tuple(rules[scope] for scope in sorted(rules)),
    )


# Comparing and applying ---------------------------------------------------------------------


@dataclass
class _Plan:
    """The changes, with what writing each needs: the file's rule and the row it replaces."""

    steps: list[tuple[Change, PolicyRule | None, SharingRule | None]]
    communities: dict[str, CommunityPage]

    @property
    def changes(self) -> list[Change]:
        return [change for change, _rule, _row in self.steps]


def _plan(parsed: ParsedPolicy, rows: list[SharingRule], current: dict[str, bool]) -> _Plan:
    communities, missing = _community_ids(
        {rule.community for rule in parsed.rules if rule.community}
    )
    if missing:
        # The file was checked, but a community went (or gained a namesake) since.
        raise PolicyFileError(
            [_community_problem("a rule", slug, count) for slug, count in sorted(missing.items())]
        )
    wanted = {
        "allowed": parsed.allowed_by_default,
        "needs_author_consent": parsed.needs_author_consent,
    }
    steps = []
    differs = [name for name in wanted if wanted[name] != current[name]]
    if differs:
        before, after = (
            {name: current[name] for name in differs},
            {name: wanted[name] for name in differs},
        )
        steps.append((Change(DEFAULT, "the default", before, after), None, None))
    by_key = {(row.content_type, row.community_id, row.network): row for row in rows}
    rule_steps = []
    for rule in parsed.rules:
        community = communities[rule.community] if rule.community else None
        row = by_key.pop((rule.content_type, community and community.pk, rule.network), None)
        subject = _subject(*rule.scope)
        if row is None:
            rule_steps.append((rule.scope, Change(ADD, subject, after=rule.values), rule, None))
            continue
        before = _file_rule(row).values
        differs = [name for name in RULE_FIELDS if before[name] != rule.values[name]]
        if differs:
            change = Change(
                CHANGE,
                subject,
                {name: before[name] for name in differs},
                {name: rule.values[name] for name in differs},
            )
            rule_steps.append((rule.scope, change, rule, row))
    for row in by_key.values():
        gone = _file_rule(row)
        change = Change(REMOVE, _subject(*gone.scope), before=gone.values)
        rule_steps.append((gone.scope, change, None, row))
    rule_steps.sort(key=lambda step: step[0])
    steps += [(change, rule, row) for _scope, change, rule, row in rule_steps]
    return _Plan(steps, communities)


def _current_default(settings: SharingSettings | None) -> dict[str, bool]:
    settings = settings or SharingSettings()
    return {
        "allowed": settings.allowed_by_default,
        "needs_author_consent": settings.needs_author_consent,
    }


def policy_changes(*, parsed: ParsedPolicy, site: Site) -> list[Change]:
    """What applying ``parsed`` to ``site`` would change: the default first, then each rule
    added, changed or removed, sorted as an export is. Writes nothing."""
    rows = list(SharingRule.objects.select_related("community"))
    settings = SharingSettings.objects.filter(site=site).first()
    return _plan(parsed, rows, _current_default(settings)).changes


def policy_importer_check(*, user: AbstractBaseUser) -> None:
    """Raise ``PolicyNotPermitted`` unless ``user`` is active and may change sharing rules."""
    if not user.is_active:
        raise PolicyNotPermitted(f"The user “{user.get_username()}” is not active.")
    if not user.has_perm(IMPORT_PERMISSION):
        raise PolicyNotPermitted(
            f"The user “{user.get_username()}” may not change the sharing policy: they need "
            f"to be a superuser or hold the permission {IMPORT_PERMISSION}."
        )


@transaction.atomic
def policy_apply(*, parsed: ParsedPolicy, site: Site, user: AbstractBaseUser) -> list[Change]:
    """Make the policy of ``site`` what ``parsed`` says, in one transaction; return the changes.

    Rules are added, changed and removed and the default updated; each change
    is logged as the admin logs it (``wagtail.create``/``edit``/``delete`` on
    the rule, ``wagtail.edit`` on the site's setting, a delete logged before
    the row goes) with ``user``, all under one log context so the entries of
    one import belong together. Raises ``PolicyNotPermitted`` when ``user``
    lacks a permission one of the changes needs in the admin (adding,
    changing or deleting rules, changing the default), and
    ``PolicyFileError`` if the policy changed underneath in a way that
    makes the file inapplicable; then nothing is changed.
    """
    policy_importer_check(user=user)
    # Locked until the end, so a rule edited in the admin meanwhile waits (PostgreSQL).
    rows = list(SharingRule.objects.select_for_update(of=("self",)).select_related("community"))
    settings = SharingSettings.objects.select_for_update().filter(site=site).first()
    plan = _plan(parsed, rows, _current_default(settings))
    lacking = sorted(
        {
            PERMISSIONS[change.kind]
            for change in plan.changes
            if not user.has_perm(PERMISSIONS[change.kind])
        }
    )
    if lacking:
        raise PolicyNotPermitted(
            f"The user “{user.get_username()}” may not make these changes: they lack "
            f"{', '.join(lacking)}. Nothing was changed."
        )
    try:
        with LogContext(user=user), transaction.atomic():
            for change, rule, row in plan.steps:
                _write(change, rule, row, site=site, settings=settings, plan=plan, user=user)
    except IntegrityError:
        raise PolicyFileError(
            ["a rule for one of the file's scopes was added meanwhile; run the import again."]
        ) from None
    return plan.changes


def _write(
    change: Change,
    rule: PolicyRule | None,
    row: SharingRule | None,
    *,
    site: Site,
    settings: SharingSettings | None,
    plan: _Plan,
    user: AbstractBaseUser,
) -> None:
    """Make one change and log it as the admin's views would."""
    data: dict[str, object] = {"source": LOG_SOURCE}
    if change.kind in (CHANGE, DEFAULT):
        data["changes"] = {name: [change.before[name], change.after[name]] for name in change.after}
    if change.kind == DEFAULT:
        settings = settings or SharingSettings(site=site)
        for name, value in change.after.items():
            setattr(settings, "allowed_by_default" if name == "allowed" else name, value)
        settings.save()
        log(instance=settings, action="wagtail.edit", user=user, content_changed=True, data=data)
    elif change.kind == REMOVE:
        # As Wagtail's DeleteAction: logged first, while the row still exists.
        log(instance=row, action="wagtail.delete", user=user, deleted=True, data=data)
        row.delete()
    elif change.kind == CHANGE:
        for name, value in change.after.items():
            setattr(row, name, value)
        row.save(update_fields=list(change.after))
        log(instance=row, action="wagtail.edit", user=user, content_changed=True, data=data)
    else:
        row = SharingRule.objects.create(
            content_type=rule.content_type,
            community=plan.communities[rule.community] if rule.community else None,
            network=rule.network,
            **change.after,
        )
        log(instance=row, action="wagtail.create", user=user, content_changed=True, data=data)
