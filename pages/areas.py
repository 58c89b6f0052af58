"""Areas: a measure on the borough map; click (or choose) a borough to see its neighbourhoods, its
teams and the breakdown by community. The view lives in the URL, so a board paper can link to it."""

from __future__ import annotations

from components.guard import require_page

user = require_page("areas")

import pandas as pd
import streamlit as st

from components.layout import synthetic_banner
from components.maps import choropleth
from components.params import choose, remember
from components.store import TRUST, boundaries, fetch, store_facts
from components.tables import show_table
from measures.benchmark import HIGHER, LOWER, SIMILAR, compare_with_benchmark, group_rate_table
from measures.catalogue import load_catalogue
from measures.disclosure import DisclosurePolicy, PublishedTable, Totals, publish_count, publish_table
from measures.ethnicity import KNOWN_BROAD_GROUPS, WHITE
from measures.narrative import describe_area_spread, describe_ratio
from measures.stats import crude_rate, crude_rates, rate_ratio
from queries import area, overview

PER = 100_000
ALL_GROUPS = "All"
OUTCOME_WORDS = {
    "referrals_rate": "referred",
    "mha_detentions_crude_rate": "detained",
    "cto_crude_rate": "placed on a community treatment order",
    "s136_crude_rate": "detained under section 136",
}

scope = user.scope
policy = DisclosurePolicy(threshold=TRUST.suppression_threshold, base=TRUST.rounding_base)
catalogue = load_catalogue()
titles = {measure_id: catalogue[measure_id].title for measure_id in area.AREA_MEASURES}

st.title("Areas")
synthetic_banner(store_facts())

boroughs = fetch(overview.boroughs, scope)
borough_names = dict(zip(boroughs["code"], boroughs["name"], strict=True))
years = list(fetch(overview.financial_years, scope)["financial_year"])

measure_id = choose("measure", list(titles), area.AREA_MEASURES[1])
year = choose("year", years, years[-1])
group = choose("group", [ALL_GROUPS, *KNOWN_BROAD_GROUPS], ALL_GROUPS)
borough = choose("borough", ["", *borough_names], "")

first, second, third = st.columns([3, 1, 1])
measure_id = first.selectbox(
    "Measure", list(titles), index=list(titles).index(measure_id), format_func=titles.get, key="areas_measure"
)
year = second.selectbox("Financial year", years, index=years.index(year), key="areas_year")
group = third.selectbox(
    "Ethnic group",
    [ALL_GROUPS, *KNOWN_BROAD_GROUPS],
    index=[ALL_GROUPS, *KNOWN_BROAD_GROUPS].index(group),
    key="areas_group",
    help="Rates for one broad ethnic group: its events per 100,000 of its population",
)
for name, value in (("measure", measure_id), ("year", year), ("group", group)):
    remember(name, value)

measure = catalogue[measure_id]
broad_group = "" if group == ALL_GROUPS else group
who = "everyone" if group == ALL_GROUPS else f"{group} people"


def published_rates(counts: pd.DataFrame, names: dict[str, str]) -> PublishedTable:
    """Rates per 100,000 with Byar's/exact CIs, through disclosure control. The areas add up to a
    published total, so a lone suppressed area is protected by suppressing the next smallest."""
    estimates = crude_rates(counts["events"], counts["population"], per=PER)
    frame = counts.assign(
        area=counts["area_code"].map(names),
        value=estimates["value"],
        lower=estimates["lower"],
        upper=estimates["upper"],
    )
    return publish_table(
        frame,
        counts=["events"],
        derived={("value", "lower", "upper"): ("events",)},
        public=["population"],
        policy=policy,
        totals=[Totals(by=())],
    )


def describe(table: PublishedTable) -> pd.Series:
    shown = table.display_frame(decimals=1)
    return (
        shown["value"]
        + " per 100,000 (95% CI "
        + shown["lower"]
        + " to "
        + shown["upper"]
        + "); "
        + (shown["events"] + " of " + shown["population"] + " residents")
    )


def summary_sentence(table: PublishedTable, counts: pd.DataFrame, benchmark_name: str, area_word: str) -> str:
    """Highest and lowest areas, and how many are clearly above or below the benchmark (the trust or the
    borough: its total, which is published), judged by each area's confidence interval."""
    shown = table.frame[~table.mask["value"].to_numpy() & table.frame["value"].notna()]
    if len(shown) < 2:
        return "Too few areas have figures that can be shown to compare them."
    benchmark = crude_rate(int(counts["events"].sum()), int(counts["population"].sum()), per=PER)
    comparisons = [
        compare_with_benchmark(lo, up, benchmark.value)
        for lo, up in zip(shown["lower"], shown["upper"], strict=True)
    ]
    high = shown.loc[shown["value"].idxmax()]
    low = shown.loc[shown["value"].idxmin()]
    if high["value"] == low["value"]:
        return f"Every {area_word} shown has the same rate ({high['value']:,.1f} per 100,000)."
    return describe_area_spread(
        high["area"],
        f"{high['value']:,.1f} per 100,000",
        low["area"],
        f"{low['value']:,.1f} per 100,000",
        benchmark=benchmark_name,
        benchmark_rate=f"{benchmark.value:,.1f} per 100,000",
        higher=comparisons.count(HIGHER),
        lower=comparisons.count(LOWER),
        similar=comparisons.count(SIMILAR),
        area_word=area_word,
    )


