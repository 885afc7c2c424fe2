"""How complex the functions of a module are, counted as radon counts them (issue 11)."""

import ast
from pathlib import Path
from types import ModuleType


def complexity(function: ast.FunctionDef) -> int:
    """Cyclomatic complexity as radon counts it: one, plus one per decision (each
    ``if``, loop, ternary, ``except``, comprehension clause and extra boolean operand)."""
    decisions = 0
    for node in ast.walk(function):
        if isinstance(node, ast.If | ast.IfExp | ast.For | ast.While | ast.ExceptHandler):
            decisions += 1
        elif isinstance(node, ast.BoolOp):
            decisions += len(node.values) - 1
        elif isinstance(node, ast.comprehension):
            decisions += 1 + len(node.ifs)
    return 1 + decisions


def too_complex(module: ModuleType, *, defines: str, limit: int = 10) -> dict[str, int]:
    """The functions of ``module`` above ``limit``, by name. ``defines`` must be one of
    them, so that a renamed module or function cannot make the check pass by finding
    nothing."""
    tree = ast.parse(Path(module.__file__).read_text())
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
    assert defines in {function.name for function in functions}
    return {f.name: complexity(f) for f in functions if complexity(f) > limit}
