"""Repository hygiene: the README's two commands, CI running the same test command, ruff clean,
no secrets or databases in git."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN_COMMAND = "python -m pip install -r requirements.txt && python -m streamlit run app.py"
TEST_COMMAND = "python -m pip install -r requirements-dev.txt && python -m pytest -n 2 --dist loadgroup"


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Quick start\n(.*?)(?=^## )", readme, flags=re.M | re.S)
    assert section, "README.md has no '## Quick start' section"
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", section.group(1), flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_the_readme_quick_start_is_exactly_the_two_commands():
    assert _quick_start_commands() == [RUN_COMMAND, TEST_COMMAND]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1].strip() == TEST_COMMAND


def _git_files() -> list[str]:
    if not (ROOT / ".git").exists() or not shutil.which("git"):
        pytest.skip("not a git checkout")
    result = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def test_no_secrets_or_databases_are_tracked():
    files = _git_files()
    assert ".streamlit/secrets.toml" not in files
    assert not [f for f in files if re.search(r"\.(db|sqlite3?)$", f)]


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]], ids=["lint", "format"])
def test_ruff_is_clean(args):
    beside_python = Path(sys.executable).parent / "ruff"
    ruff = str(beside_python) if beside_python.exists() else shutil.which("ruff")
    if not ruff:
        pytest.skip("ruff is not installed (requirements-dev.txt)")
    result = subprocess.run([ruff, *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_repository_stands_on_its_own_and_cites_no_design_notes_outside_it():
    """Code, docs and user-facing text cite public sources and the repository's own docs only."""
    outside = ("DOMAIN" + ".md", "DESIGN" + ".md", "../" + "shared")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    offenders = []
    for name in tracked.splitlines():
        path = ROOT / name
        if path.suffix not in {".py", ".md", ".yaml", ".sql", ".toml", ".txt"} or not path.exists():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{name}: {word}" for word in outside if word in text]
    assert offenders == []
