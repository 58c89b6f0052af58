"""Page copy (definitions, caveats, help) lives in Markdown under ``content/`` so that an equality
lead can correct it without touching Python. Placeholders like ``{trust_name}`` are filled in."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


@cache
def _read(name: str) -> str:
    return (CONTENT_DIR / f"{name}.md").read_text(encoding="utf-8")


def page_copy(name: str, **values: object) -> str:
    """The Markdown in ``content/<name>.md`` with ``{placeholders}`` filled from ``values``."""
    text = _read(name)
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text


def page_sections(name: str, **values: object) -> dict[str, str]:
    """The sections of ``content/<name>.md``, each starting with ``<!-- section: name -->``."""
    parts = re.split(r"<!-- section: ([a-z_]+) -->", page_copy(name, **values))
    return dict(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))
