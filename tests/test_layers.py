"""The layers hold: no app imports a higher one, siblings stay apart, no import cycles.

The contracts live in pyproject.toml ([tool.importlinter]) and `make lint` runs
them; docs/architecture.md draws them. These tests run the same contracts on
the real tree, check that every app has a place in them, and prove on a copy
of the tree that an upward import (at the top of a module, inside a function or
a method) and a cycle between apps are caught. Imports under TYPE_CHECKING
never run and are left out (pyproject.toml says why).
"""

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
APPS = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))

# Imports between apps, and the cycles among them, computed by grimp (the graph
# import-linter reads) in a fresh interpreter so that the tree it reads is the
# one in its working directory.
APP_CYCLES = """
import itertools, json, sys
import grimp
apps = json.loads(sys.argv[1])
graph = grimp.build_graph(
    *apps, include_external_packages=False, exclude_type_checking_imports=True
)
edges = {
    (a, b)
    for a, b in itertools.permutations(apps, 2)
    if graph.direct_import_exists(importer=a, imported=b, as_packages=True)
}
reach = {app: {b for a, b in edges if a == app} for app in apps}
changed = True
while changed:
    changed = False
    for app in apps:
        more = set().union(*(reach[other] for other in reach[app])) - reach[app]
        if more:
            reach[app] |= more
            changed = True
print(json.dumps(sorted([a, b] for a, b in edges if a in reach[b])))
"""


def _lint_imports(cwd):
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def _app_cycles(cwd):
    """Pairs of apps (importer, imported) whose import lies on a cycle between apps."""
    result = subprocess.run(
        [sys.executable, "-c", APP_CYCLES, json.dumps(APPS)],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [tuple(pair) for pair in json.loads(result.stdout)]


@pytest.fixture
def tree_copy(tmp_path):
    """The apps' Python files and pyproject.toml, copied where a test may change them."""
    for app in APPS:
        shutil.copytree(
            ROOT / app,
            tmp_path / app,
            ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "*.pyc"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def _append(path, code):
    path.write_text(path.read_text() + "\n\n" + code + "\n")


def test_every_app_has_a_place_in_the_layers():
    [layers] = [c for c in CONFIG["contracts"] if c["type"] == "layers"]
    layered = {app.strip() for layer in layers["layers"] for app in layer.split("|")}
    # A new app must be placed in the picture before it can be checked.
    assert set(CONFIG["root_packages"]) == set(APPS)
    assert layered == set(APPS)
    assert len(layers["layers"]) == len(set(layers["layers"]))


def test_the_contracts_hold():
    returncode, output = _lint_imports(ROOT)

    assert returncode == 0, output
    assert "0 broken" in output


def test_no_import_cycle_between_apps():
    assert _app_cycles(ROOT) == []


@pytest.mark.parametrize(
    ("module", "code", "reported"),
    [
        # A lower layer importing a higher one, at the top of a module.
        ("core/roles.py", "import portal.urls  # noqa", "core.roles -> portal.urls"),
        # The same hidden inside a function, the old way of dodging a cycle.
        (
            "moderation/addresses.py",
            "def _dodge():\n    from authoring import services  # noqa",
            "moderation.addresses -> authoring.services",
        ),
        # Or inside a method.
        (
            "blogs/models.py",
            "class _Late:\n    def f(self):\n        import accounts.models  # noqa",
            "blogs.models -> accounts.models",
        ),
        # Siblings in one layer stay independent of each other.
        (
            "search/views.py",
            "import discussion.selectors  # noqa",
            "search.views -> discussion.selectors",
        ),
    ],
)
def test_an_import_against_the_layers_breaks_the_contract(tree_copy, module, code, reported):
    _, before = _lint_imports(tree_copy)
    assert reported not in before

    _append(tree_copy / module, code)
    returncode, after = _lint_imports(tree_copy)

    assert returncode != 0
    assert reported in after


def test_core_importing_any_app_breaks_its_own_contract(tree_copy):
    _append(tree_copy / "core" / "sanitize.py", "def _f():\n    import blogs.models  # noqa")

    _, output = _lint_imports(tree_copy)

    core_alone = output.split("core imports no Kindred app")[-1]
    assert "core is not allowed to import blogs" in core_alone
    assert "core.sanitize -> blogs.models" in core_alone


def test_a_cycle_between_apps_is_found(tree_copy):
    # search may import blogs (a lower layer); blogs importing search closes a cycle.
    _append(tree_copy / "search" / "views.py", "import blogs.models  # noqa")
    before = _app_cycles(tree_copy)
    _append(tree_copy / "blogs" / "models.py", "def _f():\n    import search.selectors  # noqa")

    after = _app_cycles(tree_copy)

    assert ("blogs", "search") not in before
    assert ("blogs", "search") in after
    assert ("search", "blogs") in after
    returncode, output = _lint_imports(tree_copy)
    assert returncode != 0
    assert "blogs.models -> search.selectors" in output
