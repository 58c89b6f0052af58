"""Data quality: how completely ethnicity and the other protected characteristics are recorded, by team,
service line and borough, ranked worst first with a funnel plot against the trust, month by month (SPC),
and team comparisons of the main access and coercion measures. Figures come from
``reports.data_quality``; the whole view (view, characteristic, level, year, unit, measure) is in the URL."""

from __future__ import annotations

from components.guard import require_page

user = require_page("data_quality")

import streamlit as st

from components.charts import spc_chart
from components.copy import page_copy
from components.funnel import funnel_plot
from components.layout import synthetic_banner
from components.params import choose, remember
from components.store import fetch, store_facts
from components.tables import csv_about, show_table
from reports import data_quality as report
from reports import filters
from reports.settings import catalogue, policy

VIEWS = ("Recording", "Over time", "Team comparisons")
LEVELS = {"team": "Team", "service_line": "Service line", "borough": "Borough"}
scope = user.scope
rules = policy()

st.title("Data quality")
synthetic_banner(store_facts())
st.markdown(
    "How completely services record who they see. Figures by ethnic group are only as good as this: "
    "people whose ethnicity is not recorded are left out of every rate by ethnic group."
)

years = list(fetch(filters.financial_years, scope)["financial_year"])
characteristics = list(report.CHARACTERISTICS)
view = choose("view", list(VIEWS), VIEWS[0])
view = st.radio("View", VIEWS, index=VIEWS.index(view), horizontal=True, key="dq_view")
remember("view", view)
year = choose("year", years, years[-1])

if view != "Team comparisons":
    characteristic = choose("characteristic", characteristics, "ethnicity")
    level = choose("level", list(LEVELS), "team")
    first, second, third = st.columns(3)
    characteristic = first.selectbox(
        "Characteristic", characteristics, index=characteristics.index(characteristic),
        format_func=report.CHARACTERISTICS.get, key="dq_characteristic",
    )  # fmt: skip
    level = second.selectbox(
        "By", list(LEVELS), index=list(LEVELS).index(level), format_func=LEVELS.get, key="dq_level"
    )
    what = report.CHARACTERISTICS[characteristic].lower()
    remember("characteristic", characteristic)
    remember("level", level)

if view == "Recording":
    year = third.selectbox("Financial year", years, index=years.index(year), key="dq_year")
    remember("year", year)
    result = fetch(
        report.completeness, scope, financial_year=year, characteristic=characteristic, level=level
    )
    st.subheader(
        f"{LEVELS[level]}s ranked by people referred whose {what} was not recorded, {year}: worst first"
    )
    st.markdown(result.sentence)
    show_table(
        result.table,
        labels={"rank": "Rank", "unit_name": LEVELS[level], "people": "People referred",
                "unrecorded": f"{report.CHARACTERISTICS[characteristic]} not recorded", "value": "% not recorded",
                "lower": "Lower 95% CI", "upper": "Upper 95% CI", "position": "Against the trust (funnel)"},
        key="dq_ranked",
        download=csv_about(f"{report.CHARACTERISTICS[characteristic]} not recorded",
                           f"People referred in the year whose {what} was not recorded, by {LEVELS[level].lower()}",
                           year, counts_of="people", filters={"by": LEVELS[level]}),
        download_suffix=f"by {LEVELS[level].lower()}",
    )  # fmt: skip
    st.subheader(f"Funnel plot: each {LEVELS[level].lower()} against the trust")
    funnel_plot(result.table, result.limits, target=result.target, x="people", label="unit_name",
                x_title="People referred", y_title=f"% {what} not recorded", key="dq_funnel")  # fmt: skip
    if result.target is not None:
        st.caption(f"The blue line is the trust's share ({result.target:.1f}%); dashed lines are the 95% and 99.8% "
                   "control limits.")  # fmt: skip

elif view == "Over time":
    units = {"trust": "The trust"} | fetch(report.units, scope, level=level)
    unit = choose("unit", list(units), "trust")
    unit = third.selectbox(
        "Unit", list(units), index=list(units).index(unit), format_func=units.get, key="dq_unit"
    )
    remember("unit", unit)
    series = fetch(report.monthly, scope, characteristic=characteristic, level="trust" if unit == "trust" else level,
                   unit=unit)  # fmt: skip
    st.subheader(f"{units[unit]}: people referred whose {what} was not recorded, month by month")
    spc_chart(series, x="month_start", value="value", improvement="decrease", title=f"% {what} not recorded",
              unit="% not recorded", key="dq_spc", polarity="lower_is_better",
              subject=f"the share of people referred to {units[unit]} whose {what} was not recorded")  # fmt: skip
    with st.expander("The months as a table (download)"):
        show_table(series, labels={"month_start": "Month", "people": "People referred",
                                   "unrecorded": "Not recorded", "value": "% not recorded",
                                   "lower": "Lower 95% CI", "upper": "Upper 95% CI"}, key="dq_months",
                   download=csv_about(f"{report.CHARACTERISTICS[characteristic]} not recorded, monthly",
                                      f"People referred in the month whose {what} was not recorded",
                                      "every month held", counts_of="people", filters={"unit": units[unit]}),
                   download_suffix="monthly")  # fmt: skip

else:
    measures = list(report.COMPARISON_MEASURES)
    lines = fetch(filters.service_lines, scope)
    measure_id = choose("measure", measures, measures[0])
    line = choose("line", ["", *lines], "")
    first, second, third = st.columns([2, 1, 1])
    measure_id = first.selectbox("Measure", measures, index=measures.index(measure_id),
                                 format_func=lambda m: catalogue()[m].title, key="dq_measure")  # fmt: skip
    line = second.selectbox("Service line", ["", *lines], index=["", *lines].index(line),
                            format_func=lambda s: s or "All services", key="dq_line")  # fmt: skip
    year = third.selectbox("Financial year", years, index=years.index(year), key="dq_year")
    for name, value in (("measure", measure_id), ("line", line), ("year", year)):
        remember(name, value)
    info = catalogue()[measure_id]
    funnel = fetch(report.team_funnel, scope, financial_year=year, measure_id=measure_id, service_line=line)
    st.subheader(f"{info.title}: each team against {line or 'all'} teams together, {year}")
    st.markdown(funnel.sentence)
    if not line:
        st.caption(
            "Services see different people in different ways: read the funnel within one service line."
        )
    funnel_plot(funnel.table, funnel.limits, target=funnel.target, x="denominator", label="name",
                x_title=funnel.x_title, y_title=info.unit, key="dq_team_funnel")  # fmt: skip
    show_table(
        funnel.table,
        labels={"name": "Team", "service_line": "Service line", "numerator": "Numerator", "denominator": "Denominator",
                "value": info.unit, "lower": "Lower 95% CI", "upper": "Upper 95% CI",
                "position": "Against the teams together"},
        key="dq_teams",
        download=csv_about(info.title, info.definition, year, counts_of="events",
                           filters={"service line": line or "All services"}),
        download_suffix="by team",
    )  # fmt: skip

with st.expander("About these figures"):
    st.markdown(page_copy("data_quality", rounding_base=rules.base, threshold_minus_one=rules.threshold - 1,
                          min_people=report.MIN_PEOPLE))  # fmt: skip
