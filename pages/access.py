"""Service access by community: who reaches services (people referred, accepted and seen per 100,000
residents), by which route, how fast, and who drops out, for every characteristic in the data and for
the trust's priority communities (``config/communities.yaml``). Counts come from SQL; rates, shares,
CIs, ratios and suppression from ``measures``; every table and chart shows only published figures."""

from __future__ import annotations

from components.guard import require_page

user = require_page("access")

import os

import altair as alt
import pandas as pd
import streamlit as st

from components.charts import forest_plot, spc_chart
from components.copy import page_copy
from components.layout import is_synthetic, long_date, synthetic_banner
from components.maps import choropleth
from components.params import choose, remember
from components.store import TRUST, boundaries, fetch, store_facts
from components.tables import show_table
from measures.access import group_median_waits, proportion_table, rate_vs_rest_table, two_way_table
from measures.benchmark import group_rate_table
from measures.communities import POPULATION_ATTRIBUTES, attributes_of, community_totals, load_communities
from measures.disclosure import DisclosurePolicy, RowTotals, Totals, publish_count, publish_table
from measures.ethnicity import KNOWN_BROAD_GROUPS, NHS_CATEGORIES, WHITE
from measures.narrative import describe_ratio, describe_spc
from measures.stats import crude_rates, proportion, rate_ratio
from queries import access, area, overview, team

PER = 100_000
COMMUNITIES = "communities"
LABELS = {
    "broad_group": "Ethnic group (broad)",
    "ethnic_category": "Ethnic group (detailed)",
    "age_band": "Age band",
    "sex": "Sex",
    "religion": "Religion",
    "sexual_orientation": "Sexual orientation",
    "disability": "Disability",
    "imd_quintile": "Deprivation (IMD quintile)",
    COMMUNITIES: "Priority communities",
}
SEX_NAMES = {"M": "Male", "F": "Female", "X": "Not known or other"}
ETHNIC_NAMES = {c.code: c.description for c in NHS_CATEGORIES}
UNKNOWN_ETHNIC = {"Z", "99", "Not stated", "Not known"}
MEASURES = {
    "people_referred": ("People referred", "referred"),
    "people_accepted": ("People accepted", "accepted by a service"),
    "people_seen": ("People seen", "seen by a service"),
}
SOURCES = {
    "source_gp": "GP",
    "source_self": "Self",
    "source_police": "Police or criminal justice",
    "source_ae": "A&E",
    "source_other": "Other",
}
TALKING_THERAPIES = "Talking Therapies"

scope = user.scope
policy = DisclosurePolicy(threshold=TRUST.suppression_threshold, base=TRUST.rounding_base)
communities = load_communities(os.environ.get("EQUALITY_COMMUNITIES_CONFIG") or None)
facts = store_facts()

st.title("Service access")
synthetic_banner(facts)

# ---------------------------------------------------------------------------------------------- filters
boroughs = fetch(overview.boroughs, scope)
borough_names = dict(zip(boroughs["code"], boroughs["name"], strict=True))
years = list(fetch(overview.financial_years, scope)["financial_year"])
lines = sorted(set(fetch(team.teams_in_scope, scope)["service_line"]))
characteristics = [c for c in LABELS if c != COMMUNITIES or communities]

year = choose("year", years, years[-1])
borough = choose("borough", ["", *borough_names], "")
line = choose("line", ["", *lines], "")
characteristic = choose("by", characteristics, "broad_group")

cols = st.columns([1, 1, 1, 1.4])
year = cols[0].selectbox("Financial year", years, index=years.index(year), key="access_year")
borough = cols[1].selectbox(
    "Borough", ["", *borough_names], index=["", *borough_names].index(borough),
    format_func=lambda c: borough_names.get(c, "All boroughs"), key="access_borough",
)  # fmt: skip
line = cols[2].selectbox(
    "Service line", ["", *lines], index=["", *lines].index(line),
    format_func=lambda s: s or "All services", key="access_line",
)  # fmt: skip
characteristic = cols[3].selectbox(
    "Compare by", characteristics, index=characteristics.index(characteristic), format_func=LABELS.get,
    key="access_by",
)  # fmt: skip
for name, value in (("year", year), ("borough", borough), ("line", line), ("by", characteristic)):
    if value:
        remember(name, value)
    elif name in st.query_params:
        del st.query_params[name]

