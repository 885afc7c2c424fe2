"""The core is the bottom layer: no module under core/ imports a Kindred app.

Features plug in through core/hooks.py instead; an import that points up
(at the top of a module or inside a function) fails here.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CORE = ROOT / "core"


def kindred_apps():
    """The project's own apps: top-level packages with an apps.py, the core left out."""
    return {path.parent.name for path in ROOT.glob("*/apps.py")} - {"core"}


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_the_kindred_apps_are_found():
    assert {"ratings", "discussion", "social", "search", "portal"} <= kindred_apps()


def test_core_imports_no_kindred_app():
    apps = kindred_apps()
    upward = sorted(
        f"{path.relative_to(ROOT)}: {module}"
        for path in CORE.rglob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in apps
    )
    assert upward == []