def area_table(table: PublishedTable, key: str, filename: str) -> None:
    show_table(
        table,
        labels={
            "area": "Area",
            "area_code": "Code",
            "events": "Events",
            "population": "Residents",
            "value": "Per 100,000",
            "lower": "Lower 95% CI",
            "upper": "Upper 95% CI",
        },
        key=key,
        download_name=filename,
    )


shapes = boundaries()
if not borough:
    # ------------------------------------------------------------------ the trust's boroughs
    st.subheader(f"{measure.title}: {who}, {year}")
    counts = fetch(
        area.area_counts,
        scope,
        measure_id=measure_id,
        financial_year=year,
        level="lad",
        broad_group=broad_group,
    )
    table = published_rates(counts, borough_names)
    st.markdown(summary_sentence(table, counts, "the trust", "borough"))
    clicked = choropleth(
        table,
        shapes.lad,
        key="areas_borough_map",
        describe=describe(table),
        legend_title="Per 100,000 residents",
        label_areas=True,
    )
    chosen = st.selectbox(
        "Open a borough (or click it on the map)",
        ["", *borough_names],
        format_func=lambda code: borough_names.get(code, "Choose a borough"),
        key="areas_borough_pick",
    )
    target = clicked if clicked in borough_names else chosen
    if target:
        remember("borough", target)
        st.rerun()
    with st.expander("The figures as a table"):
        area_table(table, "areas_boroughs", f"{measure_id}-boroughs-{year}.csv")
else:
    # ------------------------------------------------------------------ one borough
    name = borough_names[borough]
    if st.button("← All boroughs", key="areas_back"):
        del st.query_params["borough"]
        st.rerun()
    st.subheader(f"{name}: {measure.title}, {who}, {year}")
    msoa_shapes = shapes.msoa[shapes.msoa["parent_code"] == borough]
    msoa_names = dict(zip(msoa_shapes["code"], msoa_shapes["name"], strict=True))
    counts = fetch(
        area.area_counts,
        scope,
        measure_id=measure_id,
        financial_year=year,
        level="msoa",
        borough=borough,
        broad_group=broad_group,
    )
    table = published_rates(counts, msoa_names)
    st.markdown(summary_sentence(table, counts, name, "neighbourhood"))
    choropleth(
        table,
        msoa_shapes,
        key="areas_msoa_map",
        describe=describe(table),
        legend_title="Per 100,000 residents",
    )
    with st.expander("The figures as a table"):
        area_table(table, "areas_msoas", f"{measure_id}-{borough}-{year}.csv")

    st.subheader("By community")
    groups = fetch(area.group_counts, scope, measure_id=measure_id, financial_year=year, borough=borough)
    known = groups[groups["broad_group"].isin(KNOWN_BROAD_GROUPS)].rename(columns={"broad_group": "group"})
    community = group_rate_table(known, reference=WHITE, policy=policy, per=PER)
    show_table(
        community,
        labels={
            "group": "Ethnic group",
            "events": "Events",
            "population": "Residents",
            "value": "Per 100,000",
            "lower": "Lower 95% CI",
            "upper": "Upper 95% CI",
            "ratio_value": "Ratio to White",
            "ratio_lower": "Ratio lower 95% CI",
            "ratio_upper": "Ratio upper 95% CI",
        },
        decimals={"ratio_value": 2, "ratio_lower": 2, "ratio_upper": 2},
        key="areas_community",
        download_name=f"{measure_id}-{borough}-{year}-by-community.csv",
    )
    black = community.frame.index[community.frame["group"] == "Black"]
    if len(black) and not community.mask.loc[black[0], "ratio_value"]:
        row = known.set_index("group")
        ratio = rate_ratio(
            int(row.loc["Black", "events"]),
            int(row.loc["Black", "population"]),
            int(row.loc[WHITE, "events"]),
            int(row.loc[WHITE, "population"]),
        )
        st.markdown(
            describe_ratio(
                ratio,
                subject=f"Black residents of {name}",
                reference="White residents",
                outcome=OUTCOME_WORDS[measure_id],
            )
        )
    unrecorded = publish_count(
        int(groups.loc[~groups["broad_group"].isin(KNOWN_BROAD_GROUPS), "events"].sum()),
        threshold=policy.threshold,
        base=policy.base,
    )
    st.caption(
        "Events for people whose ethnicity was not stated or not known are left out of the rates ("
        + (f"fewer than {policy.threshold}" if unrecorded is None else f"{unrecorded:,}")
        + " in this borough and year). Groups are NHS broad ethnic groups; ratios compare each with White."
    )

    st.subheader("Teams based here")
    teams = fetch(area.borough_teams, scope, borough=borough, financial_year=year)
    team_table = publish_table(teams.drop(columns="id"), counts=["referrals", "detentions"], policy=policy)
    show_table(
        team_table,
        labels={
            "name": "Team",
            "service_line": "Service line",
            "referrals": "Referrals received",
            "detentions": "Detentions started",
        },
        key="areas_teams",
    )

with st.expander("About these figures"):
    st.markdown(
        f"**{measure.title}.** {measure.definition}\n\n"
        f"Rates are per 100,000 residents (synthetic population in the Census 2021 layout for the demo), "
        f"by where people live, with 95% confidence intervals (Byar's method; exact below 10 events). "
        f"A gap is called clear only when its confidence interval excludes 1. Counts from 1 to "
        f'{policy.threshold - 1} are shown as "*" and others are rounded to the nearest {policy.base}; '
        "an area is hidden too when its figure could be worked out from the total."
    )