where = borough_names.get(borough, "the trust's boroughs")
service = line or "all services"
standard = TRUST.waiting_standard_days
filters = {"financial_year": year, "borough": borough, "service_line": line}


def group_name(value: object) -> str:
    text = str(value)
    if characteristic == "sex":
        return SEX_NAMES.get(text, text)
    if characteristic == "ethnic_category":
        return ETHNIC_NAMES.get(text, text)
    if characteristic == "age_band":
        return f"Aged {text}"
    if characteristic == "imd_quintile" and text[:1].isdigit():
        return f"IMD quintile {text}"
    return text


def counts_by_group(query, counts: tuple[str, ...], **params) -> pd.DataFrame:
    """Counts by the chosen characteristic (or community), with a 'group' column."""
    if characteristic == COMMUNITIES:
        dims = attributes_of(communities)
        cells = fetch(query, scope, dims=dims, **params)
        totals = community_totals(cells, communities, counts)
        return totals.rename(columns={"community": "group"})
    frame = fetch(query, scope, dims=(characteristic,), **params)
    frame = frame.groupby(characteristic, as_index=False, dropna=False)[list(counts)].sum()
    frame.insert(0, "group", frame[characteristic].map(group_name))
    return frame


def population_by_group() -> pd.DataFrame | None:
    """Residents per group, or None when the population table cannot give them."""
    if characteristic == COMMUNITIES:
        with_pop = [c for c in communities if c.has_population]
        if not with_pop:
            return None
        dims = tuple(a for a in attributes_of(with_pop) if a in POPULATION_ATTRIBUTES)
        cells = fetch(access.population_counts, scope, dims=dims, borough=borough)
        return community_totals(cells, with_pop, ("population",)).rename(columns={"community": "group"})
    if characteristic not in access.POPULATION_CHARACTERISTICS:
        return None
    frame = fetch(access.population_counts, scope, dims=(characteristic,), borough=borough)
    frame = frame.dropna(subset=[characteristic])
    frame["group"] = frame[characteristic].map(group_name)
    return frame[["group", "population"]]


def reference_group(table: pd.DataFrame) -> str:
    if characteristic == "broad_group":
        return WHITE
    if characteristic == "ethnic_category":
        return group_name(TRUST.reference_group)
    return str(table.loc[table["population"].idxmax(), "group"])


def known(frame: pd.DataFrame) -> pd.Series:
    """Rows that are a recorded group (not ethnicity not stated / not known)."""
    raw = frame[characteristic] if characteristic in frame.columns else frame["group"]
    return ~raw.astype(str).isin(UNKNOWN_ETHNIC)


def percent_labels(count: str, count_title: str, denominator: str, denominator_title: str, what: str) -> dict:
    return {
        "group": "Community" if characteristic == COMMUNITIES else LABELS[characteristic],
        count: count_title,
        denominator: denominator_title,
        "value": what,
        "lower": "Lower 95% CI",
        "upper": "Upper 95% CI",
        "comparison": "Against everyone",
    }


people = counts_by_group(access.people_counts, access.PEOPLE_COUNTS, standard_days=standard, **filters)
everyone = fetch(access.people_counts, scope, standard_days=standard, **filters)
population = population_by_group()
if everyone.empty or int(everyone["people_referred"].sum()) == 0:
    st.info(f"No referrals were received in {year} for {service} in {where}.")
    st.stop()
total = everyone.iloc[0]

tabs = ["Access", "Routes in", "Timeliness", "Engagement", "Intersections", "Trend"]
if user.role == "equality_lead":
    tabs.append("Teams")
tab = dict(zip(tabs, st.tabs(tabs), strict=True))

