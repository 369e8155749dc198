"""The tests read today when they run, never when pytest collects them.

Regression: CI started a run before midnight in Shanghai and reached the survey and follow-up tests after it; their
module constant ``TODAY = timezone.localdate()`` was yesterday while the services already lived in the new day, and
four tests failed (an evaluation opened "tomorrow", a future forum accepted).
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _reads_the_clock(node: ast.AST) -> bool:
    return any(
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in {"localdate", "now", "today"}
        and not (isinstance(call.func.value, ast.Name) and call.func.value.id == "self")
        for call in ast.walk(node)
    )


def test_no_test_module_takes_today_as_a_day_constant_at_import():
    stale = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and _reads_the_clock(node):
                text = ast.unparse(node)
                # A year taken at import only goes stale on New Year's Eve, and parametrize needs it then.
                if not text.rstrip().endswith((".year", ".year + 1", ".year - 1")):
                    stale.append(f"{path.relative_to(TESTS)}:{node.lineno}: {text}")
    assert stale == []
