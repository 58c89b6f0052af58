"""Build the synthetic demo trust: ``python -m data.demo --scale tiny|default|large --seed N``.

A fictional trust over real boroughs (ONS codes from ``config/trust.yaml``), five financial years of
monthly activity, every table populated. All figures are synthetic and labelled so in the store
(``dataset_info.synthetic = true``) and wherever the app shows them.

The generator builds in the structure and disparities the dashboard must be able to find, calibrated
to the national figures published by NHS England (Mental Health Act statistics) and the WRES reports:

- detentions: Black people about 4 times as likely as White British to be detained, falling after a
  (fictional) programme that starts in October 2024 (a real shift for SPC to find); CTOs about 10
  times; s136 about 3 times;
- restrictive interventions: more likely for Black and Mixed inpatients; physical restraint falls
  after a restraint-reduction programme starting in October 2023;
- referral routes: police / criminal-justice route over-represented for Black service users;
- Talking Therapies: lower access and recovery for several minority groups, and a step up in
  referrals of Black and Asian people from April 2024 (community outreach);
- workforce: BME share falls with pay band (lower bands reflect the community, senior bands do not);
  WRES likelihood ratios above 1;
- ethnicity not stated / not known for roughly 10% of people, worse in crisis teams and the PICU;
- seasonal and random variation throughout.

Everything is vectorised with numpy, so the default scale (about 50,000 people and 150,000
referrals) builds in seconds. The same seed always gives the same store.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Table, insert

from data import geography, reference, schema, summaries, users
from data.config import ConfigError, load_trust_config, store_settings
from data.store import (
    StoreUnavailable,
    create_schema,
    describe_url,
    drop_schema,
    make_engine,
    store_has_data,
)
from measures import ethnicity

DATA_START = date(2021, 4, 1)
DATA_END = date(2026, 3, 31)
SNAPSHOT_DATES = tuple(date(year, 3, 31) for year in range(2022, 2027))
MONTHS = np.arange("2021-04", "2026-04", dtype="datetime64[M]")

#: Scale factor: population, people and staff are all multiplied by it, so rates stay realistic.
SCALES: dict[str, float] = {"tiny": 0.06, "default": 1.0, "large": 5.0}
PEOPLE_AT_DEFAULT = 50_000
STAFF_AT_DEFAULT = 4_200
BOROUGH_POPULATION = 320_000

Progress = Callable[[float, str], None]

# --------------------------------------------------------------------------- community structure

#: Census 2021 TS021 codes 1–19 and the synthetic population share of each (south-London-like).
CENSUS_SHARES = np.array(
    [0.015, 0.015, 0.030, 0.020, 0.035, 0.120, 0.075, 0.035, 0.012, 0.012,
     0.025, 0.020, 0.390, 0.020, 0.001, 0.003, 0.130, 0.007, 0.035]
)  # fmt: skip
CENSUS_SHARES = CENSUS_SHARES / CENSUS_SHARES.sum()
CENSUS_CODES = np.arange(1, 20)
#: NHS code each Census group is recorded under in services (Gypsy/Roma → C, Arab → S).
RECORDED_NHS_CODE = np.array(
    [
        c.nhs_code or ("C" if c.nhs_broad_group == ethnicity.WHITE else "S")
        for c in ethnicity.CENSUS_CATEGORIES
    ]
)
BROAD_OF_CENSUS = np.array([c.nhs_broad_group for c in ethnicity.CENSUS_CATEGORIES])


def _per_year_density(profile: str) -> np.ndarray:
    """Relative population density for each age 0–120 under a simple age profile."""
    ages = np.arange(121)
    table = {
        # (0-17, 18-44, 45-64, 65-79, 80-89, 90+)
        "young": (1.0, 1.25, 0.8, 0.35, 0.12, 0.03),
        "old": (0.8, 1.1, 1.0, 0.65, 0.3, 0.07),
        "mixed": (1.7, 1.1, 0.4, 0.1, 0.03, 0.01),
    }[profile]
    edges = np.array([18, 45, 65, 80, 90])
    density = np.array(table)[np.searchsorted(edges, ages, side="right")]
    density[ages > 100] = 0.0
    return density


def _age_band_weights(profile: str) -> np.ndarray:
    density = _per_year_density(profile)
    weights = np.array([density[low : high + 1].sum() for _, low, high, *_ in reference.AGE_BANDS])
    return weights / weights.sum()


AGE_PROFILE_OF_CENSUS = np.array(
    ["old" if code in (13, 14) else "mixed" if b == ethnicity.MIXED else "young"
     for code, b in zip(CENSUS_CODES, BROAD_OF_CENSUS, strict=True)]
)  # fmt: skip
AGE_LOWER = np.array([low for _, low, *_ in reference.AGE_BANDS])
AGE_UPPER = np.array([high for _, _, high, *_ in reference.AGE_BANDS])
BAND_NAMES = np.array(reference.AGE_BAND_NAMES)

#: Relative likelihood of being in contact with the trust at all, by Census group (1–19).
CONTACT_PROPENSITY = np.array(
    [0.7, 0.4, 0.6, 0.7, 0.6, 1.0, 1.5, 1.4, 1.2, 1.3, 1.5, 1.2, 1.0, 1.1, 1.2, 0.8, 0.7, 0.6, 0.9]
)

#: Detentions, CTOs and s136 per 100,000 population per year, by NHS broad group (before the shift).
DETENTION_RATE = {"White British": 64.0, "White other": 62.0, ethnicity.MIXED: 150.0, ethnicity.ASIAN: 80.0,
                  ethnicity.BLACK: 270.0, ethnicity.OTHER: 120.0}  # fmt: skip
CTO_RATE = {"White British": 7.0, "White other": 7.5, ethnicity.MIXED: 30.0, ethnicity.ASIAN: 12.0,
            ethnicity.BLACK: 72.0, ethnicity.OTHER: 15.0}  # fmt: skip
S136_RATE = {"White British": 40.0, "White other": 38.0, ethnicity.MIXED: 80.0, ethnicity.ASIAN: 30.0,
             ethnicity.BLACK: 120.0, ethnicity.OTHER: 45.0}  # fmt: skip
DETENTION_SHIFT_MONTH = np.datetime64("2024-10", "M")  # Black detentions fall by a fifth from here
RESTRAINT_SHIFT_MONTH = np.datetime64("2023-10", "M")  # physical restraint falls by a quarter from here
OUTREACH_MONTH = np.datetime64("2024-04", "M")  # Talking Therapies referrals of Black/Asian people rise

REFERRAL_SOURCES = np.array(["GP", "Self", "Police or criminal justice", "A&E", "Other"])

SERVICE_LINES = (
    "Community mental health",
    "Older adults",
    "Crisis and home treatment",
    "Talking Therapies",
    "Early intervention in psychosis",
    "Inpatient (acute)",
    "Forensic",
)
WARD_NAMES = ("Birch", "Cedar", "Hazel", "Willow", "Rowan", "Aspen", "Maple", "Juniper", "Elm", "Larch",
              "Alder", "Holly", "Linden", "Poplar", "Sorrel", "Thistle")  # fmt: skip


@dataclass(frozen=True)
class DemoBuild:
    """What a build produced, for the command line and tests."""

    scale: str
    seed: int
    row_counts: dict[str, int]
    seconds: float


# --------------------------------------------------------------------------- helpers


def _group_key(census_code: np.ndarray) -> np.ndarray:
    """Rate group used by the calibration tables: White British, White other, or the broad group."""
    broad = BROAD_OF_CENSUS[census_code - 1]
    return np.where(
        census_code == 13, "White British", np.where(broad == ethnicity.WHITE, "White other", broad)
    )


def _choose_rows(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """Vectorised categorical draw: one column index per row of a (rows × options) weight matrix."""
    cumulative = np.cumsum(weights, axis=1)
    cumulative /= cumulative[:, -1:]
    draws = rng.random((weights.shape[0], 1))
    return np.minimum((draws > cumulative).sum(axis=1), weights.shape[1] - 1)


def _month_weights(extra: np.ndarray | None = None) -> np.ndarray:
    """Seasonal pattern (winter high, August low) with a gentle upward trend."""
    month_of_year = (MONTHS.astype(int) % 12) + 1
    seasonal = 1 + 0.08 * np.cos(2 * np.pi * (month_of_year - 1) / 12)
    seasonal[month_of_year == 8] *= 0.9
    trend = 1 + 0.02 * np.arange(len(MONTHS)) / 12
    weights = seasonal * trend
    if extra is not None:
        weights = weights * extra
    return weights / weights.sum()


def _random_dates(rng: np.random.Generator, n: int, month_weights: np.ndarray) -> np.ndarray:
    """n dates (datetime64[D]) within the data period, months drawn with the given weights."""
    month_index = rng.choice(len(MONTHS), size=n, p=month_weights)
    starts = MONTHS[month_index].astype("datetime64[D]")
    lengths = ((MONTHS[month_index] + 1).astype("datetime64[D]") - starts).astype(int)
    return starts + (rng.random(n) * lengths).astype(int)


def _age_band_of(ages: np.ndarray) -> np.ndarray:
    ages = np.clip(ages, 0, 120)
    return BAND_NAMES[np.searchsorted(AGE_LOWER, ages, side="right") - 1]


def _dates_to_python(values: np.ndarray) -> list:
    return values.astype("datetime64[D]").tolist()


def _insert_frame(engine: Engine, table: Table, frame: pd.DataFrame, chunk: int = 20_000) -> None:
    """Bulk insert through SQLAlchemy Core (portable; values bound, never formatted into SQL)."""
    if frame.empty:
        return
    frame = frame[[c.name for c in table.columns if c.name in frame.columns]]
    plain = frame.astype(object).where(frame.notna(), None)
    records = plain.to_dict("records")
    with engine.begin() as connection:
        for start in range(0, len(records), chunk):
            connection.execute(insert(table), records[start : start + chunk])


# --------------------------------------------------------------------------- the build


class _Builder:
    def __init__(self, engine: Engine, scale: str, seed: int, boroughs: tuple[str, ...], trust_name: str):
        self.engine = engine
        self.scale_name = scale
        self.factor = SCALES[scale]
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.boroughs = boroughs
        self.trust_name = trust_name
        self.counts: dict[str, int] = {}

    def write(self, table: Table, frame: pd.DataFrame) -> None:
        _insert_frame(self.engine, table, frame)
        self.counts[table.name] = self.counts.get(table.name, 0) + len(frame)

    # ---- geography and population

    def areas(self) -> None:
        self.borough_names = geography.borough_names(self.boroughs)
        self.msoas = geography.msoas_for(self.boroughs)
        self.write(schema.area, geography.area_rows(self.boroughs, self.msoas))

    def population(self) -> None:
        rng = self.rng
        msoas = self.msoas
        n_msoa = len(msoas)
        lad_index = pd.Categorical(msoas["lad_code"], categories=list(self.boroughs)).codes
        borough_size = BOROUGH_POPULATION * rng.lognormal(0, 0.12, len(self.boroughs))
        per_msoa = (
            borough_size[lad_index] / np.bincount(lad_index)[lad_index] * rng.lognormal(0, 0.15, n_msoa)
        )
        # ethnic mix: each borough, then each MSOA, varies around the trust mix
        borough_mix = rng.dirichlet(CENSUS_SHARES * 200, len(self.boroughs))
        msoa_mix = np.vstack([rng.dirichlet(borough_mix[b] * 120) for b in lad_index])
        self.msoa_imd = np.clip(np.round(rng.normal(4.5, 2.2, n_msoa)), 1, 10).astype(int)

        age_weights = {p: _age_band_weights(p) for p in ("young", "old", "mixed")}
        cells = []
        for sex, sex_share in (("M", 0.49), ("F", 0.51)):
            for g, census_code in enumerate(CENSUS_CODES):
                ages = age_weights[AGE_PROFILE_OF_CENSUS[g]]
                counts = np.outer(per_msoa * msoa_mix[:, g] * sex_share * self.factor, ages)
                counts = rng.poisson(counts)
                cells.append(
                    pd.DataFrame(
                        {
                            "area_code": np.repeat(msoas["code"].to_numpy(), len(ages)),
                            "msoa_index": np.repeat(np.arange(n_msoa), len(ages)),
                            "census_ethnic_group": census_code,
                            "sex": sex,
                            "age_band": np.tile(BAND_NAMES, n_msoa),
                            "band_index": np.tile(np.arange(len(ages)), n_msoa),
                            "count": counts.ravel(),
                        }
                    )
                )
        population = pd.concat(cells, ignore_index=True)
        population["source"] = "synthetic age and sex split (demo)"
        self.population_cells = population[population["count"] > 0].reset_index(drop=True)
        self.write(schema.population_age_sex, self.population_cells)
        totals = self.population_cells.groupby(["area_code", "census_ethnic_group"], as_index=False)[
            "count"
        ].sum()
        totals["source"] = "synthetic (Census 2021 TS021 categories)"
        self.write(schema.population, totals)

    # ---- services

    def teams(self) -> None:
        rows = []
        ward_names = iter(WARD_NAMES * 4)
        for code, name in self.borough_names.items():
            rows += [
                (f"{name} North Community Mental Health Team", "Community mental health", "community", code, None),
                (f"{name} South Community Mental Health Team", "Community mental health", "community", code, None),
                (f"{name} Older Adults Community Team", "Older adults", "community", code, None),
                (f"{name} Crisis and Home Treatment Team", "Crisis and home treatment", "community", code, None),
                (f"{name} Talking Therapies", "Talking Therapies", "community", code, None),
                (f"{name} Early Intervention in Psychosis", "Early intervention in psychosis", "community", code,
                 None),
                (f"{next(ward_names)} Ward ({name})", "Inpatient (acute)", "inpatient", code, 18),
                (f"{next(ward_names)} Ward ({name})", "Inpatient (acute)", "inpatient", code, 18),
            ]  # fmt: skip
        base = self.boroughs[0]
        rows += [
            ("Psychiatric Intensive Care Unit", "Inpatient (acute)", "inpatient", base, 12),
            (f"{next(ward_names)} Ward (forensic)", "Forensic", "inpatient", base, 15),
            (f"{next(ward_names)} Ward (forensic)", "Forensic", "inpatient", base, 15),
            ("Community Forensic Team", "Forensic", "community", base, None),
        ]
        frame = pd.DataFrame(rows, columns=["name", "service_line", "setting", "lad_code", "beds"])
        frame.insert(0, "id", np.arange(1, len(frame) + 1))
        frame["beds"] = frame["beds"].astype("Int64")
        self.team_frame = frame
        # ethnicity recording is worse in crisis teams and the PICU
        self.team_missing_rate = np.where(
            frame["service_line"].eq("Crisis and home treatment")
            | frame["name"].str.startswith("Psychiatric"),
            0.24,
            0.07,
        )
        self.write(schema.team, frame)

    def _team_for(self, line: str, borough_idx: np.ndarray, setting: str | None = None) -> np.ndarray:
        """Pick a team of a service line in each person's borough (10% elsewhere)."""
        teams = self.team_frame
        chosen = np.empty(len(borough_idx), dtype=int)
        mask = teams["service_line"].eq(line)
        if setting:
            mask &= teams["setting"].eq(setting)
        candidates = teams[mask]
        if line in ("Forensic",) or candidates["lad_code"].nunique() == 1:
            return self.rng.choice(candidates["id"].to_numpy(), size=len(borough_idx))
        elsewhere = self.rng.random(len(borough_idx)) < 0.1
        effective = np.where(
            elsewhere, self.rng.integers(0, len(self.boroughs), len(borough_idx)), borough_idx
        )
        for b, code in enumerate(self.boroughs):
            ids = candidates.loc[candidates["lad_code"].eq(code), "id"].to_numpy()
            where = effective == b
            chosen[where] = self.rng.choice(ids, size=where.sum())
        return chosen

    def people(self) -> None:
        rng = self.rng
        cells = self.population_cells
        n = max(200, round(PEOPLE_AT_DEFAULT * self.factor))
        band_idx = cells["band_index"].to_numpy()
        age_factor = np.where(band_idx <= 3, 0.25, np.where(band_idx >= 15, 0.9, 1.0))
        imd = self.msoa_imd[cells["msoa_index"].to_numpy()]
        weights = (
            cells["count"].to_numpy()
            * CONTACT_PROPENSITY[cells["census_ethnic_group"].to_numpy() - 1]
            * age_factor
            * np.where(cells["sex"].to_numpy() == "M", 0.95, 1.05)
            * (1 + 0.06 * (6 - imd))
        )
        pick = rng.choice(len(cells), size=n, p=weights / weights.sum())
        chosen = cells.iloc[pick]
        census_code = chosen["census_ethnic_group"].to_numpy()
        band = chosen["band_index"].to_numpy()
        age_mid = AGE_LOWER[band] + rng.random(n) * (np.minimum(AGE_UPPER[band], 100) - AGE_LOWER[band] + 1)
        self.person_birth_year = (2023 - np.floor(age_mid)).astype(int)
        self.person_group = _group_key(census_code)
        self.person_broad = BROAD_OF_CENSUS[census_code - 1]
        msoa_index = chosen["msoa_index"].to_numpy()
        self.person_msoa = self.msoas["code"].to_numpy()[msoa_index]
        self.person_borough_idx = pd.Categorical(
            self.msoas["lad_code"].to_numpy()[msoa_index], categories=list(self.boroughs)
        ).codes.astype(int)
        self.person_imd = np.clip(self.msoa_imd[msoa_index] + rng.integers(-1, 2, n), 1, 10)
        self.person_sex = chosen["sex"].to_numpy().copy()
        self.person_sex[rng.random(n) < 0.004] = "X"
        self.n_people = n

        language, interpreter = self._languages(census_code)
        self.person_interpreter = interpreter
        # the team a person first meets decides how well their ethnicity is recorded
        self.person_home_line = self._service_line_weights(np.arange(n), np.full(n, 2023))
        home_team = np.empty(n, dtype=int)
        for line_idx, line in enumerate(SERVICE_LINES):
            where = self.person_home_line == line_idx
            if where.any():
                home_team[where] = self._team_for(line, self.person_borough_idx[where])
        missing = rng.random(n) < self.team_missing_rate[home_team - 1]
        recorded = RECORDED_NHS_CODE[census_code - 1].astype(object)
        recorded[missing] = np.where(rng.random(missing.sum()) < 0.5, "Z", "99")
        self.person_recorded = recorded

        frame = pd.DataFrame(
            {
                "id": np.arange(1, n + 1),
                "ethnic_category": recorded,
                "sex": self.person_sex,
                "birth_year": self.person_birth_year,
                "religion": self._religions(census_code),
                "sexual_orientation": rng.choice(
                    ["Heterosexual", "Gay or lesbian", "Bisexual", "Other", "Not stated"],
                    size=n,
                    p=[0.86, 0.03, 0.025, 0.005, 0.08],
                ),
                "disability": rng.choice(["Yes", "No", "Not known"], size=n, p=[0.27, 0.58, 0.15]),
                "first_language": language,
                "interpreter_needed": interpreter,
                "msoa_code": self.person_msoa,
                "lad_code": np.array(self.boroughs)[self.person_borough_idx],
                "imd_decile": self.person_imd,
            }
        )
        self.write(schema.person, frame)

    def _languages(self, census_code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rng = self.rng
        n = len(census_code)
        language = np.full(n, "English", dtype=object)
        options = {
            17: (["Polish", "Romanian", "Portuguese", "Lithuanian", "Spanish", "Bulgarian"], 0.55),
            16: (["Romanian", "Romani", "Slovak"], 0.8),
            4: (["Urdu", "Punjabi"], 0.35),
            1: (["Bengali", "Sylheti"], 0.45),
            2: (["Cantonese", "Mandarin"], 0.5),
            6: (["Somali", "Yoruba", "Twi", "Tigrinya", "Arabic"], 0.3),
            3: (["Gujarati", "Punjabi", "Tamil"], 0.25),
            5: (["Tamil", "Tagalog", "Nepali"], 0.35),
            18: (["Arabic"], 0.5),
            19: (["Spanish", "Portuguese", "Turkish", "Kurdish"], 0.35),
        }
        for code, (languages, share) in options.items():
            where = np.flatnonzero((census_code == code) & (rng.random(n) < share))
            language[where] = rng.choice(languages, size=len(where))
        interpreter = (language != "English") & (rng.random(n) < 0.3)
        return language, interpreter

    def _religions(self, census_code: np.ndarray) -> np.ndarray:
        rng = self.rng
        n = len(census_code)
        religions = np.array(["Christian", "Muslim", "Hindu", "Sikh", "Jewish", "Buddhist", "Other",
                              "No religion", "Not stated"])  # fmt: skip
        default = [0.42, 0.04, 0.01, 0.005, 0.01, 0.01, 0.015, 0.41, 0.08]
        by_code = {
            1: [0.02, 0.9, 0.01, 0, 0, 0, 0.01, 0.03, 0.03],
            4: [0.02, 0.9, 0.01, 0, 0, 0, 0.01, 0.03, 0.03],
            3: [0.08, 0.12, 0.45, 0.22, 0, 0.01, 0.02, 0.05, 0.05],
            6: [0.72, 0.2, 0, 0, 0, 0, 0.01, 0.04, 0.03],
            7: [0.68, 0.02, 0, 0, 0, 0, 0.03, 0.22, 0.05],
            18: [0.1, 0.8, 0, 0, 0, 0, 0.02, 0.04, 0.04],
            2: [0.2, 0.01, 0, 0, 0, 0.15, 0.02, 0.57, 0.05],
        }
        weights = np.tile(default, (n, 1))
        for code, probs in by_code.items():
            weights[census_code == code] = probs
        return religions[_choose_rows(rng, weights)]

    def _service_line_weights(self, person_idx: np.ndarray, year: np.ndarray) -> np.ndarray:
        """Draw a service line per referral from age- and group-dependent weights."""
        age = year - self.person_birth_year[person_idx]
        broad = self.person_broad[person_idx]
        group = self.person_group[person_idx]
        n = len(person_idx)
        # columns follow SERVICE_LINES
        weights = np.tile([0.25, 0.0, 0.15, 0.45, 0.0, 0.045, 0.01], (n, 1)).astype(float)
        older = age >= 65
        weights[older] = [0.12, 0.55, 0.13, 0.15, 0.0, 0.05, 0.0]
        young = (age >= 14) & (age <= 35)
        weights[young, 4] = 0.06
        black = broad == ethnicity.BLACK
        weights[black, 4] *= 1.7
        tt_factor = np.select(
            [
                black,
                broad == ethnicity.ASIAN,
                broad == ethnicity.OTHER,
                group == "White other",
                broad == "Mixed",
            ],
            [0.55, 0.6, 0.55, 0.7, 0.85],
            1.0,
        )
        weights[:, 3] *= tt_factor
        weights[:, 2] *= np.where(black, 1.6, np.where(broad == ethnicity.MIXED, 1.3, 1.0))
        weights[:, 5] *= np.where(black, 2.0, 1.0)
        weights[:, 6] *= np.where(black, 2.5, 1.0)
        return _choose_rows(self.rng, weights)

    def referrals(self) -> None:
        rng = self.rng
        per_person = 1 + rng.poisson(2.0, self.n_people)
        person_idx = np.repeat(np.arange(self.n_people), per_person)
        n = len(person_idx)
        line_idx = self._service_line_weights(person_idx, np.full(n, 2023))
        broad = self.person_broad[person_idx]
        # dates: seasonal; Talking Therapies referrals of Black and Asian people step up from April 2024
        received = np.empty(n, dtype="datetime64[D]")
        outreach = (line_idx == 3) & np.isin(broad, [ethnicity.BLACK, ethnicity.ASIAN])
        received[~outreach] = _random_dates(rng, (~outreach).sum(), _month_weights())
        received[outreach] = _random_dates(rng, outreach.sum(), _month_weights(np.where(MONTHS >= OUTREACH_MONTH,
                                                                                         1.45, 1.0)))  # fmt: skip
        year = received.astype("datetime64[Y]").astype(int) + 1970
        team_id = np.empty(n, dtype=int)
        for i, line in enumerate(SERVICE_LINES):
            where = line_idx == i
            if where.any():
                setting = "inpatient" if line == "Inpatient (acute)" else None
                team_id[where] = self._team_for(line, self.person_borough_idx[person_idx[where]], setting)
        line_name = np.array(SERVICE_LINES)[line_idx]

        source = self._referral_sources(line_name, broad)
        black = broad == ethnicity.BLACK
        interpreter = self.person_interpreter[person_idx]
        accepted = rng.random(n) < np.where(line_name == "Talking Therapies", 0.92, 0.87) * np.where(
            interpreter, 0.92, 1.0
        )
        median_wait = pd.Series(line_name).map(
            {"Talking Therapies": 21, "Community mental health": 28, "Older adults": 24, "Crisis and home treatment": 1,
             "Early intervention in psychosis": 10, "Inpatient (acute)": 0, "Forensic": 30}
        ).to_numpy(dtype=float)  # fmt: skip
        wait_factor = (
            np.where(interpreter, 1.45, 1.0)
            * np.where(broad == ethnicity.ASIAN, 1.15, 1.0)
            * np.where(black & (line_name == "Community mental health"), 1.12, 1.0)
        )
        wait = np.round(rng.gamma(2.0, median_wait * wait_factor / 1.68)).astype(int)
        never_seen = rng.random(n) < 0.05
        seen = accepted & ~never_seen
        first_contact = np.where(seen, received + wait, np.datetime64("NaT"))

        age = year - self.person_birth_year[person_idx]
        dna_p = (
            0.09
            * np.select([black, broad == ethnicity.MIXED], [1.5, 1.4], 1.0)
            * np.where((age >= 18) & (age <= 24), 1.3, 1.0)
            * np.where(self.person_imd[person_idx] <= 2, 1.2, 1.0)
        )
        mean_contacts = pd.Series(line_name).map(
            {"Talking Therapies": 7, "Community mental health": 10, "Older adults": 8, "Crisis and home treatment": 5,
             "Early intervention in psychosis": 15, "Inpatient (acute)": 20, "Forensic": 12}
        ).to_numpy(dtype=float)  # fmt: skip
        booked = np.where(seen, 1 + rng.poisson(mean_contacts), 0)
        dna = rng.binomial(booked, np.clip(dna_p, 0, 0.9))
        attended = booked - dna
        dropout_p = (
            0.11
            * np.select([black, broad == ethnicity.ASIAN, broad == ethnicity.MIXED], [1.6, 1.4, 1.3], 1.0)
            * np.where((age >= 18) & (age <= 24), 1.2, 1.0)
        )
        dropout = seen & (rng.random(n) < dropout_p)
        attended = np.where(dropout, np.minimum(attended, rng.integers(0, 2, n)), attended)
        duration = pd.Series(line_name).map(
            {"Talking Therapies": 100, "Community mental health": 320, "Older adults": 260,
             "Crisis and home treatment": 30, "Early intervention in psychosis": 700, "Inpatient (acute)": 35,
             "Forensic": 500}
        ).to_numpy(dtype=float)  # fmt: skip
        discharge = np.where(
            seen,
            first_contact
            + np.round(rng.gamma(2.0, np.where(dropout, 20.0, duration / 2))).astype("timedelta64[D]"),
            received + rng.integers(3, 30, n).astype("timedelta64[D]"),
        )
        reason = np.select(
            [~accepted, never_seen & accepted, dropout],
            ["Referral not accepted", "Did not attend", "Discharged before treatment"],
            "Treatment completed",
        ).astype(object)
        still_open = discharge > np.datetime64(DATA_END)
        discharge = np.where(still_open, np.datetime64("NaT"), discharge)
        reason[still_open] = None

        frame = pd.DataFrame(
            {
                "id": np.arange(1, n + 1),
                "person_id": person_idx + 1,
                "team_id": team_id,
                "received_date": _dates_to_python(received),
                "age_band": _age_band_of(age),
                "source": source,
                "accepted": accepted,
                "first_contact_date": _dates_to_python(first_contact),
                "discharge_date": _dates_to_python(discharge),
                "discharge_reason": reason,
                "attended_count": attended,
                "dna_count": dna,
            }
        )
        self.referral_arrays = {
            "person_idx": person_idx,
            "line": line_name,
            "team_id": team_id,
            "discharge": discharge,
            "reason": reason,
            "attended": attended,
            "age_band": frame["age_band"].to_numpy(),
        }
        self.write(schema.referral, frame)

    def _referral_sources(self, line_name: np.ndarray, broad: np.ndarray) -> np.ndarray:
        n = len(line_name)
        # columns follow REFERRAL_SOURCES: GP, Self, Police or criminal justice, A&E, Other
        weights = np.tile([0.65, 0.05, 0.05, 0.10, 0.15], (n, 1)).astype(float)
        weights[line_name == "Talking Therapies"] = [0.40, 0.55, 0.0, 0.0, 0.05]
        weights[line_name == "Crisis and home treatment"] = [0.25, 0.10, 0.20, 0.35, 0.10]
        weights[line_name == "Inpatient (acute)"] = [0.10, 0.0, 0.30, 0.30, 0.30]
        weights[line_name == "Forensic"] = [0.02, 0.0, 0.80, 0.03, 0.15]
        black = broad == ethnicity.BLACK
        weights[black, 2] *= 2.3
        weights[black, 0] *= 0.75
        weights[broad == ethnicity.MIXED, 2] *= 1.5
        return REFERRAL_SOURCES[_choose_rows(self.rng, weights)]

    # ---- Mental Health Act and restrictive practice

    def _sample_people_for_rate(
        self,
        rates: dict[str, float],
        months_extra: Callable[[str], np.ndarray | None],
        age_weight: Callable[[np.ndarray], np.ndarray],
    ) -> tuple[np.ndarray, np.ndarray]:
        """Draw (person index, date) pairs so each group's count matches rate × its population."""  # fmt: skip
        rng = self.rng
        cells = self.population_cells
        pop_group = _group_key(cells["census_ethnic_group"].to_numpy())
        persons, dates = [], []
        years = len(MONTHS) / 12
        person_age = 2023 - self.person_birth_year
        weights_all = age_weight(person_age) * np.where(self.person_sex == "M", 1.3, 1.0)
        for group, rate in rates.items():
            population = cells.loc[pop_group == group, "count"].sum()
            expected = rate * population / 100_000 * years
            pool = np.flatnonzero(self.person_group == group)
            if len(pool) == 0 or expected <= 0:
                continue
            extra = months_extra(group)
            if extra is not None:  # a shift lowers the count after it rather than moving events around
                expected *= float((_month_weights() * extra).sum())
            count = rng.poisson(expected)
            month_w = _month_weights(extra)
            w = weights_all[pool]
            persons.append(rng.choice(pool, size=count, p=w / w.sum()))
            dates.append(_random_dates(rng, count, month_w))
        return np.concatenate(persons), np.concatenate(dates)

    def mha(self) -> None:
        rng = self.rng

        def adult_weight(age: np.ndarray) -> np.ndarray:
            return np.select([age < 16, age < 18, age < 65], [0.02, 0.3, 1.0], 0.45)

        def no_shift(_group: str) -> None:
            return None

        def detention_shift(group: str) -> np.ndarray | None:
            return np.where(MONTHS >= DETENTION_SHIFT_MONTH, 0.8, 1.0) if group == ethnicity.BLACK else None

        parts = []
        # detentions
        person_idx, start = self._sample_people_for_rate(DETENTION_RATE, detention_shift, adult_weight)
        n = len(person_idx)
        black = self.person_broad[person_idx] == ethnicity.BLACK
        # MHSDS legal status codes: 10 is section 37 (09 with section 41 restrictions), 02 and 03 sections 2, 3
        part_three = rng.random(n) < np.where(black, 0.10, 0.07)
        restricted = np.random.default_rng(self.seed + 1).random(n) < 0.3  # own stream: the rest stays seeded
        status = np.where(part_three, np.where(restricted, "09", "10"),
                          np.where(rng.random(n) < 0.58, "02", "03"))  # fmt: skip
        length = np.select(
            [status == "02", status == "03"],
            [np.minimum(rng.gamma(2.0, 10.0, n), 28), rng.gamma(2.0, 38.0 * np.where(black, 1.25, 1.0))],
            rng.gamma(2.0, 125.0, n),
        )
        ward = np.where(
            part_three,
            self._team_for("Forensic", np.zeros(n, dtype=int), "inpatient"),
            self._team_for("Inpatient (acute)", self.person_borough_idx[person_idx], "inpatient"),
        )
        parts.append((person_idx, start, status, length, ward))
        self.detentions = (person_idx, start, start + np.round(length).astype("timedelta64[D]"), ward)

        # CTOs
        person_idx, start = self._sample_people_for_rate(CTO_RATE, no_shift, adult_weight)
        n = len(person_idx)
        team = self._team_for("Community mental health", self.person_borough_idx[person_idx])
        parts.append((person_idx, start, np.full(n, reference.CTO_CODE), rng.gamma(2.0, 120.0, n), team))

        # s136 (police) and s135, then short-term holding powers
        person_idx, start = self._sample_people_for_rate(S136_RATE, no_shift, adult_weight)
        n = len(person_idx)
        team = self._team_for("Crisis and home treatment", self.person_borough_idx[person_idx])
        status = np.where(rng.random(n) < 0.06, "19", "20")
        parts.append((person_idx, start, status, rng.random(n) * 1.5, team))
        short = {g: r * 0.25 for g, r in DETENTION_RATE.items()}
        person_idx, start = self._sample_people_for_rate(short, no_shift, adult_weight)
        n = len(person_idx)
        team = self._team_for("Inpatient (acute)", self.person_borough_idx[person_idx], "inpatient")
        status = rng.choice(["05", "06", "04"], size=n, p=[0.7, 0.2, 0.1])
        parts.append((person_idx, start, status, rng.random(n) * 3, team))

        person_idx = np.concatenate([p[0] for p in parts])
        start = np.concatenate([p[1] for p in parts])
        status = np.concatenate([p[2] for p in parts])
        end = start + np.round(np.concatenate([p[3] for p in parts])).astype("timedelta64[D]")
        team = np.concatenate([p[4] for p in parts])
        end = np.where(end > np.datetime64(DATA_END), np.datetime64("NaT"), end)
        age = start.astype("datetime64[Y]").astype(int) + 1970 - self.person_birth_year[person_idx]
        order = np.argsort(start, kind="stable")
        frame = pd.DataFrame(
            {
                "id": np.arange(1, len(order) + 1),
                "person_id": person_idx[order] + 1,
                "team_id": team[order],
                "legal_status": status[order],
                "start_date": _dates_to_python(start[order]),
                "end_date": _dates_to_python(end[order]),
                "age_band": _age_band_of(age[order]),
            }
        )
        self.write(schema.mha_episode, frame)

    def restrictive_interventions(self) -> None:
        rng = self.rng
        person_idx, start, end, ward = self.detentions
        broad = self.person_broad[person_idx]
        p_any = np.select([broad == ethnicity.BLACK, broad == ethnicity.MIXED], [0.40, 0.42], 0.27)
        subject = rng.random(len(person_idx)) < p_any
        incidents = np.where(subject, 1 + rng.poisson(np.where(broad == ethnicity.BLACK, 2.2, 1.5)), 0)
        episode = np.repeat(np.arange(len(person_idx)), incidents)
        span = np.clip((np.minimum(end, start + 60) - start).astype(int), 1, None)[episode]
        day = start[episode] + (rng.random(len(episode)) * span).astype(int)
        kinds = np.array(["physical", "rapid_tranquillisation", "seclusion", "segregation", "mechanical"])
        kind = kinds[rng.choice(len(kinds), size=len(episode), p=[0.5, 0.25, 0.15, 0.05, 0.05])]
        # a restraint-reduction programme from October 2023 removes a quarter of physical restraints
        dropped = (kind == "physical") & (day.astype("datetime64[M]") >= RESTRAINT_SHIFT_MONTH)
        dropped &= rng.random(len(episode)) < 0.25
        keep = ~dropped & (day <= np.datetime64(DATA_END))
        episode, day, kind = episode[keep], day[keep], kind[keep]
        who = person_idx[episode]
        prone = (kind == "physical") & (
            rng.random(len(episode)) < np.where(broad[episode] == ethnicity.BLACK, 0.2, 0.14)
        )
        age = day.astype("datetime64[Y]").astype(int) + 1970 - self.person_birth_year[who]
        order = np.argsort(day, kind="stable")
        frame = pd.DataFrame(
            {
                "id": np.arange(1, len(order) + 1),
                "person_id": who[order] + 1,
                "team_id": ward[episode][order],
                "date": _dates_to_python(day[order]),
                "type": kind[order],
                "prone": prone[order],
                "age_band": _age_band_of(age[order]),
            }
        )
        self.write(schema.restrictive_intervention, frame)

    def bed_days(self) -> None:
        wards = self.team_frame[self.team_frame["setting"].eq("inpatient")]
        rows = []
        for _, ward in wards.iterrows():
            for month in MONTHS:
                days = int(((month + 1).astype("datetime64[D]") - month.astype("datetime64[D]")).astype(int))
                occupancy = min(1.0, self.rng.normal(0.92, 0.04))
                rows.append((int(ward["id"]), month.astype("datetime64[D]").tolist(),
                             round(int(ward["beds"]) * days * occupancy)))  # fmt: skip
        self.write(
            schema.bed_day, pd.DataFrame(rows, columns=["team_id", "month_start", "occupied_bed_days"])
        )

    # ---- outcomes and experience

    def outcomes(self) -> None:
        rng = self.rng
        r = self.referral_arrays
        finished = (
            (r["line"] == "Talking Therapies")
            & (r["reason"] == "Treatment completed")
            & (r["attended"] >= 2)
            & ~np.isnat(r["discharge"])
        )
        idx = np.flatnonzero(finished)
        person_idx = r["person_idx"][idx]
        group = self.person_group[person_idx]
        broad = self.person_broad[person_idx]
        n = len(idx)
        caseness = rng.random(n) < 0.9
        p_recover = np.select(
            [group == "White British", group == "White other", broad == ethnicity.MIXED, broad == ethnicity.ASIAN,
             broad == ethnicity.BLACK],
            [0.52, 0.45, 0.46, 0.42, 0.41],
            0.40,
        )  # fmt: skip
        recovered = caseness & (rng.random(n) < p_recover)
        minority = group != "White British"
        improved = np.where(recovered, rng.random(n) < 0.92, rng.random(n) < np.where(minority, 0.45, 0.5))
        deteriorated = ~improved & (rng.random(n) < np.where(minority, 0.09, 0.065))
        frame = pd.DataFrame(
            {
                "id": np.arange(1, n + 1),
                "person_id": person_idx + 1,
                "referral_id": idx + 1,
                "team_id": r["team_id"][idx],
                "end_date": _dates_to_python(r["discharge"][idx]),
                "measure": "PHQ-9/GAD-7",
                "caseness_at_start": caseness,
                "recovered": recovered,
                "reliable_improvement": improved,
                "reliable_deterioration": deteriorated,
            }
        )
        self.write(schema.outcome, frame)

    PATIENT_QUESTIONS = (
        "I felt listened to",
        "I was treated with dignity and respect",
        "Staff understood my culture and background",
        "I was involved in decisions about my care",
        "I knew how to get help in a crisis",
        "I would recommend this service to friends and family",
    )
    CARER_QUESTIONS = (
        "I felt involved as a carer",
        "Staff understood our family's culture and background",
        "I would recommend this service to friends and family",
    )

    def feedback(self) -> None:
        rng = self.rng
        r = self.referral_arrays
        respondents = rng.choice(len(r["person_idx"]), size=round(0.2 * self.n_people), replace=False)
        carer = rng.random(len(respondents)) < 0.25
        frames = []
        for is_carer, questions in ((False, self.PATIENT_QUESTIONS), (True, self.CARER_QUESTIONS)):
            chosen = respondents[carer == is_carer]
            person_idx = r["person_idx"][chosen]
            broad = self.person_broad[person_idx]
            when = _random_dates(rng, len(chosen), _month_weights())
            for question in questions:
                base = 0.82
                if "culture" in question:
                    base_p = np.select([broad == ethnicity.BLACK, broad == ethnicity.ASIAN, broad == ethnicity.OTHER],
                                       [0.58, 0.62, 0.64], 0.8)  # fmt: skip
                elif question == "I felt listened to":
                    base_p = np.where(broad == ethnicity.BLACK, 0.7, base)
                else:
                    base_p = np.where(np.isin(broad, [ethnicity.BLACK, ethnicity.MIXED]), base - 0.06, base)
                positive = rng.random(len(chosen)) < base_p
                score = np.where(positive, rng.integers(4, 6, len(chosen)), rng.integers(1, 4, len(chosen)))
                frames.append(
                    pd.DataFrame(
                        {
                            "respondent_type": "carer" if is_carer else "patient",
                            "ethnic_category": self.person_recorded[person_idx],
                            "team_id": r["team_id"][chosen],
                            "date": _dates_to_python(when),
                            "question": question,
                            "score": score,
                            "positive": positive,
                        }
                    )
                )
        frame = pd.concat(frames, ignore_index=True)
        frame.insert(0, "id", np.arange(1, len(frame) + 1))
        self.write(schema.feedback, frame)

        actions = [
            ("Culture and identity", "Staff did not understand my culture or faith.",
             "Cultural competence training co-designed with local faith and community groups; 60% of staff "
             "trained so far."),
            ("Interpreters", "I waited longer because an interpreter was not booked.",
             "Interpreter booking added to the referral form; waits for people needing an interpreter are "
             "now reported monthly."),
            ("Crisis care", "The police brought me in; I did not know where else to go.",
             "A crisis café run with a Black-led community organisation opened in the evenings."),
            ("Carers", "As a carer I was not told what was happening.",
             "Carer contact agreed at admission and reviewed weekly on every ward."),
            ("Restraint", "I was restrained and nobody explained why.",
             "Every restraint is followed by a debrief offered within 72 hours, with an advocate."),
            ("Food and faith", "There was no halal or Caribbean food on the ward.",
             "Menus reviewed with patients; culturally appropriate meals on every ward."),
        ]  # fmt: skip
        wards = self.team_frame.loc[self.team_frame["setting"].eq("inpatient"), "id"].to_numpy()
        frame = pd.DataFrame(
            {
                "id": np.arange(1, len(actions) + 1),
                "team_id": [int(wards[i % len(wards)]) if i % 2 else None for i in range(len(actions))],
                "date": [date(2022 + i % 4, 1 + (3 * i) % 12, 15) for i in range(len(actions))],
                "theme": [a[0] for a in actions],
                "you_said": [a[1] for a in actions],
                "we_did": [a[2] for a in actions],
            }
        )
        frame["team_id"] = frame["team_id"].astype("Int64")
        self.write(schema.feedback_action, frame)

    # ---- workforce

    BANDS = ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9", "VSM",
             "Medical: Consultant", "Medical: SAS doctor", "Medical: Doctor in training")  # fmt: skip
    BAND_SHARE = np.array([0.003, 0.12, 0.14, 0.10, 0.16, 0.17, 0.12, 0.05, 0.025, 0.012, 0.006, 0.003, 0.003,
                           0.03, 0.012, 0.035])  # fmt: skip
    BAND_BME = np.array([0.62, 0.6, 0.57, 0.53, 0.55, 0.47, 0.37, 0.29, 0.23, 0.19, 0.14, 0.12, 0.10,
                         0.42, 0.6, 0.5])  # fmt: skip

    def staff(self) -> None:
        rng = self.rng
        headcount = max(150, round(STAFF_AT_DEFAULT * self.factor))
        bme_codes = np.array(["N", "M", "P", "H", "J", "K", "L", "D", "E", "F", "G", "R", "S"])
        bme_p = np.array([0.35, 0.18, 0.05, 0.10, 0.04, 0.02, 0.08, 0.03, 0.025, 0.025, 0.02, 0.03, 0.05])
        white_codes, white_p = np.array(["A", "B", "C"]), np.array([0.70, 0.06, 0.24])

        # a pool of staff with start and leaving years; 11% leave each year and are replaced
        first_year, last_year = 2022, 2026
        total = round(headcount * (1 + 0.11 * (last_year - first_year)))
        band_idx = rng.choice(len(self.BANDS), size=total, p=self.BAND_SHARE / self.BAND_SHARE.sum())
        start_year = np.where(
            np.arange(total) < headcount, 2000, rng.integers(first_year, last_year + 1, total)
        )
        leave_year = np.where(
            start_year == 2000,
            np.where(rng.random(total) < 0.45, rng.integers(first_year, last_year + 2, total), 9999),
            9999,
        )
        # newer hires to senior bands are a little more diverse (slow progress over time)
        progress = np.clip(start_year - 2021, 0, None) * 0.012 * (band_idx >= 7)
        bme = rng.random(total) < self.BAND_BME[band_idx] + progress
        code = np.where(bme, rng.choice(bme_codes, size=total, p=bme_p / bme_p.sum()),
                        rng.choice(white_codes, size=total, p=white_p))  # fmt: skip
        unknown = rng.random(total) < 0.05
        code = np.where(unknown, np.where(rng.random(total) < 0.5, "Z", "99"), code)
        band = np.array(self.BANDS)[band_idx]
        medical = np.char.startswith(band.astype(str), "Medical")
        clinical = (
            medical
            | ((band_idx >= 4) & (band_idx <= 10) & (rng.random(total) < 0.8))
            | ((band_idx <= 3) & (rng.random(total) < 0.5))
        )
        clinical &= band != "VSM"
        staff_group = np.where(
            medical,
            "Medical and dental",
            np.where(
                clinical,
                rng.choice(["Nursing and midwifery", "Allied health professionals", "Psychology and therapies"],
                           size=total, p=[0.6, 0.2, 0.2]),
                rng.choice(["Administrative and clerical", "Estates and ancillary"], size=total, p=[0.8, 0.2]),
            ),
        )  # fmt: skip
        teams = self.team_frame
        team_weight = np.where(teams["setting"].eq("inpatient"), 3.0, 1.0)
        team_id = rng.choice(teams["id"].to_numpy(), size=total, p=team_weight / team_weight.sum())
        corporate = ~clinical & (rng.random(total) < 0.6) | (band == "VSM")
        team_lad = teams.set_index("id")["lad_code"]
        work_lad = np.where(corporate, self.boroughs[0], team_lad.loc[team_id].to_numpy())
        # health-inequalities champions: a few clinical staff in about two teams in three
        teams_with_champions = rng.choice(teams["id"].to_numpy(), size=max(1, round(len(teams) * 0.65)),
                                          replace=False)  # fmt: skip
        champion = ~corporate & clinical & np.isin(team_id, teams_with_champions) & (rng.random(total) < 0.06)
        age_band = rng.choice(["20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64",
                               "65-69"], size=total, p=[0.06, 0.12, 0.13, 0.13, 0.13, 0.12, 0.12, 0.1, 0.07, 0.02])  # fmt: skip
        sex = np.where(rng.random(total) < 0.72, "F", "M")
        disability = rng.choice(["Yes", "No", "Not known"], size=total, p=[0.065, 0.8, 0.135])

        # the board: executives (VSM) and non-executive directors; 2 of 13 from BME groups
        board_n = 13
        board_codes = np.array(["A"] * 8 + ["C", "B", "A", "N", "H"])
        rows = []
        for snapshot in SNAPSHOT_DATES:
            year = snapshot.year
            employed = (start_year <= year) & (leave_year > year)
            frame = pd.DataFrame(
                {
                    "staff_id": np.flatnonzero(employed) + 1,
                    "snapshot_date": snapshot,
                    "ethnic_category": code[employed],
                    "sex": sex[employed],
                    "age_band": age_band[employed],
                    "disability": disability[employed],
                    "pay_band": band[employed],
                    "staff_group": staff_group[employed],
                    "clinical": clinical[employed],
                    "team_id": np.where(corporate[employed], None, team_id[employed]),
                    "work_lad_code": work_lad[employed],
                    "board_member": False,
                    "board_voting": False,
                    "executive": False,
                    "hi_champion": champion[employed],
                }
            )
            board = pd.DataFrame(
                {
                    "staff_id": np.arange(total + 1, total + board_n + 1),
                    "snapshot_date": snapshot,
                    "ethnic_category": board_codes,
                    "sex": np.where(np.arange(board_n) % 2 == 0, "F", "M"),
                    "age_band": "55-59",
                    "disability": "No",
                    "pay_band": ["VSM"] * 6 + ["Non-executive director"] * 7,
                    "staff_group": "Board",
                    "clinical": False,
                    "team_id": None,
                    "work_lad_code": self.boroughs[0],
                    "board_member": True,
                    "board_voting": [True] * 4 + [False] * 2 + [True] * 7,
                    "executive": [True] * 6 + [False] * 7,
                    "hi_champion": False,
                }
            )
            rows.append(frame)
            rows.append(board)
        frame = pd.concat(rows, ignore_index=True)
        frame["team_id"] = frame["team_id"].astype("Int64")
        self.write(schema.staff, frame)
        self.staff_frame = frame

    def recruitment_and_events(self) -> None:
        rng = self.rng
        headcount = max(150, round(STAFF_AT_DEFAULT * self.factor))
        n = headcount * 2 * 5
        bme = rng.random(n) < 0.56
        codes = np.where(bme, rng.choice(["N", "M", "H", "L", "D", "S", "J"], size=n),
                         rng.choice(["A", "C", "B"], size=n, p=[0.7, 0.25, 0.05]))  # fmt: skip
        codes = np.where(rng.random(n) < 0.04, "Z", codes)
        shortlisted = rng.random(n) < np.where(bme, 0.24, 0.30)
        appointed = shortlisted & (rng.random(n) < np.where(bme, 0.16, 0.25))
        frame = pd.DataFrame(
            {
                "id": np.arange(1, n + 1),
                "date": _dates_to_python(_random_dates(rng, n, _month_weights())),
                "vacancy_band": rng.choice(np.array(self.BANDS[1:12]), size=n,
                                           p=self.BAND_SHARE[1:12] / self.BAND_SHARE[1:12].sum()),
                "ethnic_category": codes,
                "shortlisted": shortlisted,
                "appointed": appointed,
            }
        )  # fmt: skip
        self.write(schema.recruitment, frame)

        staff = self.staff_frame[~self.staff_frame["board_member"]]
        events = []
        for snapshot in SNAPSHOT_DATES:
            year_staff = staff[staff["snapshot_date"] == snapshot]
            bme = ~year_staff["ethnic_category"].isin(["A", "B", "C", "Z", "99"]).to_numpy()
            fy_start = np.datetime64(date(snapshot.year - 1, 4, 1))
            k = len(year_staff)
            ratio = 1.9 - 0.1 * (snapshot.year - 2022)  # disciplinary gap narrows slowly
            disciplinary = rng.random(k) < np.where(bme, 0.008 * ratio, 0.008)
            training = rng.random(k) < np.where(bme, 0.42, 0.53)
            for kind, flag in (("formal_disciplinary", disciplinary), ("non_mandatory_training", training)):
                ids = year_staff["staff_id"].to_numpy()[flag]
                days = fy_start + rng.integers(0, 365, len(ids))
                events.append(pd.DataFrame({"staff_id": ids, "date": _dates_to_python(days), "type": kind}))
        frame = pd.concat(events, ignore_index=True)
        frame.insert(0, "id", np.arange(1, len(frame) + 1))
        self.write(schema.staff_event, frame)

        survey = []
        base = {5: (27.0, 32.0), 6: (21.0, 28.0), 7: (58.0, 43.0), 8: (6.0, 15.0)}
        for year in range(2021, 2026):
            for indicator, (white, bme_pct) in base.items():
                for group, pct in (("White", white), ("BME", bme_pct)):
                    survey.append((year, indicator, group, round(pct + rng.normal(0, 1.2), 1),
                                   int(headcount * rng.uniform(0.18, 0.25))))  # fmt: skip
        self.write(schema.staff_survey, pd.DataFrame(survey, columns=["year", "indicator", "ethnic_group", "percent",
                                                                     "respondents"]))  # fmt: skip
        targets = pd.DataFrame(
            [
                (1, "workforce_bme_share_8a_plus", "BME", 0.24, 0.35, date(2022, 3, 31), date(2027, 3, 31),
                 "BME share of staff in bands 8a and above reflects the community by 2027"),
                (2, "workforce_bme_share_8c_plus", "BME", 0.16, 0.25, date(2022, 3, 31), date(2028, 3, 31),
                 "BME share of staff in bands 8c, 8d, 9 and VSM reaches a quarter by 2028"),
                (3, "wres_2", "White vs BME", 1.56, 1.25, date(2022, 3, 31), date(2027, 3, 31),
                 "Relative likelihood of White applicants being appointed from shortlisting at or below 1.25"),
            ],
            columns=["id", "measure", "target_group", "baseline", "value", "start_date", "due_date", "description"],
        )  # fmt: skip
        self.write(schema.target, targets)

    def info(self) -> None:
        facts = {
            "trust_name": self.trust_name,
            "boroughs": ",".join(self.boroughs),
            "data_start": DATA_START.isoformat(),
            "data_end": DATA_END.isoformat(),
            "data_as_at": DATA_END.isoformat(),
            "synthetic": "true",
            "population_source": "Synthetic population in the Census 2021 TS021 layout (not real census figures)",
            "generator": f"data.demo scale={self.scale_name} seed={self.seed}",
            "generated_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
        self.write(schema.dataset_info, pd.DataFrame({"key": list(facts), "value": list(facts.values())}))
        record = {
            "loaded_at": datetime.now(UTC).replace(tzinfo=None),
            "kind": "demo",
            "files": f"synthetic demo (scale {self.scale_name}, seed {self.seed})",
            "row_counts": json.dumps(self.counts, sort_keys=True),
            "data_start": DATA_START,
            "data_end": DATA_END,
            "loaded_by": "data.demo",
        }
        self.write(schema.load_log, pd.DataFrame([record]))

    def summaries(self) -> None:
        with self.engine.begin() as connection:
            summaries.build(connection)

    def reference_tables(self) -> None:
        self.write(schema.age_band, reference.age_band_frame())
        self.write(schema.ethnic_category, reference.ethnic_category_frame())
        self.write(schema.census_ethnic_group, reference.census_ethnic_group_frame())
        self.write(schema.legal_status, reference.legal_status_frame())
        self.write(schema.calendar, reference.calendar_frame(DATA_START, DATA_END))


def build_demo(
    engine: Engine,
    *,
    scale: str = "default",
    seed: int = 2021,
    boroughs: tuple[str, ...] | None = None,
    trust_name: str | None = None,
    progress: Progress | None = None,
) -> DemoBuild:
    """Drop and rebuild every table of ``engine`` with the synthetic demo trust."""
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    config = load_trust_config()
    boroughs = tuple(boroughs or config.boroughs)
    geography.borough_names(boroughs)  # fails early, naming any unknown code
    started = time.perf_counter()
    builder = _Builder(engine, scale, seed, boroughs, trust_name or config.name)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("Creating tables", lambda: (drop_schema(engine), create_schema(engine))),
        ("Reference tables and calendar", builder.reference_tables),
        ("Boroughs and neighbourhoods", builder.areas),
        ("Synthetic population", builder.population),
        ("Teams and wards", builder.teams),
        ("People in contact", builder.people),
        ("Referrals", builder.referrals),
        ("Mental Health Act episodes", builder.mha),
        ("Restrictive interventions", builder.restrictive_interventions),
        ("Occupied bed days", builder.bed_days),
        ("Talking Therapies outcomes", builder.outcomes),
        ("Patient and carer feedback", builder.feedback),
        ("Workforce snapshots", builder.staff),
        ("Recruitment, staff events and survey", builder.recruitment_and_events),
        ("Summary tables", builder.summaries),
        ("Dataset information", builder.info),
        ("Demo logins (one per role)", lambda: users.seed_demo_users(engine)),
    ]
    for index, (label, step) in enumerate(steps):
        if progress:
            progress(index / len(steps), label)
        step()
    if progress:
        progress(1.0, "Done")
    return DemoBuild(scale, seed, dict(builder.counts), time.perf_counter() - started)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m data.demo",
        description="Build the synthetic demo trust into the configured store (default: data/demo.db).",
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="default", help="size of the demo trust")
    parser.add_argument(
        "--seed", type=int, default=2021, help="random seed: the same seed gives the same store"
    )
    parser.add_argument(
        "--url", help="SQLAlchemy URL to build into (default: EQUALITY_DB_URL, secrets or demo.db)"
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="replace a store that already holds data (its tables, logins included, are dropped)",
    )
    parser.add_argument("--boroughs", nargs="+", metavar="LAD_CODE",
                        help="ONS district codes (default: trust.boroughs in config/trust.yaml)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.boroughs:
        known_codes = set(geography.local_authorities()["code"])
        unknown = [code for code in args.boroughs if code not in known_codes]
        if unknown:
            parser.error(
                f"unknown borough code(s) {', '.join(unknown)}; valid values are ONS local authority district "
                f"codes of England and Wales (Census 2021), e.g. E09000022 (Lambeth), E08000035 (Leeds). "
                f"All {len(known_codes)}: {', '.join(sorted(known_codes))}"
            )
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        url = args.url or store_settings().url
        engine = make_engine(url)
        if not args.replace and store_has_data(engine):
            print(
                f"error: {describe_url(url)} already holds data. Building the demo would drop every table, logins "
                "included. Give --replace to do that, or name another store with --url.",
                file=sys.stderr,
            )
            return 2
        print(f"Building the synthetic demo trust ({args.scale}, seed {args.seed}) into {describe_url(url)}")

        def report(fraction: float, label: str) -> None:
            print(f"  [{fraction:4.0%}] {label}", flush=True)

        result = build_demo(engine, scale=args.scale, seed=args.seed, boroughs=args.boroughs, progress=report)
    except (StoreUnavailable, ConfigError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rows = ", ".join(f"{name} {count:,}" for name, count in result.row_counts.items())
    print(f"Built in {result.seconds:.1f} s: {rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