# ---------------------------------------------------------------------------------------------- access
with tab["Access"]:
    measure = st.radio(
        "Measure", list(MEASURES), format_func=lambda m: MEASURES[m][0], horizontal=True, key="access_measure"
    )
    title, verb = MEASURES[measure]
    st.subheader(f"{title} per 100,000 residents by {LABELS[characteristic].lower()}, {year}")
    st.caption(f"{service.capitalize()}; people living in {where}.")
    if population is not None:
        merged = people[["group", measure, *([f"rest_{measure}"] if characteristic == COMMUNITIES else [])]]
        merged = merged.merge(population, on="group", how="inner")
        if characteristic == COMMUNITIES:
            everyone_population = int(
                fetch(access.population_counts, scope, borough=borough)["population"].sum()
            )
            merged["rest_population"] = everyone_population - merged["population"]
            merged = merged.rename(columns={measure: "events", f"rest_{measure}": "rest_events"})
            table = rate_vs_rest_table(
                merged,
                group_column="group", events="events", population="population", policy=policy, per=PER,
            )  # fmt: skip
            ratio_title, reference_words = "Ratio to everyone else", "everyone else"
        else:
            merged = merged[known(merged) & (merged["population"] > 0)].rename(columns={measure: "events"})
            reference = reference_group(merged)
            table = group_rate_table(merged, reference=reference, policy=policy, per=PER)
            ratio_title, reference_words = f"Ratio to {reference}", reference
        show_table(
            table,
            labels={
                "group": "Community" if characteristic == COMMUNITIES else LABELS[characteristic],
                "events": title,
                "population": "Residents",
                "value": "Per 100,000",
                "lower": "Lower 95% CI",
                "upper": "Upper 95% CI",
                "ratio_value": ratio_title,
                "ratio_lower": "Ratio lower 95% CI",
                "ratio_upper": "Ratio upper 95% CI",
            },
            decimals={"ratio_value": 2, "ratio_lower": 2, "ratio_upper": 2},
            key="access_rates",
            download_name=f"access-{measure}-{characteristic}-{year}.csv",
        )
        forest_plot(
            table, label="group", value="ratio_value", lower="ratio_lower", upper="ratio_upper",
            title=f"{title}: {ratio_title[:1].lower()}{ratio_title[1:]}", key="access_forest",
        )  # fmt: skip
        # plain-English sentences, only for ratios that were published
        shown = table.frame[table.frame["ratio_value"].notna() & ~table.mask["ratio_value"]]
        raw = merged.set_index("group")
        sentences = []
        for group in shown["group"]:
            if characteristic == COMMUNITIES:
                row = raw.loc[group]
                ratio = rate_ratio(
                    int(row["events"]),
                    int(row["population"]),
                    int(row["rest_events"]),
                    int(row["rest_population"]),
                )
                subject = f"People in the {group} community" if group != "Men" else "Men"
            else:
                ratio = rate_ratio(
                    int(raw.loc[group, "events"]), int(raw.loc[group, "population"]),
                    int(raw.loc[reference, "events"]), int(raw.loc[reference, "population"]),
                )  # fmt: skip
                subject = f"{group} residents"
            sentences.append(
                describe_ratio(ratio, subject=subject, reference=f"{reference_words} residents"
                               if characteristic != COMMUNITIES else "everyone else", outcome=verb)
            )  # fmt: skip
        if sentences:
            st.markdown("\n".join(f"- {s}" for s in sentences))
        if characteristic == COMMUNITIES:
            without = [c.name for c in communities if not c.has_population]
            if without:
                st.caption(
                    f"{', '.join(without)}: defined by first language or religion, which the population table "
                    "does not hold, so no rate per 100,000 can be given; see their share of people referred below."
                )
    if population is None or characteristic == COMMUNITIES:
        st.markdown(
            "**Share of people referred.** "
            + (
                "No population denominator is loaded for this characteristic, so each group is shown as a "
                "share of the people referred (not a rate), against its share across the whole trust."
                if population is None
                else "Each community's share of the people referred, against its share across the whole trust."
            )
        )
        trust_wide = counts_by_group(
            access.people_counts, access.PEOPLE_COUNTS, standard_days=standard, financial_year=year,
            borough="", service_line="",
        ).set_index("group")  # fmt: skip
        trust_total = int(
            fetch(access.people_counts, scope, financial_year=year, standard_days=standard, borough="",
                  service_line="")["people_referred"].sum()
        )  # fmt: skip
        shares = people[["group", measure]].assign(everyone=int(total[measure]))
        benchmarks = [
            trust_wide.loc[g, measure] / trust_total * 100
            if g in trust_wide.index and trust_total
            else float("nan")
            for g in shares["group"]
        ]
        share_table = proportion_table(
            shares, group_column="group", numerator=measure, denominator="everyone", policy=policy,
            benchmarks=benchmarks, add_up=characteristic != COMMUNITIES,
        )  # fmt: skip
        labels = percent_labels(measure, title, "everyone", "Everyone", "% of everyone")
        labels["comparison"] = "Against the trust-wide share"
        show_table(share_table, labels=labels, key="access_shares",
                   download_name=f"access-share-{measure}-{characteristic}-{year}.csv")  # fmt: skip

    if characteristic in ("broad_group", "ethnic_category") and not borough:
        st.markdown("**On the map: referrals per 100,000 residents by borough.**")
        map_group = st.selectbox(
            "Ethnic group on the map", ["All", *KNOWN_BROAD_GROUPS], key="access_map_group"
        )
        counts = fetch(
            area.area_counts, scope, measure_id="referrals_rate", financial_year=year, level="lad",
            broad_group="" if map_group == "All" else map_group,
        )  # fmt: skip
        estimates = crude_rates(counts["events"], counts["population"], per=PER)
        map_table = publish_table(
            counts.assign(area=counts["area_code"].map(borough_names), value=estimates["value"],
                          lower=estimates["lower"], upper=estimates["upper"]),
            counts=["events"], derived={("value", "lower", "upper"): ("events",)}, public=["population"],
            policy=policy, totals=[Totals(by=())],
        )  # fmt: skip
        shown_map = map_table.display_frame(decimals=1)
        choropleth(
            map_table, boundaries().lad, key="access_map",
            describe=shown_map["value"] + " referrals per 100,000 (95% CI " + shown_map["lower"] + " to "
            + shown_map["upper"] + ")",
            legend_title="Referrals per 100,000", label_areas=True,
        )  # fmt: skip
        group_param = "" if map_group == "All" else f"&group={map_group}"
        st.markdown(
            f"[Open the Areas page for neighbourhood (MSOA) drill-down](/areas?measure=referrals_rate&year={year}"
            f"{group_param})"
        )

