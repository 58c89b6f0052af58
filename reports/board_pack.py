"""The board pack: a PDF built on the server (fpdf2), not a screenshot, from the same headline objects as
the overview, so every sentence on the screen is printed here word for word.

Pages: cover; executive summary (the summary sentences and every headline's verdicts); each headline in
full (its sentences, and an SPC chart of the monthly ratio with dates, mean and process limits); a page
per domain (detentions, community treatment orders, section 136, restrictive interventions, patient
experience, access, workforce) with the published tables by group; how to read the figures. Text is real
text (selectable and searchable), at least 10 pt; dates are UK long form; every page is numbered.
Nothing in it names files, queries or internal notes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
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
from measures.disclosure import DisclosurePolicy, PublishedTable
from measures.narrative import long_date
from measures.spc import COLOURS
from queries.scope import Scope
from reports import areas as areas_report
from reports.headlines import Headline, executive_summary_for
from reports.settings import policy_for, reference_group

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
FONT_FILES = {"DejaVuSans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
              "LiberationSans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf")}  # fmt: skip
NHS_BLUE = (0, 94, 184)
DARK = (33, 43, 50)
GREY = (66, 85, 99)  # NHS dark grey: 7.6:1 on white
BODY = 10  # points: nothing in the pack is smaller
POINT_LABELS = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause: improvement (towards parity)",
    "special_cause_concern": "Special cause: concern (away from parity)",
    "special_cause_neutral_high": "Special cause: high",
    "special_cause_neutral_low": "Special cause: low",
}
#: Domain pages: heading and the headline whose table by group they print.
DOMAINS = (
    ("Mental Health Act detentions", "mha_detentions_crude_rate"),
    ("Community treatment orders", "cto_crude_rate"),
    ("Section 136", "s136_crude_rate"),
    ("Restrictive interventions", "restrictive_interventions_rate"),
    ("Patient experience", "feedback_positive_pct"),
    ("Talking Therapies outcomes", "talking_therapies_recovery_pct"),
)


class _Pack(FPDF):
    """A4 portrait with the trust's name in the footer and page numbers."""

    def __init__(self, trust_name: str, synthetic: bool):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.trust_name = trust_name
        self.synthetic = synthetic
        self.font_name = self._register_font()
        self.set_auto_page_break(auto=True, margin=22)
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
        self.set_y(-16)
        self.set_font(self.font_name, "", BODY)
        self.set_text_color(*GREY)
        label = "Equality board pack" + (" · SYNTHETIC DATA" if self.synthetic else "")
        self.cell(0, 5, self._text(self.trust_name), align="L", new_x="LMARGIN", new_y="NEXT")
        self.cell(120, 5, self._text(label), align="L")
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    def heading(self, text: str, size: int = 16) -> None:
        self.set_font(self.font_name, "B", size)
        self.set_text_color(*NHS_BLUE)
        self.multi_cell(0, size * 0.5, self._text(text))
        self.ln(2)
        self.set_text_color(*DARK)

    def para(self, text: str, size: int = BODY, bold: bool = False) -> None:
        self.set_font(self.font_name, "B" if bold else "", max(size, BODY))
        self.set_text_color(*DARK)
        self.multi_cell(0, max(size, BODY) * 0.5, self._text(text))
        self.ln(1.5)

    def bullets(self, sentences: list[str] | tuple[str, ...]) -> None:
        self.set_font(self.font_name, "", BODY)
        self.set_text_color(*DARK)
        for sentence in sentences:
            self.set_x(self.l_margin)
            self.cell(5, BODY * 0.5, "•")
            self.multi_cell(0, BODY * 0.5, self._text(sentence))
            self.ln(1)
        self.ln(1)

    def chart(self, chart: alt.TopLevelMixin, width: float = 178) -> None:
        png = vl_convert.vegalite_to_png(chart.to_json(), scale=2)
        self.image(io.BytesIO(png), w=width)
        self.ln(2)

    def table(self, frame: pd.DataFrame, widths: list[float]) -> None:
        self.set_font(self.font_name, "B", BODY)
        with super().table(col_widths=widths, text_align="LEFT", line_height=5) as grid:
            header = grid.row()
            for column in frame.columns:
                header.cell(self._text(str(column)))
            self.set_font(self.font_name, "", BODY)
            for _, values in frame.iterrows():
                row = grid.row()
                for value in values:
                    row.cell(self._text(str(value)))
        self.ln(3)


