"""Every service and selector says what it takes and what it gives (issue 11).

The hints are for readers (Kindred runs no type checker), so this test asks
two things of each public function in the modules below: every parameter and
the return value carry a hint, and every hint names something that exists
(``typing.get_type_hints`` resolves them all, so a misspelt or stale name
fails here rather than misleading the next reader).
"""

import ast
import importlib
import inspect
import types
import typing
from pathlib import Path

import pytest
from django_tasks.base import Task

# Every services and selectors module of every app is found, not listed, so a new one
# is held to the rule from its first commit.
ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))


def _services_and_selectors():
    found = []
    for app in APPS:
        for kind in ("services", "selectors"):
            if (ROOT / app / f"{kind}.py").exists():
                found.append(f"{app}.{kind}")
            for path in sorted((ROOT / app / kind).glob("*.py")):
                if path.stem != "__init__":
                    found.append(f"{app}.{kind}.{path.stem}")
        for path in sorted((ROOT / app).glob("*/*.py")):
            if path.parent.name == "notifications" and path.stem in ("services", "selectors"):
                found.append(f"{app}.notifications.{path.stem}")
    return found


# Modules whose public functions are services, selectors or their close helpers.
HINTED_MODULES = sorted(
    {
        *_services_and_selectors(),
        "moderation.addresses",
        "sharing.policy",
        "sharing.networks",
        "sharing.policy_file.document",
        "sharing.policy_file.reading",
        "sharing.policy_file.applying",
        "core.submissions",
        "core.documents",
        "core.emails",
        "core.mail",
        "core.responses",
        "search.excerpts",
        "search.hits",
        "search.spelling",
        "search.tasks",
        "search.signals",
        "search.views",
        "search.wagtail_hooks",
        "search.params",
        "experience_stories.models",
        # The hooks features fill, and those that fill them (issue 11: features plug in).
        "core.hooks",
        # The routing of an item page and its compiled queries (issue 17).
        "core.routing",
        "core.prepared",
        "ratings.wagtail_hooks",
        "discussion.threads",
        "discussion.notifications",
        "social.notifications.kinds",
        "social.notifications.tasks",
        "authoring.kinds",
    }
)


def test_every_app_with_services_or_selectors_is_found():
    found = set(_services_and_selectors())
    assert {"ratings.services", "social.selectors.feed", "social.notifications.selectors"} <= found


def _public_functions(module):
    """``(name, function)`` for each public function defined in ``module`` (for a task,
    its function), and each public method and property of the classes it defines."""
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        if isinstance(value, Task):
            value = value.func
        if inspect.isfunction(value) and value.__module__ == module.__name__:
            yield name, value
        elif inspect.isclass(value) and value.__module__ == module.__name__:
            for attribute, member in vars(value).items():
                if isinstance(member, property):
                    member = member.fget
                # Only what the module itself wrote (a metaclass may add a ``media``).
                if (
                    not attribute.startswith("_")
                    and inspect.isfunction(member)
                    and member.__module__ == module.__name__
                ):
                    yield f"{name}.{attribute}", member


def _type_checking_names(module):
    """The names a module imports under ``if TYPE_CHECKING:`` (for hints only, so that a
    lower layer may name a higher layer's class without importing it at run time)."""
    names = {}
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.If) and ast.unparse(node.test) in {
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        }:
            block = ast.Module(body=node.body, type_ignores=[])
            # The module's own import lines, from its source file: nothing else runs.
            exec(compile(block, module.__file__, "exec"), names)  # noqa: S102
    return names


def _unhinted(name, function, localns=None):
    hints = typing.get_type_hints(function, localns=localns)
    missing = [
        f"{name}({parameter})"
        for parameter in inspect.signature(function).parameters
        if parameter not in hints and parameter not in {"self", "cls"}
    ]
    if "return" not in hints:
        missing.append(f"{name} -> ?")
    return missing


@pytest.mark.parametrize("module_name", HINTED_MODULES)
def test_every_public_function_is_hinted(module_name):
    module = importlib.import_module(module_name)
    functions = list(_public_functions(module))
    assert functions, f"{module_name} has no public function: drop it from the list"
    localns = _type_checking_names(module)
    missing = [gap for name, function in functions for gap in _unhinted(name, function, localns)]
    assert missing == []


def test_a_missing_hint_is_found():
    """The check itself: a parameter or return without a hint is reported by name."""

    def selector(*, user, limit: int = 3):
        return []

    assert _unhinted("selector", selector) == ["selector(user)", "selector -> ?"]


def test_a_hint_naming_nothing_fails():
    """A stale hint (a name that no longer exists) is an error, not a pass."""

    def selector(*, user: "NoSuchModel") -> list:  # noqa: F821
        return []

    with pytest.raises(NameError):
        _unhinted("selector", selector)


def test_methods_and_properties_are_checked_too():
    """Public methods and properties of the module's own classes count; ``self`` needs no hint."""
    module = types.ModuleType("fake_selectors")
    source = (
        "class Summary:\n"
        "    @property\n"
        "    def waiting(self):\n"
        "        return 0\n"
        "    def label(self, *, short: bool) -> str:\n"
        "        return ''\n"
    )
    exec(compile(source, "fake_selectors.py", "exec"), module.__dict__)  # noqa: S102
    functions = dict(_public_functions(module))
    assert sorted(functions) == ["Summary.label", "Summary.waiting"]
    assert _unhinted("Summary.waiting", functions["Summary.waiting"]) == ["Summary.waiting -> ?"]
    assert _unhinted("Summary.label", functions["Summary.label"]) == []