# ---------------------------------------------------------------------------------------------- routes
with tab["Routes in"]:
    st.subheader(f"How people were referred, by {LABELS[characteristic].lower()}, {year}")
    police = proportion_table(
        people[["group", "source_police", "referrals"]], group_column="group", numerator="source_police",
        denominator="referrals", policy=policy,
        overall=(int(total["source_police"]), int(total["referrals"])),
    )  # fmt: skip
    everyone_police = int(total["source_police"]) / int(total["referrals"]) * 100
    st.markdown(
        f"**Police or criminal-justice route.** Across everyone, {everyone_police:.1f}% of referrals came from "
        "the police or the criminal justice system. Groups marked higher have a 95% confidence interval wholly "
        "above that."
    )
    highlighted = police.frame[police.frame["comparison"] == "Higher than everyone"]["group"].tolist()
    if highlighted:
        st.warning(
            "Over-represented on the police or criminal-justice route: " + ", ".join(highlighted) + ".",
            icon=":material/local_police:",
        )
    show_table(
        police,
        labels=percent_labels("source_police", "From police or criminal justice", "referrals", "Referrals",
                              "% from police or criminal justice"),
        key="access_police", download_name=f"access-police-route-{characteristic}-{year}.csv",
    )  # fmt: skip
    st.markdown("**All routes in (% of each group's referrals).**")
    mix = people[["group", "referrals", *SOURCES]].copy()
    for column in SOURCES:
        mix[f"{column}_pct"] = mix[column] / mix["referrals"].where(mix["referrals"] > 0) * 100
    mix_table = publish_table(
        mix,
        counts=["referrals", *SOURCES],
        derived={f"{c}_pct": (c, "referrals") for c in SOURCES},
        policy=policy,
        totals=[RowTotals(tuple(SOURCES))] + ([Totals(by=())] if characteristic != COMMUNITIES else []),
    )  # fmt: skip
    show_table(
        mix_table,
        labels={"group": "Group", "referrals": "Referrals", **{f"{c}_pct": f"% {n}" for c, n in SOURCES.items()}},
        key="access_mix", download_name=f"access-routes-{characteristic}-{year}.csv",
    )  # fmt: skip
    chart_data = mix_table.frame.melt(
        id_vars="group", value_vars=[f"{c}_pct" for c in SOURCES], var_name="route", value_name="percent"
    ).dropna(subset=["percent"])
    chart_data["route"] = chart_data["route"].str.removesuffix("_pct").map(SOURCES)
    st.altair_chart(
        alt.Chart(chart_data)
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=None),
            x=alt.X("percent:Q", title="% of referrals", stack="normalize", axis=alt.Axis(format="%")),
            color=alt.Color("route:N", title="Route in", sort=list(SOURCES.values())),
            order=alt.Order("route:N"),
            tooltip=["group", "route", alt.Tooltip("percent:Q", format=".1f")],
        ),
        width="stretch",
    )

