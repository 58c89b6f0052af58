"""The board pack: a PDF built on the server (fpdf2), not a screenshot, from the same published figures
as the screen: cover, headlines with their sentences, one page per domain with charts and a map
(Altair rendered offline by vl-convert), and a methods and caveats appendix from the measure catalogue.
Text is real text (selectable and searchable); every page is numbered.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert
from fpdf import FPDF
from sqlalchemy import Engine

from data.boundaries import geojson_for, load_boundaries
from data.config import TrustConfig
from data.geography import OGL_ATTRIBUTION
from measures.catalogue import load_catalogue
from measures.disclosure import DisclosurePolicy, PublishedTable
from measures.ethnicity import BLACK, KNOWN_BROAD_GROUPS
from queries.scope import Scope
from reports import areas as areas_report
from reports import pcref as pcref_report
from reports import workforce as workforce_report
from reports.common import RATIO_DECIMALS, financial_year_period
from reports.headlines import Headline
from reports.settings import policy_for, reference_group

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
FONT_FILES = {"DejaVuSans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
              "LiberationSans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf")}  # fmt: skip
NHS_BLUE = (0, 94, 184)
DARK = (33, 43, 50)
GREY = (66, 85, 99)


class _Pack(FPDF):
    """A4 portrait with the trust's name in the footer and page numbers."""

    def __init__(self, trust_name: str, synthetic: bool):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.trust_name = trust_name
        self.synthetic = synthetic
        self.font_name = self._register_font()
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(16, 16, 16)

    def _register_font(self) -> str:
        for folder in FONT_DIRS:
            for name, (regular, bold) in FONT_FILES.items():
                if (folder / regular).exists() and (folder / bold).exists():
                    self.add_font(name, "", str(folder / regular))
                    self.add_font(name, "B", str(folder / bold))
                    return name
        return "Helvetica"  # core font: text is reduced to Latin-1 by _text

    def _text(self, value: str) -> str:
        if self.font_name != "Helvetica":
            return value
        replacements = {"–": "-", "—": "-", "×": "x", "’": "'", "“": '"', "”": '"', "…": "...", "©": "(c)"}
        for old, new in replacements.items():
            value = value.replace(old, new)
        return value.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.font_name, "", 8)
        self.set_text_color(*GREY)
        label = f"{self.trust_name} · Equality board pack"
        if self.synthetic:
            label += " · SYNTHETIC DATA"
        self.cell(0, 5, self._text(label), align="L")
        self.set_x(-40)
        self.cell(24, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    def heading(self, text: str, size: int = 16) -> None:
        self.set_font(self.font_name, "B", size)
        self.set_text_color(*NHS_BLUE)
        self.multi_cell(0, size * 0.5, self._text(text))
        self.ln(2)
        self.set_text_color(*DARK)

    def para(self, text: str, size: int = 10, bold: bool = False) -> None:
        self.set_font(self.font_name, "B" if bold else "", size)
        self.set_text_color(*DARK)
        self.multi_cell(0, size * 0.5, self._text(text))
        self.ln(1.5)

    def chart(self, chart: alt.TopLevelMixin, width: float = 178) -> None:
        png = vl_convert.vegalite_to_png(chart.to_json(), scale=2)
        self.image(io.BytesIO(png), w=width)
        self.ln(2)

    def table(self, frame: pd.DataFrame, widths: list[float]) -> None:
        self.set_font(self.font_name, "B", 8)
        with super().table(col_widths=widths, text_align="LEFT", line_height=4.5) as grid:
            header = grid.row()
            for column in frame.columns:
                header.cell(self._text(str(column)))
            self.set_font(self.font_name, "", 8)
            for _, values in frame.iterrows():
                row = grid.row()
                for value in values:
                    row.cell(self._text(str(value)))
        self.ln(3)


def _published_columns(
    table: PublishedTable, labels: dict[str, str], decimals: dict[str, int] | None = None
) -> pd.DataFrame:
    shown = table.select(list(labels)).display_frame(decimals=decimals or 1)
    return shown.rename(columns=labels)


def _headline_pages(pdf: _Pack, headlines: list[Headline], year: str, reference: str) -> None:
    pdf.add_page()
    pdf.heading(f"Headline measures, {year}")
    pdf.para(
        f"Each ratio of a service measure compares Black people with {reference} people (the reference group); "
        "workforce measures compare as WRES defines them. A ratio is called a difference only when "
        "its 95% confidence interval excludes 1; a trend is called a change only when a Making Data Count "
        "rule is met."
    )
    for headline in headlines:
        pdf.para(headline.title, size=11, bold=True)
        pdf.para(f"{headline.subject}: {headline.group_value}. {headline.reference}: {headline.reference_value}. "
                 f"Ratio: {headline.ratio_text}.", size=9)  # fmt: skip
        pdf.para(headline.sentence, size=10)
        pdf.para(headline.spc_sentence, size=9)
        pdf.ln(1)


def _pcref_page(
    pdf: _Pack, engine: Engine, scope: Scope, year: str, policy: DisclosurePolicy, reference: str
) -> None:
    start, end = financial_year_period(engine, scope, year)
    table = pcref_report.coercion(
        engine, scope, "detentions", start, end, rules=policy, reference=reference
    ).broad
    pdf.add_page()
    pdf.heading(f"PCREF: Mental Health Act detentions by ethnic group, {year}")
    pdf.para(
        f"Crude rates per 100,000 residents with 95% confidence intervals, and rate ratios compared with {reference}."
    )
    pdf.table(
        _published_columns(table, {"group": "Ethnic group", "events": "Detentions", "population": "Residents",
                                   "value": "Per 100,000", "lower": "Lower CI", "upper": "Upper CI",
                                   "ratio_value": f"Ratio to {reference}", "ratio_lower": "Lower CI ",
                                   "ratio_upper": "Upper CI "}, RATIO_DECIMALS),
        [30, 20, 22, 20, 18, 18, 20, 16, 16],
    )  # fmt: skip
    shown = table.frame[~table.mask["ratio_value"].to_numpy() & table.frame["ratio_value"].notna()]
    if not shown.empty:
        base = alt.Chart(shown[["group", "ratio_value", "ratio_lower", "ratio_upper"]]).encode(
            y=alt.Y("group:N", title=None, sort=list(KNOWN_BROAD_GROUPS))
        )
        forest = alt.layer(
            base.mark_rule(color="#425563").encode(
                x=alt.X("ratio_lower:Q", scale=alt.Scale(type="log"), title=f"Rate ratio to {reference} (log scale)"),
                x2="ratio_upper:Q",
            ),
            base.mark_point(filled=True, size=70, color="#005EB8").encode(x="ratio_value:Q"),
            alt.Chart(pd.DataFrame({"one": [1.0]})).mark_rule(color="#de1b1b", strokeDash=[4, 4]).encode(x="one:Q"),
        ).properties(width=480, height=150, title=f"Detention rate ratios to {reference} (95% CI)")  # fmt: skip
        pdf.chart(forest, width=150)

    published = pcref_report.monthly(
        engine, scope, "detentions", BLACK, rules=policy, reference=reference
    ).series
    series = published.frame.assign(rate=published.frame["rate"].where(~published.mask["rate"].to_numpy()))
    series["month_start"] = pd.to_datetime(series["month_start"])
    line = alt.Chart(series[["month_start", "rate"]]).mark_line(point=True, color="#005EB8").encode(
        x=alt.X("month_start:T", title=None), y=alt.Y("rate:Q", title="Per 100,000")
    ).properties(width=480, height=150, title="Detentions of Black people per 100,000 residents, per month")  # fmt: skip
    pdf.chart(line, width=150)


def _access_page(pdf: _Pack, engine: Engine, scope: Scope, year: str, config: TrustConfig) -> None:
    table = areas_report.area_table(engine, scope, "referrals_rate", year).table
    pdf.add_page()
    pdf.heading(f"Access: referrals per 100,000 residents by borough, {year}")
    pdf.table(
        _published_columns(table, {"area": "Borough", "events": "Referrals", "population": "Residents",
                                   "value": "Per 100,000", "lower": "Lower CI", "upper": "Upper CI"}),
        [40, 25, 30, 25, 25, 25],
    )  # fmt: skip
    shapes = load_boundaries(config.boroughs, boundary_file=config.boundary_file).lad
    values = table.frame[["area_code", "value"]].rename(columns={"area_code": "code"})
    values["value"] = values["value"].where(~table.mask["value"].to_numpy())
    collection = geojson_for(shapes[["code", "name", "geometry"]], values, key="code")
    chart = alt.Chart(alt.Data(values=collection["features"])).mark_geoshape(stroke="#425563").encode(
        color=alt.Color("properties.value:Q", title="Per 100,000", scale=alt.Scale(scheme="blues")),
    ).project(type="mercator").properties(width=420, height=360, title="Referrals per 100,000 residents")  # fmt: skip
    labels = alt.Chart(alt.Data(values=collection["features"])).mark_text(fontSize=10, color="#212b32").encode(
        longitude="centroid_lon:Q", latitude="centroid_lat:Q", text="properties.name:N"
    ).transform_calculate(centroid_lon="geoCentroid(null, datum)[0]", centroid_lat="geoCentroid(null, datum)[1]")  # fmt: skip
    pdf.chart(alt.layer(chart, labels).project(type="mercator"), width=130)
    pdf.para(OGL_ATTRIBUTION, size=7)


def _workforce_page(pdf: _Pack, engine: Engine, scope: Scope, year: str, policy: DisclosurePolicy) -> None:
    table = workforce_report.likelihoods(engine, scope, year, rules=policy).table
    names = {2: "2: appointed from shortlisting (White vs BME)", 3: "3: formal disciplinary (BME vs White)",
             4: "4: non-mandatory training (White vs BME)"}  # fmt: skip
    shown = table.display_frame(decimals={"value": 2, "lower": 2, "upper": 2, "white_pct": 1, "bme_pct": 1})
    shown.insert(0, "Indicator", [names.get(int(i), str(i)) for i in table.frame["indicator"]])
    pdf.add_page()
    pdf.heading(f"Workforce: WRES indicators 2 to 4, year to 31 March {int(year[:4]) + 1}")
    pdf.para(
        "Relative likelihoods as WRES defines them, with log-method 95% confidence intervals (our addition to "
        "WRES). Above 1 means the first group named is more likely."
    )
    pdf.table(
        shown[["Indicator", "white_events", "white_total", "white_pct", "bme_events", "bme_total", "bme_pct", "value",
               "lower", "upper"]].rename(columns={"white_events": "White", "white_total": "of", "white_pct": "%",
               "bme_events": "BME", "bme_total": "of ", "bme_pct": "% ", "value": "Ratio", "lower": "Lower CI",
               "upper": "Upper CI"}),
        [50, 14, 14, 12, 14, 14, 12, 14, 14, 14],
    )  # fmt: skip


def _methods_appendix(pdf: _Pack, measure_ids: list[str], policy: DisclosurePolicy) -> None:
    catalogue = load_catalogue()
    pdf.add_page()
    pdf.heading("Methods and caveats")
    pdf.para(
        "Rates: Byar's method (exact below 10 events) for 95% confidence intervals; percentages: Wilson score "
        "intervals; ratios: log-method intervals; trends: NHS Making Data Count XmR charts. Small numbers: "
        + policy.describe()
    )
    for measure_id in measure_ids:
        if measure_id not in catalogue:
            continue
        measure = catalogue[measure_id]
        pdf.para(f"{measure.title} ({measure.status_label})", size=10, bold=True)
        pdf.para(measure.definition, size=9)
        pdf.para(f"Numerator: {measure.numerator} Denominator: {measure.denominator}", size=8)
        for caveat in measure.caveats:
            pdf.para(f"- {caveat}", size=8)
        pdf.para(f"Source: {measure.source}", size=7)


def build_board_pack(
    engine: Engine,
    scope: Scope,
    *,
    financial_year: str,
    config: TrustConfig,
    facts: dict[str, str],
    headlines: list[Headline],
) -> bytes:
    """The board pack as PDF bytes, from the same headlines (and rules) the overview shows."""
    policy = policy_for(config)
    reference = reference_group(config.reference_group)
    synthetic = str(facts.get("synthetic", "")).lower() == "true"
    pdf = _Pack(facts.get("trust_name", config.name), synthetic)
    pdf.set_title(f"Equality board pack {financial_year}")
    pdf.set_author(facts.get("trust_name", config.name))

    pdf.add_page()
    pdf.ln(40)
    pdf.heading(facts.get("trust_name", config.name), size=22)
    pdf.heading("Equality board pack", size=18)
    pdf.para(
        f"Financial year {financial_year}. Data from {facts.get('data_start')} to {facts.get('data_end')}.",
        12,
    )
    pdf.para(f"Produced {datetime.now(UTC):%d %B %Y} by the equality dashboard.", 10)
    if synthetic:
        pdf.ln(6)
        pdf.para("SYNTHETIC DATA: every figure in this pack comes from a generated demonstration trust, not real "
                 "patients, staff or census counts.", 12, bold=True)  # fmt: skip

    _headline_pages(pdf, headlines, financial_year, reference)
    _pcref_page(pdf, engine, scope, financial_year, policy, reference)
    _access_page(pdf, engine, scope, financial_year, config)
    _workforce_page(pdf, engine, scope, financial_year, policy)
    _methods_appendix(pdf, [h.measure_id for h in headlines] + ["referrals_rate"], policy)
    return bytes(pdf.output())
