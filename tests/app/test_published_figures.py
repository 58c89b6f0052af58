"""The adversarial test: everything the app publishes, on every page and for every role, attacked.

For each role and each page it may open, the page is run on the tiny demo store (where small counts
abound) with its default view and a sample of other filter choices (each select box and radio set to
its other options in turn). From every run it collects what reaches the browser:

- every table the disclosure stage released (``measures.disclosure.recording``): the tables, charts,
  sparklines, map properties and CSVs are drawn from these;
- the text on screen (sentences, captions, metrics), the data behind every chart, the properties of
  every map feature, and every CSV offered for download.

Then it tries what an equality lead with a calculator would: rate × denominator, percentage ×
denominator, ratio × reference, broad − Σ detailed, total − Σ parts, team = service line − other teams
(the links each release declares), and a filtered view against the unfiltered one (across runs), using
``measures.attacks.Publication`` with the true counts. It must recover no count from 1 to 4 and
un-round no count. Counts shown on screen, in chart data, map properties and CSVs must be 0, "*" or
rounded. A companion test turns suppression off and checks that the same test then fails.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

import pandas as pd
import pytest
from streamlit.util import calc_hash

from components.access import pages_for
from measures.attacks import Publication
from measures.disclosure import CellRef, DisclosurePolicy, Equation, Release, Rollup, recording
from reports.common import forget_kept
from tests.conftest import PROJECT_ROOT, sign_in

#: The policy the reader is told (config/trust.yaml): the attack judges what is published against it.
READER_POLICY = DisclosurePolicy(threshold=5, base=5)
ROLES = {"board": "board", "equality_lead": "equality", "champion": "champion"}
#: Board members see the same whole-trust figures as equality leads, on fewer pages: their landing page
#: is checked as theirs, the rest as the equality lead's.
BOARD_PAGES = {"overview"}
SKIP_PAGES = {"methods", "users"}  # no figures: method notes and login administration
OTHER_CHOICES = 1  # per select box or radio: how many of its other options are tried
MAX_VIEWS = 5  # filter views per page, besides the default
#: Pages that compute only the open tab: every other tab is opened too (from its URL, in its default view).
TABS = {
    "access": ("routes", "timeliness", "engagement", "intersections", "trend", "teams"),
    "pcref": ("outcomes", "experience"),
    "workforce": ("wres", "boroughs", "characteristics", "trend", "champions"),
}

COUNT_WORDS = (
    r"people|persons?|patients?|events|incidents|detentions|staff|referrals|respondents|episodes|"
    r"admissions|restraints|seclusions|contacts|members|men|women|cases|uses|times detained"
)
_COUNT_IN_TEXT = re.compile(rf"(?<![\d.,])(\d[\d,]*)\s+(?:{COUNT_WORDS})\b", re.IGNORECASE)
#: a number that names something rather than counting: "section 136", "band 8a", "1 to 4 people"
_NOT_A_COUNT = re.compile(
    r"(?:\bto|\bfrom|\bunder|\bbelow|\bthan|\bof|\bmin|\bage[sd]?|\bsection|\bs\.?|\bband|\bindicator|\bwres)\s*$",
    re.IGNORECASE,
)
_COUNT_COLUMN = re.compile(
    r"^(?:events?|people|persons|staff|referrals|respondents|incidents|detentions|count|n|"
    r"numerator|[a-z_]*_(?:events|people|staff|referrals|count|respondents))$",
    re.IGNORECASE,
)


@dataclass
class View:
    """What one run of a page sent to the browser."""

    label: str
    releases: list[Release]
    texts: list[str] = field(default_factory=list)
    chart_frames: list[pd.DataFrame] = field(default_factory=list)
    map_properties: list[dict] = field(default_factory=list)
    downloads: list[tuple[str, str]] = field(default_factory=list)


# --------------------------------------------------------------------------- collecting


def _texts(at) -> list[str]:
    texts = []
    for kind in ("markdown", "caption", "info", "warning", "success", "error", "subheader", "header", "text"):
        texts += [str(element.value) for element in getattr(at, kind)]
    # st.html: tiles and maps drawn on the server (an SVG map's labels and tooltips), as words only
    texts += [re.sub(r"<[^>]+>", " ", str(element.value)) for element in at.get("html")]
    for metric in at.metric:
        texts.append(f"{metric.label}: {metric.value} {metric.proto.delta or ''}")
    return texts


def _chart_frames(at) -> list[pd.DataFrame]:
    import pyarrow as pa

    frames = []
    for chart in at.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            if dataset.data.data:
                frames.append(pa.ipc.open_stream(dataset.data.data).read_all().to_pandas())
        if chart.proto.data.data:
            frames.append(pa.ipc.open_stream(chart.proto.data.data).read_all().to_pandas())
    return frames


def _map_properties(at) -> list[dict]:
    properties = []
    for deck in at.get("deck_gl_json_chart"):
        for layer in json.loads(deck.proto.json).get("layers", []):
            data = layer.get("data")
            if isinstance(data, dict):
                properties += [f.get("properties", {}) for f in data.get("features", [])]
            elif isinstance(data, list):
                properties += [row for row in data if isinstance(row, dict)]
    return properties


@pytest.fixture
def captured_downloads(monkeypatch) -> list[tuple[str, str]]:
    """Every file offered for download (name and content), as the browser would receive it."""
    import streamlit as st

    offered: list[tuple[str, str]] = []
    original = st.download_button

    def download_button(label, data, file_name=None, *args, **kwargs):
        content = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
        if str(file_name or "").endswith(".csv"):
            offered.append((str(file_name), content))
        return original(label, data, file_name, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", download_button)
    return offered


def _run(at, downloads: list, label: str) -> View:
    import streamlit as st

    st.cache_data.clear()  # reports are cached: clear so every release of this view is recorded
    forget_kept()  # and so are published groups, once per store load
    downloads.clear()
    with recording() as releases:
        at = at.run()
    assert not at.exception, f"{label}: {at.exception}"
    failures = [e.value for e in at.error if "Something went wrong" in str(e.value)]
    assert not failures, f"{label}: the page failed: {failures[0]}"
    return View(label, list(releases), _texts(at), _chart_frames(at), _map_properties(at), list(downloads))


def _raw_values(widget, candidates: set) -> dict[str, object] | None:
    """Option label -> the value the page gave it. A select box with a ``format_func`` shows labels, not
    values; its values are found among the keys of what the page published (area codes, team ids …)."""
    from streamlit.testing.v1.element_tree import _format_value_for_widget

    labels = list(widget.options)
    raw = {}
    for candidate in [*labels, *candidates]:
        try:
            label = _format_value_for_widget(widget.format_func, candidate)
        except Exception:  # the page's format function refuses this candidate
            continue
        if label in labels and label not in raw:
            raw[label] = candidate
    return raw if len(raw) == len(labels) else None


def _candidates(view: View) -> set:
    values: set = set()
    for release in view.releases:
        for spec in release.specs.values():
            for column in spec.frame.columns:
                column_values = spec.frame[column].dropna().unique()
                if len(column_values) <= 500 and not pd.api.types.is_float_dtype(spec.frame[column]):
                    values |= {v.item() if hasattr(v, "item") else v for v in column_values}
    return values


def _choices(at, candidates: set) -> Iterator[tuple[str, str, object, object, str]]:
    """(widget kind, key or label, another value, the value shown now, its label) for the page's select
    boxes and radios."""
    for kind in ("selectbox", "radio"):
        for widget in getattr(at, kind):
            raw = _raw_values(widget, candidates)
            if raw is None:
                continue
            labels = list(raw)
            try:
                current = widget.index
            except ValueError:
                continue
            others = [i for i in range(len(labels)) if i != current]
            step = max(1, len(others) // OTHER_CHOICES)
            for index in others[::step][:OTHER_CHOICES]:
                yield kind, widget.key or widget.label, raw[labels[index]], widget.value, labels[index]


def _widget(at, kind: str, name: str):
    return next((w for w in getattr(at, kind) if (w.key or w.label) == name), None)


def page_views(at, page_id: str, downloads: list, max_views: int = MAX_VIEWS) -> list[View]:
    """The default view, then one view per sampled choice (each from the default view)."""
    at._page_hash = calc_hash(page_id)
    views = [_run(at, downloads, f"{page_id} default")]
    choices = list(_choices(at, _candidates(views[0])))
    by_widget: dict[str, list] = {}
    for choice in choices:
        by_widget.setdefault(choice[1], []).append(choice)
    round_robin = [c for round_ in zip_longest(*by_widget.values()) for c in round_ if c is not None]
    for kind, name, value, shown, label in round_robin[:max_views]:
        widget = _widget(at, kind, name)
        if widget is None:  # gone with an earlier choice
            continue
        widget.set_value(value)
        views.append(_run(at, downloads, f"{page_id} {name}={label}"))
        widget = _widget(at, kind, name)
        if widget is not None:
            widget.set_value(shown)  # back to the default view with the next run
    return views


# --------------------------------------------------------------------------- attacking


def _renamed(link, prefix: str):
    if isinstance(link, Rollup):
        return Rollup(
            f"{prefix}{link.total}", f"{prefix}{link.parts}", on=dict(link.on),
            columns=dict(link.columns) if link.columns else None, complete=link.complete,
            total_where={k: list(v) for k, v in link.total_where} or None,
            parts_where={k: list(v) for k, v in link.parts_where} or None,
        )  # fmt: skip
    return Equation(
        tuple((c, CellRef(f"{prefix}{ref.table}", dict(ref.row), ref.column)) for c, ref in link.terms),
        link.constant,
        link.label,
    )


def _truth(release: Release, name: str) -> pd.DataFrame:
    published = release.published[name]
    spec = release.specs[name]
    truth = spec.frame[list(published.count_columns)].reset_index(drop=True)
    return truth


def _add_release(publication: Publication, prefix: str, release: Release) -> None:
    for name, published in release.published.items():
        spec = release.specs[name]
        publication.add_table(
            f"{prefix}{name}", published.export_frame().reset_index(drop=True), keys=tuple(spec.keys),
            counts=published.count_columns, public=published.public_columns, figures=published.figures,
            truth=_truth(release, name), totals=spec.totals, policy=READER_POLICY,
        )  # fmt: skip
    publication.link(*(_renamed(link, prefix) for link in release.links))


def _signature(release: Release, name: str) -> tuple:
    spec = release.specs[name]
    return (release.origin, name, tuple(spec.keys), tuple(release.published[name].count_columns))


def _cross_view_links(publication: Publication, views: list[View]) -> None:
    """A filtered view against the default one: when the filtered tables' true counts add up to the
    default table's, the reader may assume they do (a complete roll-up); when each is at most the default
    (a borough out of the trust, a team out of its service line), a partial one."""
    default, others = views[0], views[1:]
    first = {}
    for i, release in enumerate(default.releases):
        for name in release.published:
            first.setdefault(_signature(release, name), (f"v0r{i}:{name}", release, name))
    for v, view in enumerate(others, start=1):
        for i, release in enumerate(view.releases):
            for name in release.published:
                match = first.get(_signature(release, name))
                spec = release.specs[name]
                if match is None or not spec.keys:
                    continue
                total_name, total_release, total_table = match
                keys = list(spec.keys)
                part = release.specs[name].frame
                whole = total_release.specs[total_table].frame
                counts = list(release.published[name].count_columns)
                joined = part[keys + counts].merge(
                    whole[keys + counts], on=keys, how="left", suffixes=("", "_all")
                )
                if joined.empty or joined[[f"{c}_all" for c in counts]].isna().any().any():
                    continue
                if all((joined[c] <= joined[f"{c}_all"]).all() for c in counts):
                    publication.link(Rollup(total_name, f"v{v}r{i}:{name}", on=keys, complete=False))


def attack_views(views: list[View]) -> list[str]:
    """Every disclosure found across the views of one page, as readable lines."""
    problems: list[str] = []
    publication = Publication(READER_POLICY)
    for v, view in enumerate(views):
        for i, release in enumerate(view.releases):
            legacy = [
                f"{release.origin}: {name}.{column}"
                for name, table in release.published.items()
                for column, basis in table.basis.items()
                if basis == "true"
            ]
            problems += [
                f"{view.label}: figure computed from true counts (legacy derived=): {x}" for x in legacy
            ]
            _add_release(publication, f"v{v}r{i}:", release)
    _cross_view_links(publication, views)
    report = publication.attack()
    problems += [f"{views[0].label.split()[0]}: {finding.describe()}" for finding in report.disclosures]
    problems += [f"contradiction: {c}" for c in report.contradictions]
    return problems


# --------------------------------------------------------------------------- what the browser sees


def _bad_count(value: float) -> bool:
    return value != 0 and (value < READER_POLICY.threshold or value % READER_POLICY.base != 0)


def screen_problems(view: View) -> list[str]:
    problems = []
    for text in view.texts:
        for match in _COUNT_IN_TEXT.finditer(text):
            if _NOT_A_COUNT.search(text[: match.start()]):
                continue
            value = float(match.group(1).replace(",", ""))
            if _bad_count(value):
                problems.append(
                    f"{view.label}: text shows the count {match.group(0)!r}: …{text[max(0, match.start() - 60) : match.end() + 20]}…"
                )
    frames = [("chart data", f) for f in view.chart_frames] + [
        ("map properties", pd.DataFrame(view.map_properties))
    ]
    for name, content in view.downloads:
        if not content.startswith("# Measure:"):
            problems.append(f"{view.label}: CSV {name} has no header block saying what it holds")
        frames.append((f"CSV {name}", pd.read_csv(io.StringIO(content), comment="#", dtype=str)))
    for where, frame in frames:
        for column in frame.columns:
            if not _COUNT_COLUMN.match(str(column).strip().replace(" ", "_")):
                continue
            values = pd.to_numeric(frame[column].astype(str).str.replace(",", ""), errors="coerce").dropna()
            bad = values[values.map(_bad_count)]
            if len(bad):
                problems.append(
                    f"{view.label}: {where} column {column!r} shows unrounded or small counts {sorted(set(bad))[:5]}"
                )
    return problems


# --------------------------------------------------------------------------- the tests


def _page_ids(role: str) -> list[str]:
    return [page.page_id for page in pages_for(role) if page.page_id not in SKIP_PAGES]


CASES = [(role, page) for role in ROLES for page in _page_ids(role) if role != "board" or page in BOARD_PAGES]


def _check_page(app_test, captured_downloads, role: str, page_id: str, *, sample: bool = True) -> list[str]:
    """Every problem on one page for one role: its default view, and with ``sample`` its filter choices and
    other tabs."""
    at = sign_in(app_test(timeout=180), ROLES[role])
    views = page_views(at, page_id, captured_downloads, MAX_VIEWS if sample else 0)
    for tab in TABS.get(page_id, ()) if sample else ():
        at = app_test(timeout=180)
        at.query_params["tab"] = tab
        at = sign_in(at, ROLES[role])
        at._page_hash = calc_hash(page_id)
        views.append(_run(at, captured_downloads, f"{page_id} tab={tab}"))
    problems = attack_views(views)
    for view in views:
        problems += screen_problems(view)
    return problems


@pytest.mark.parametrize(("role", "page_id"), CASES, ids=[f"{r}-{p}" for r, p in CASES])
def test_nothing_small_or_unrounded_can_be_worked_out(app_test, captured_downloads, role, page_id):
    problems = _check_page(app_test, captured_downloads, role, page_id)
    assert not problems, f"{len(problems)} disclosure(s):\n" + "\n".join(problems[:25])


@pytest.fixture
def suppression_off(tmp_path, monkeypatch):
    """The trust's configuration with disclosure control turned off (threshold 1, rounding base 1)."""
    text = (PROJECT_ROOT / "config" / "trust.yaml").read_text(encoding="utf-8")
    text = re.sub(r"suppression_threshold:\s*\d+", "suppression_threshold: 1", text)
    text = re.sub(r"rounding_base:\s*\d+", "rounding_base: 1", text)
    path = Path(tmp_path) / "trust.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("EQUALITY_TRUST_CONFIG", str(path))
    return path


@pytest.mark.parametrize("page_id", ["pcref", "access"])
def test_the_check_fails_when_suppression_is_off(app_test, captured_downloads, suppression_off, page_id):
    problems = _check_page(app_test, captured_downloads, "equality_lead", page_id, sample=False)
    assert any("shown" in p or "shows" in p or "recovered" in p for p in problems), problems[:5]


def test_the_counts_the_reader_is_told_are_the_configured_ones(monkeypatch):
    from reports.settings import policy

    monkeypatch.delenv("EQUALITY_TRUST_CONFIG", raising=False)
    assert policy() == READER_POLICY