# ---------------------------------------------------------------------------------------------- waits
with tab["Timeliness"]:
    st.subheader(f"Referral to first contact, by {LABELS[characteristic].lower()}, {year}")
    within = proportion_table(
        people[["group", "seen_within_standard", "accepted_referrals"]], group_column="group",
        numerator="seen_within_standard", denominator="accepted_referrals", policy=policy,
        overall=(int(total["seen_within_standard"]), int(total["accepted_referrals"])),
    )  # fmt: skip
    if characteristic == COMMUNITIES:
        cells = fetch(access.wait_histogram, scope, dims=attributes_of(communities), **filters)
        rows = []
        for community in communities:
            block = cells[community.members(cells)]
            block = block.groupby("wait_days", as_index=False)["referrals"].sum().assign(group=community.name)
            rows.append(block)
        histogram = pd.concat(rows, ignore_index=True)
    else:
        histogram = fetch(access.wait_histogram, scope, dims=(characteristic,), **filters)
        histogram["group"] = histogram[characteristic].map(group_name)
    medians = group_median_waits(histogram, by=["group"], value="wait_days", count="referrals")
    waits = within.frame[["group"]].merge(medians, on="group", how="left")
    waits["waited"] = waits["waited"].fillna(0).astype("int64")
    wait_table = publish_table(
        waits, counts=["waited"], derived={"median": ("waited",)}, policy=policy,
        totals=[Totals(by=())] if characteristic != COMMUNITIES else [],
    )  # fmt: skip
    everyone_hist = fetch(access.wait_histogram, scope, **filters)
    everyone_median = group_median_waits(
        everyone_hist.assign(group="All"), by=["group"], value="wait_days", count="referrals"
    )
    if not everyone_median.empty:
        st.markdown(
            f"Across everyone, the median wait from referral to first contact was "
            f"**{everyone_median['median'].iloc[0]:.0f} days**, and "
            f"**{int(total['seen_within_standard']) / max(int(total['accepted_referrals']), 1) * 100:.1f}%** of "
            f"accepted referrals were seen within {standard} days."
        )
    show_table(
        wait_table,
        labels={"group": "Group", "waited": "Referrals seen", "median": "Median days to first contact"},
        decimals={"median": 1}, key="access_median", download_name=f"access-median-wait-{characteristic}-{year}.csv",
    )  # fmt: skip
    show_table(
        within,
        labels=percent_labels("seen_within_standard", f"Seen within {standard} days", "accepted_referrals",
                              "Accepted referrals", f"% seen within {standard} days"),
        key="access_within", download_name=f"access-within-standard-{characteristic}-{year}.csv",
    )  # fmt: skip

