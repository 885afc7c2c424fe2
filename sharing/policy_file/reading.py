"""Reading a policy file: strict loading of JSON or YAML and the check of every part."""

import json
import unicodedata

import yaml

from core.models import CommunityPage

from ..models import SHAREABLE_TYPES
from ..networks import NETWORKS
from .document import (
    DEFAULT_KEYS,
    JSON,
    MAX_FILE_BYTES,
    NOTE_MAX_LENGTH,
    RULE_KEYS,
    SLUG_MAX_LENGTH,
    TOP_KEYS,
    VERSION,
    VERSION_KEY,
    YAML,
    ParsedPolicy,
    PolicyFileError,
    PolicyRule,
    _subject,
    _text,
)


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
