"""measures/ is the pure core: it imports only the standard library, numpy, pandas, scipy, pyyaml and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MEASURES = Path(__file__).resolve().parents[2] / "measures"
ALLOWED_THIRD_PARTY = {"numpy", "pandas", "scipy", "yaml"}


def test_measures_imports_nothing_else():
    problems = []
    for path in sorted(MEASURES.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names | ALLOWED_THIRD_PARTY | {"measures", "__future__"}:
                    problems.append(f"{path.name} imports {name}")
    assert not problems, problems