# ---------------------------------------------------------------------------------------------- engagement
with tab["Engagement"]:
    st.subheader(f"Engagement, by {LABELS[characteristic].lower()}, {year}")
    people["booked"] = people["attended"] + people["dna"]
    dna = proportion_table(
        people[["group", "dna", "booked"]], group_column="group", numerator="dna", denominator="booked",
        policy=policy, overall=(int(total["dna"]), int(total["attended"] + total["dna"])),
    )  # fmt: skip
    st.markdown("**Did not attend (% of booked appointments).**")
    show_table(
        dna, labels=percent_labels("dna", "Not attended", "booked", "Booked appointments", "% not attended"),
        key="access_dna", download_name=f"access-dna-{characteristic}-{year}.csv",
    )  # fmt: skip
    dropped = proportion_table(
        people[["group", "discharged_before_treatment", "seen_referrals"]], group_column="group",
        numerator="discharged_before_treatment", denominator="seen_referrals", policy=policy,
        overall=(int(total["discharged_before_treatment"]), int(total["seen_referrals"])),
    )  # fmt: skip
    st.markdown("**Discharged before treatment (% of referrals seen at least once).**")
    show_table(
        dropped,
        labels=percent_labels("discharged_before_treatment", "Discharged before treatment", "seen_referrals",
                              "Referrals seen", "% discharged before treatment"),
        key="access_dropout", download_name=f"access-discharged-before-treatment-{characteristic}-{year}.csv",
    )  # fmt: skip

    st.markdown(f"**{TALKING_THERAPIES}: recovery (% of finished courses that started at caseness).**")
    outcomes = counts_by_group(
        access.talking_therapies_outcomes, ("finished", "at_caseness", "recovered", "reliably_improved"),
        financial_year=year, borough=borough,
    )  # fmt: skip
    everyone_tt = fetch(access.talking_therapies_outcomes, scope, financial_year=year, borough=borough)
    recovery = proportion_table(
        outcomes[["group", "recovered", "at_caseness"]], group_column="group", numerator="recovered",
        denominator="at_caseness", policy=policy,
        overall=(int(everyone_tt["recovered"].sum()), int(everyone_tt["at_caseness"].sum())),
    )  # fmt: skip
    show_table(
        recovery,
        labels=percent_labels("recovered", "Recovered", "at_caseness", "Finished at caseness", "% recovered"),
        key="access_recovery", download_name=f"access-tt-recovery-{characteristic}-{year}.csv",
    )  # fmt: skip
    st.caption(
        "The national ambition for recovery is 50%. Outcomes follow the course's end date, not the referral's."
    )
    if population is not None and characteristic != COMMUNITIES:
        st.markdown(f"**{TALKING_THERAPIES}: people referred per 100,000 residents.**")
        tt = fetch(access.people_counts, scope, dims=(characteristic,), standard_days=standard,
                   financial_year=year, borough=borough, service_line=TALKING_THERAPIES)  # fmt: skip
        tt = tt.groupby(characteristic, as_index=False)["people_referred"].sum()
        tt["group"] = tt[characteristic].map(group_name)
        tt = tt[["group", "people_referred"]].merge(population, on="group", how="inner")
        tt = tt[known(tt) & (tt["population"] > 0)].rename(columns={"people_referred": "events"})
        if not tt.empty:
            tt_reference = reference_group(tt)
            tt_table = group_rate_table(tt, reference=tt_reference, policy=policy, per=PER)
            show_table(
                tt_table,
                labels={"group": "Group", "events": "People referred", "population": "Residents",
                        "value": "Per 100,000", "lower": "Lower 95% CI", "upper": "Upper 95% CI",
                        "ratio_value": f"Ratio to {tt_reference}", "ratio_lower": "Ratio lower 95% CI",
                        "ratio_upper": "Ratio upper 95% CI"},
                decimals={"ratio_value": 2, "ratio_lower": 2, "ratio_upper": 2},
                key="access_tt_rates", download_name=f"access-tt-rates-{characteristic}-{year}.csv",
            )  # fmt: skip

