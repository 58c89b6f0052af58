"""Every page guards itself (docs/design.md, access control): on a fresh server a page URL can run the page module
without app.py, so each module's first statement must refuse anyone not signed in with a permitted role.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from components.access import PAGES, PAGES_BY_ID, User
from components.auth import USER_KEY
from components.guard import REFUSAL
from queries.scope import Scope

ROOT = Path(__file__).resolve().parents[2]
PAGE_FILES = sorted((ROOT / "pages").glob("*.py"))


def _first_statements(path: Path) -> list[ast.stmt]:
    body = ast.parse(path.read_text(encoding="utf-8")).body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return [s for s in body if not (isinstance(s, ast.ImportFrom) and s.module == "__future__")]


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.name)
def test_every_page_module_starts_with_its_guard(path):
    first, second = _first_statements(path)[:2]
    assert isinstance(first, ast.ImportFrom) and first.module == "components.guard", (
        f"{path.name}: the first statement must be `from components.guard import require_page`"
    )
    assert [alias.name for alias in first.names] == ["require_page"]
    call = second.value if isinstance(second, (ast.Assign, ast.Expr)) else None
    assert isinstance(call, ast.Call) and getattr(call.func, "id", None) == "require_page", (
        f"{path.name}: the second statement must call require_page(...)"
    )
    page_id = call.args[0].value
    assert PAGES_BY_ID[page_id].path == f"pages/{path.name}", f"{path.name} guards itself as {page_id!r}"


def test_every_page_file_is_in_the_access_table_and_back():
    assert {f"pages/{p.name}" for p in PAGE_FILES} == {page.path for page in PAGES}


def test_the_guard_check_itself_fails_on_an_unguarded_page(tmp_path):
    unguarded = tmp_path / "unguarded.py"
    unguarded.write_text('"""Doc."""\nimport streamlit as st\nst.write("figures")\n')
    statements = _first_statements(unguarded)
    assert not (isinstance(statements[0], ast.ImportFrom) and statements[0].module == "components.guard")


def _figures_shown(at) -> int:
    return len(at.metric) + len(at.dataframe) + len(at.table) + len(at.title)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.page_id)
def test_a_page_run_directly_without_sign_in_shows_only_the_sign_in_prompt(page, app_env):
    """What a fresh server does when the first request is the page's URL: the module runs alone."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / page.path), default_timeout=60).run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Please sign in to see this page."]
    assert _figures_shown(at) == 0


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.page_id)
def test_a_page_run_directly_by_a_role_it_does_not_allow_shows_only_the_refusal(page, app_env):
    from streamlit.testing.v1 import AppTest

    role = next(r for r in ("admin", "board", "champion", "equality_lead") if r not in page.roles)
    at = AppTest.from_file(str(ROOT / page.path), default_timeout=60)
    at.session_state[USER_KEY] = User("someone", "Someone", role, Scope.whole_trust())
    at.session_state["authentication_status"] = True
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [REFUSAL]
    assert _figures_shown(at) == 0