def _with_ci(shown: pd.DataFrame, value: str, lower: str, upper: str) -> pd.Series:
    """'262.4 (231.0 to 296.9)' from a display frame; '*' where suppressed, '' where there is none."""
    text = shown[value] + " (" + shown[lower] + " to " + shown[upper] + ")"
    text = text.where(shown[value] != "*", "*")
    return text.where(shown[value] != "", "")


def group_table(table: PublishedTable, *, counts: str, denominator: str, denominator_label: str, value_label: str,
                reference: str) -> pd.DataFrame:  # fmt: skip
    """A published table by group as the pack prints it: counts, denominator, figure and ratio with CIs."""
    shown = table.display_frame()
    count_column = "events" if "events" in shown else "numerator"
    out = pd.DataFrame({"Group": shown["group"], counts: shown[count_column],
                        denominator_label: shown[denominator],
                        f"{value_label} (95% CI)": _with_ci(shown, "value", "lower", "upper"),
                        f"Ratio to {reference} (95% CI)": _with_ci(shown, "ratio_value", "ratio_lower", "ratio_upper")})  # fmt: skip
    out.loc[table.frame["group"].to_numpy() == reference, f"Ratio to {reference} (95% CI)"] = "1 (reference)"
    return out


def ratio_spc_chart(headline: Headline, reference: str) -> alt.LayerChart | None:
    """The XmR chart of a headline's monthly ratio: points by type (in the legend, in words), the mean,
    the process limits (dashed), parity (1), and months on the axis."""
    if headline.spc is None or headline.trend is None or headline.spc.last_index is None:
        return None
    data = headline.spc.to_frame()
    data["x"] = pd.to_datetime(data["x"])
    data["type"] = data["point_type"].map(POINT_LABELS)
    base = alt.Chart(data).encode(x=alt.X("x:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=-30)))
    lines = [base.mark_line(color="#425563").encode(y=alt.Y("mean:Q", title=f"Ratio to {reference}")),
             base.mark_line(color="#425563", strokeDash=[5, 4]).encode(y="upper:Q"),
             base.mark_line(color="#425563", strokeDash=[5, 4]).encode(y="lower:Q"),
             base.mark_line(color="#a6a6a6").encode(y="value:Q"),
             base.mark_circle(size=60, opacity=1).encode(
                 y="value:Q", color=alt.Color("type:N", title="Month", scale=alt.Scale(
                     domain=list(POINT_LABELS.values()), range=[COLOURS[t] for t in POINT_LABELS]),
                     legend=alt.Legend(orient="bottom", columns=1, labelFontSize=11, titleFontSize=11, labelLimit=0)))]  # fmt: skip
    title = f"{headline.title}: monthly ratio, Black to {reference}, {headline.year}"
    return alt.layer(*lines).properties(
        width=460, height=150, title=alt.TitleParams(title, fontSize=12, subtitle=(
            "Solid line: mean. Dashed lines: upper and lower process limits (Making Data Count)."), subtitleFontSize=11),
    ).configure_axis(labelFontSize=11, titleFontSize=11)  # fmt: skip


def _summary_page(pdf: _Pack, headlines: Sequence[Headline], year: str, reference: str) -> None:
    pdf.add_page()
    pdf.heading(f"Executive summary, {year}")
    pdf.bullets(executive_summary_for(headlines))
    pdf.para(
        f"Service measures compare Black people with {reference} people, the trust's one reference group; WRES "
        "indicator 2 compares White with BME applicants, and the senior workforce measure compares the BME share "
        "of bands 8a and above with the BME share of the community. A ratio of 1 is parity; moving towards 1 is "
        "an improvement."
    )
    rows = pd.DataFrame({
        "Measure": [h.title for h in headlines],
        "Ratio (95% CI)": [h.ratio_text for h in headlines],
        "Trend in the year": [h.trend_verdict.label or "Yearly measure" for h in headlines],
        "On last year": [h.change_verdict.label for h in headlines],
        "Target": [h.target_verdict.label for h in headlines],
        "England": [h.england_verdict.label.removeprefix("England: ") for h in headlines],
    })  # fmt: skip
    pdf.table(rows, [44, 30, 30, 28, 22, 24])


def _headline_pages(pdf: _Pack, headlines: Sequence[Headline], year: str, reference: str) -> None:
    pdf.add_page()
    pdf.heading(f"Headline measures in full, {year}")
    for headline in headlines:
        if pdf.get_y() > 200:
            pdf.add_page()
        pdf.para(headline.title, size=12, bold=True)
        pdf.para(f"{headline.compares}. {headline.counts}")
        pdf.para(f"{headline.subject}: {headline.group_value}. {headline.reference}: {headline.reference_value}. "
                 f"Ratio: {headline.ratio_text}.")  # fmt: skip
        pdf.bullets(headline.sentences)
        chart = ratio_spc_chart(headline, reference)
        if chart is not None:
            pdf.chart(chart, width=165)
        pdf.ln(2)


def _domain_pages(pdf: _Pack, headlines: Sequence[Headline], year: str, reference: str) -> None:
    by_id = {h.measure_id: h for h in headlines}
    for heading, measure_id in DOMAINS:
        headline = by_id.get(measure_id)
        pdf.add_page()
        pdf.heading(f"{heading}, {year}")
        if headline is None or headline.groups is None:
            pdf.para(
                f"This measure is not among the trust's headline measures for {year}, or has no figures."
            )
            continue
        pdf.bullets([headline.sentence])
        if measure_id.endswith("_rate"):
            frame = group_table(headline.groups, counts="Events", denominator="population",
                                denominator_label="Residents", value_label="Per 100,000", reference=reference)  # fmt: skip
            pdf.para(
                f"{headline.counts} Rates per 100,000 residents of the trust's boroughs by broad ethnic group."
            )
        else:
            frame = group_table(headline.groups, counts="Positive" if "feedback" in measure_id else "Recovered",
                                denominator="denominator", denominator_label="Of", value_label="%",
                                reference=reference)  # fmt: skip
            pdf.para(headline.counts)
        pdf.table(frame, [26, 20, 26, 54, 52])
        chart = ratio_spc_chart(headline, reference)
        if chart is not None:
            pdf.chart(chart, width=165)


def _access_page(pdf: _Pack, engine: Engine, scope: Scope, year: str, config: TrustConfig,
                 headlines: Sequence[Headline], reference: str) -> None:  # fmt: skip
    table = areas_report.area_table(engine, scope, "referrals_rate", year).table
    pdf.add_page()
    pdf.heading(f"Access, {year}")
    police = next((h for h in headlines if h.measure_id == "referral_route_police_pct"), None)
    if police is not None:
        pdf.para("Routes in: referrals from the police or criminal justice system", bold=True)
        pdf.bullets([police.sentence])
        if police.groups is not None:
            pdf.table(group_table(police.groups, counts="Police or CJS", denominator="denominator",
                                  denominator_label="Referrals", value_label="%", reference=reference),
                      [26, 24, 24, 50, 54])  # fmt: skip
    pdf.para("Referrals per 100,000 residents by borough (everyone)", bold=True)
    shown = table.display_frame()
    pdf.table(pd.DataFrame({"Borough": shown["area"], "Referrals": shown["events"], "Residents": shown["population"],
                            "Per 100,000 (95% CI)": _with_ci(shown, "value", "lower", "upper")}), [40, 30, 36, 70])  # fmt: skip
    shapes = load_boundaries(config.boroughs, boundary_file=config.boundary_file).lad
    values = table.frame[["area_code", "value"]].rename(columns={"area_code": "code"})
    values["value"] = values["value"].where(~table.mask["value"].to_numpy())
    collection = geojson_for(shapes[["code", "name", "geometry"]], values, key="code")
    chart = alt.Chart(alt.Data(values=collection["features"])).mark_geoshape(stroke="#425563").encode(
        color=alt.Color("properties.value:Q", title="Referrals per 100,000 residents", scale=alt.Scale(scheme="blues"),
                        legend=alt.Legend(orient="bottom", labelFontSize=11, titleFontSize=11)),
    ).project(type="mercator").properties(width=380, height=300)  # fmt: skip
    labels = alt.Chart(alt.Data(values=collection["features"])).mark_text(fontSize=12, color="#212b32").encode(
        longitude="centroid_lon:Q", latitude="centroid_lat:Q", text="properties.name:N"
    ).transform_calculate(centroid_lon="geoCentroid(null, datum)[0]", centroid_lat="geoCentroid(null, datum)[1]")  # fmt: skip
    pdf.chart(alt.layer(chart, labels).project(type="mercator"), width=110)
    pdf.para(OGL_ATTRIBUTION)


def _workforce_page(pdf: _Pack, headlines: Sequence[Headline], year: str) -> None:
    pdf.add_page()
    pdf.heading(f"Workforce, year to 31 March {int(year[:4]) + 1}")
    for headline in headlines:
        if headline.measure_id in ("wres_2_shortlisting_relative_likelihood", "workforce_bme_share_8a_plus"):
            pdf.para(headline.title, bold=True)
            pdf.para(f"{headline.compares}. {headline.counts}")
            pdf.bullets([headline.sentence, headline.target_verdict.sentence])
    wres = next(
        (h.groups for h in headlines if h.measure_id == "wres_2_shortlisting_relative_likelihood"), None
    )
    if wres is None:
        return
    names = {2: "2: appointed from shortlisting (White vs BME)", 3: "3: formal disciplinary (BME vs White)",
             4: "4: non-mandatory training (White vs BME)"}  # fmt: skip
    shown = wres.display_frame(decimals={"value": 2, "lower": 2, "upper": 2, "white_pct": 1, "bme_pct": 1})
    pdf.para("WRES indicators 2 to 4: relative likelihoods as WRES defines them, with 95% confidence intervals "
             "(our addition to WRES). Above 1 means the first group named is more likely.")  # fmt: skip
    pdf.table(pd.DataFrame({
        "Indicator": [names.get(int(i), str(i)) for i in wres.frame["indicator"]],
        "White": shown["white_events"] + " of " + shown["white_total"],
        "BME": shown["bme_events"] + " of " + shown["bme_total"],
        "Relative likelihood (95% CI)": _with_ci(shown, "value", "lower", "upper"),
    }), [62, 32, 32, 52])  # fmt: skip


def _methods_page(pdf: _Pack, policy: DisclosurePolicy, reference: str) -> None:
    pdf.add_page()
    pdf.heading("How to read the figures")
    pdf.bullets([
        f"Ratios compare Black people with {reference} people (the trust's one reference group) for service "
        "measures, and as WRES defines them for the workforce. A ratio is called a difference only when its 95% "
        "confidence interval excludes 1.",
        "Rates are crude rates per 100,000 residents (Census 2021) with Byar's intervals (exact below 10 events); "
        "percentages have Wilson score intervals; ratios have log-method intervals.",
        "Detentions, community treatment orders, section 136 and restrictive interventions count events, not "
        "people: one person can be counted more than once.",
        "Trend: an XmR chart of the monthly ratio in the selected year (NHS England's Making Data Count). A "
        "change is claimed only when a rule is met; moving towards parity (1) is an improvement. With 12 monthly "
        "points the limits are provisional.",
        "On last year: the ratio of this year's ratio to last year's, with its 95% confidence interval; a change "
        "is beyond chance only when that interval excludes 1.",
        "England: the national figure for the same measure and year, as published by NHS England (Mental Health "
        "Act Statistics, Annual Figures) or GOV.UK Ethnicity facts and figures, under the Open Government Licence "
        "v3.0. Where none is held the pack says so.",
        "Small numbers: " + policy.describe() + " Every rate, percentage and ratio is worked out from the "
        "published (rounded) counts.",
    ])  # fmt: skip


def build_board_pack(
    engine: Engine,
    scope: Scope,
    *,
    financial_year: str,
    config: TrustConfig,
    facts: dict[str, str],
    headlines: Sequence[Headline],
) -> bytes:
    """The board pack as PDF bytes, from the same headlines (and rules) the overview shows."""
    policy = policy_for(config)
    reference = reference_group(config.reference_group)
    synthetic = str(facts.get("synthetic", "")).lower() == "true"
    trust_name = facts.get("trust_name", config.name)
    pdf = _Pack(trust_name, synthetic)
    pdf.set_title(f"Equality board pack {financial_year}")
    pdf.set_author(trust_name)

    pdf.add_page()
    pdf.ln(40)
    pdf.heading(trust_name, size=22)
    pdf.heading(f"Equality board pack, {financial_year}", size=18)
    if facts.get("data_start") and facts.get("data_end"):
        pdf.para(f"Data from {long_date(facts['data_start'])} to {long_date(facts['data_end'])}.", 12)
    pdf.para(f"Produced on {long_date(datetime.now(UTC).date())}.", 12)
    if synthetic:
        pdf.ln(6)
        pdf.para("SYNTHETIC DATA: every figure in this pack comes from a generated demonstration trust, not real "
                 "patients, staff or census counts.", 12, bold=True)  # fmt: skip

    _summary_page(pdf, headlines, financial_year, reference)
    _headline_pages(pdf, headlines, financial_year, reference)
    _domain_pages(pdf, headlines, financial_year, reference)
    _access_page(pdf, engine, scope, financial_year, config, headlines, reference)
    _workforce_page(pdf, headlines, financial_year)
    _methods_page(pdf, policy, reference)
    return bytes(pdf.output())