# ---------------------------------------------------------------------------------------------- intersections
with tab["Intersections"]:
    plain = [c for c in LABELS if c != COMMUNITIES]
    left, right = st.columns(2)
    first = left.selectbox("First characteristic", plain, index=plain.index("broad_group"),
                           format_func=LABELS.get, key="access_x_first")  # fmt: skip
    others = [c for c in plain if c != first]
    second = right.selectbox("Second characteristic", others, index=others.index("age_band"),
                             format_func=LABELS.get, key="access_x_second")  # fmt: skip
    cross = fetch(access.people_counts, scope, dims=(first, second), standard_days=standard, **filters)
    cross = cross[[first, second, "people_referred"]]
    has_population = (
        first in access.POPULATION_CHARACTERISTICS and second in access.POPULATION_CHARACTERISTICS
    )
    if has_population:
        pop = fetch(access.population_counts, scope, dims=(first, second), borough=borough).dropna()
        cross = cross.merge(pop, on=[first, second], how="left")
        cross["population"] = cross["population"].fillna(0).astype("int64")
    for column in (first, second):
        cross[column] = cross[column].astype(str)
    crossed = two_way_table(
        cross, row=first, column=second, events="people_referred", policy=policy,
        population="population" if has_population else None, per=PER,
    )  # fmt: skip
    st.subheader(f"People referred by {LABELS[first].lower()} and {LABELS[second].lower()}, {year}")
    if has_population:
        st.caption("Each cell's rate per 100,000 residents, and its ratio to everyone outside the cell.")
        labels = {first: LABELS[first], second: LABELS[second], "people_referred": "People referred",
                  "population": "Residents", "value": "Per 100,000", "lower": "Lower 95% CI",
                  "upper": "Upper 95% CI", "ratio_value": "Ratio to everyone else",
                  "ratio_lower": "Ratio lower 95% CI", "ratio_upper": "Ratio upper 95% CI"}  # fmt: skip
    else:
        st.caption(
            "No population denominator is loaded for at least one of these characteristics: each cell is shown "
            f"as a share of its {LABELS[first].lower()} group's people referred."
        )
        labels = {first: LABELS[first], second: LABELS[second], "people_referred": "People referred",
                  "value": f"% of the {LABELS[first].lower()} group", "lower": "Lower 95% CI",
                  "upper": "Upper 95% CI"}  # fmt: skip
    show_table(crossed, labels=labels, decimals={"ratio_value": 2, "ratio_lower": 2, "ratio_upper": 2, "value": 1,
                                               "lower": 1, "upper": 1},
               key="access_cross", download_name=f"access-{first}-by-{second}-{year}.csv")  # fmt: skip
    st.caption(
        "Cells are suppressed when small, and further cells are hidden where a hidden one could be worked out "
        "from its row or column total (secondary suppression)."
    )

