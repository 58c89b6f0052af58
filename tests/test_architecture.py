"""The layers depend one way (docs/design.md): pages → components, reports; components → reports,
queries, measures; reports → queries, measures, data; queries → data, measures.

Pages only read filters and lay out figures: every figure is assembled in ``reports`` (and has been
through disclosure control there), so pages import ``components`` and ``reports`` only. ``measures`` is
the pure domain core: it imports nothing of the project, nor Streamlit or SQLAlchemy.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = {"app", "pages", "components", "reports", "queries", "measures", "data"}

#: For each layer, the project packages it may import (itself included) and third-party modules it may not.
ALLOWED = {
    "measures": ({"measures"}, {"streamlit", "sqlalchemy", "pydeck", "altair"}),
    "data": ({"data", "measures"}, {"streamlit", "pydeck", "altair"}),
    "queries": ({"queries", "data", "measures"}, {"streamlit", "pydeck", "altair"}),
    "reports": ({"reports", "queries", "data", "measures"}, {"streamlit", "pydeck"}),
    "components": ({"components", "reports", "queries", "data", "measures"}, set()),
    "pages": ({"components", "reports"}, set()),
}

#: Listed exceptions, each with its reason.
EXCEPTIONS = {
    # The admin page manages logins through the same module as the `python -m data.users` command, and
    # reads the list of teams as the choices for a champion's teams (names only, no figures).
    "pages/users.py": {"data", "queries"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _modules(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_what_it_may(layer):
    allowed_project, forbidden_third_party = ALLOWED[layer]
    problems = []
    modules = _modules(layer)
    assert modules, f"{layer}/ has no modules"
    for path in modules:
        imported = _imports(path)
        allowed_here = allowed_project | EXCEPTIONS.get(str(path.relative_to(ROOT)), set())
        for name in sorted(imported & PROJECT_PACKAGES - allowed_here):
            problems.append(f"{path.relative_to(ROOT)} imports {name}")
        for name in sorted(imported & forbidden_third_party):
            problems.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not problems, "layer rule broken:\n" + "\n".join(problems)


def test_the_rule_catches_a_bad_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import streamlit as st\nfrom queries.scope import Scope\n")
    assert _imports(bad) == {"streamlit", "queries"}


def test_every_query_module_keeps_its_sql_in_sql_files():
    for path in _modules("queries"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\bSELECT\b.*\bFROM\b", source), (
            f"{path.name} holds SQL; move it to queries/sql"
        )


PAGE_LINE_LIMIT = 350


def test_every_page_module_is_short_enough_to_be_only_layout():
    long = {
        p.name: n
        for p in _modules("pages")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) >= PAGE_LINE_LIMIT
    }
    assert not long, (
        f"page modules of {PAGE_LINE_LIMIT} lines or more (move figure assembly to reports/): {long}"
    )


def test_no_page_builds_a_disclosure_policy_or_publishes_figures():
    for path in _modules("pages"):
        source = path.read_text(encoding="utf-8")
        for word in ("DisclosurePolicy(", "publish_table(", "publish_count("):
            assert word not in source, f"{path.name} calls {word}: figures are published in reports/"


def _calls_with_keyword(path, names: set[str], keyword: str):
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            keywords = {k.arg: k.value for k in node.keywords}
            if name in names and keyword in keywords:
                yield node, keywords


def test_figures_are_computed_from_published_counts():
    """Rates, percentages and ratios come from the published counts (``figures=``). The legacy ``derived=``
    passes a caller's figure through, so it is allowed only when the caller states, and computes, it from
    the published counts (``derived_from_published=True``)."""
    offenders = []
    for package in ("reports", "measures", "components"):
        for path in _modules(package):
            if path.name in ("disclosure.py", "attacks.py"):
                continue
            for node, keywords in _calls_with_keyword(path, {"publish_table", "TableSpec"}, "derived"):
                stated = keywords.get("derived_from_published")
                if not (stated is not None and getattr(stated, "value", None) is True):
                    offenders.append(f"{package}/{path.name}:{node.lineno}")
    assert not offenders, (
        f"figures from true counts (derived= without derived_from_published=True): {offenders}"
    )


def test_csv_downloads_go_through_the_table_component():
    """A CSV reaches the browser only from components.tables.show_table, with its header block; the
    board pack PDF is the one other download."""
    for path in [*_modules("pages"), *_modules("components")]:
        source = path.read_text(encoding="utf-8")
        if "download_button(" in source and path.name not in ("tables.py", "overview.py"):
            raise AssertionError(f"{path.name} offers a download outside components.tables")