# ---------------------------------------------------------------------------------------------- trend
with tab["Trend"]:
    options = list(people["group"])
    chosen = st.selectbox("Group", options, key="access_trend_group")
    if characteristic == COMMUNITIES:
        community = next(c for c in communities if c.name == chosen)
        monthly = fetch(
            access.monthly_people, scope, dims=community.attributes, borough=borough, service_line=line
        )
        monthly = (
            monthly[community.members(monthly)]
            .groupby("month_start", as_index=False)["people_referred"]
            .sum()
        )
    else:
        monthly = fetch(
            access.monthly_people, scope, dims=(characteristic,), borough=borough, service_line=line
        )
        monthly = monthly[monthly[characteristic].map(group_name) == chosen]
        monthly = monthly.groupby("month_start", as_index=False)["people_referred"].sum()
    months = fetch(access.monthly_people, scope, borough=borough, service_line=line)[["month_start"]]
    monthly = months.merge(monthly, on="month_start", how="left").fillna({"people_referred": 0})
    monthly["people_referred"] = monthly["people_referred"].astype("int64")
    residents = None
    if population is not None:
        match = population.loc[population["group"] == chosen, "population"]
        residents = int(match.iloc[0]) if len(match) and int(match.iloc[0]) > 0 else None
    if residents:
        # monthly rate per 100,000 residents of the group (annualised: × 12), so months compare with the year
        monthly["rate"] = monthly["people_referred"] / residents * PER * 12
        series = publish_table(
            monthly, counts=["people_referred"], derived={"rate": ("people_referred",)}, policy=policy
        )
        value, unit = "rate", "Per 100,000 a year"
    else:
        series = publish_table(monthly, counts=["people_referred"], policy=policy)
        value, unit = "people_referred", "People referred"
    st.subheader(f"People referred each month: {chosen}")
    result = spc_chart(
        series, x="month_start", value=value, improvement="neutral",
        title=f"{chosen}: {unit.lower()}", unit=unit, key="access_spc",
    )  # fmt: skip
    st.markdown(describe_spc(result, "neutral", subject=f"The latest month for {chosen}"))
    if not residents:
        st.caption(
            "No population denominator for this group, so the chart shows counts of people, not a rate."
        )
    if series.suppressed_any:
        st.caption(
            f"Months with 1 to {policy.threshold - 1} people are hidden (gaps in the chart) and left out of "
            "the limits."
        )

# ---------------------------------------------------------------------------------------------- teams
if "Teams" in tab:
    with tab["Teams"]:
        st.subheader(f"Teams: people referred by {LABELS[characteristic].lower()}, {year}")
        team_dim = "broad_group" if characteristic == COMMUNITIES else characteristic
        if characteristic == COMMUNITIES:
            st.caption("Priority communities overlap, so teams are shown by broad ethnic group.")
        teams_frame = fetch(access.team_people, scope, dims=(team_dim,), **filters)
        teams_frame[team_dim] = teams_frame[team_dim].astype(str)
        teams_table = two_way_table(
            teams_frame.assign(team=teams_frame["team"]), row="team", column=team_dim, events="people_referred",
            policy=policy,
        )  # fmt: skip
        show_table(
            teams_table,
            labels={"team": "Team", team_dim: LABELS[team_dim], "people_referred": "People referred",
                    "value": "% of the team's people", "lower": "Lower 95% CI", "upper": "Upper 95% CI"},
            key="access_teams", download_name=f"access-teams-{team_dim}-{year}.csv",
        )  # fmt: skip

# ---------------------------------------------------------------------------------------------- notes
with st.expander("Things you need to know"):
    unrecorded_people = fetch(
        access.people_counts, scope, dims=("broad_group",), standard_days=standard, **filters
    )
    not_recorded = int(
        unrecorded_people.loc[unrecorded_people["broad_group"].isin(UNKNOWN_ETHNIC), "people_referred"].sum()
    )
    everyone_count = int(unrecorded_people["people_referred"].sum())
    share = proportion(not_recorded, everyone_count) if everyone_count else None
    shown_count = publish_count(not_recorded, threshold=policy.threshold, base=policy.base)
    unrecorded_text = (
        f"fewer than {policy.threshold} people"
        if shown_count is None
        else f"{share.value * 100:.1f}% ({shown_count:,} people)"
    )
    st.markdown(
        page_copy(
            "access",
            year=year,
            data_start=long_date(facts.get("data_start", "2000-01-01")),
            data_end=long_date(facts.get("data_end", "2000-01-01")),
            synthetic_note="All figures are synthetic (a generated demonstration trust)."
            if is_synthetic(facts)
            else "",
            population_source=facts.get("population_source", "Census 2021"),
            unrecorded=unrecorded_text,
            suppression=policy.describe(),
            standard_days=standard,
        )
    )
