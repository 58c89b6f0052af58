"""Small reference tables the project writes: age bands, ethnic categories, legal statuses, calendar.

They are loaded into every store (demo or real) so that queries can group by broad ethnic group,
ESP2013 band or financial year with plain joins.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from measures import ethnicity

#: (band, age_from, age_to, ESP2013 band, NHS England MHA band, display band)
AGE_BANDS: tuple[tuple[str, int, int, str, str, str], ...] = (
    ("0-4", 0, 4, "0-4", "0-15", "0-17"),
    ("5-9", 5, 9, "5-9", "0-15", "0-17"),
    ("10-14", 10, 14, "10-14", "0-15", "0-17"),
    ("15", 15, 15, "15-19", "0-15", "0-17"),
    ("16-17", 16, 17, "15-19", "16-17", "0-17"),
    ("18-19", 18, 19, "15-19", "18-34", "18-24"),
    ("20-24", 20, 24, "20-24", "18-34", "18-24"),
    ("25-29", 25, 29, "25-29", "18-34", "25-34"),
    ("30-34", 30, 34, "30-34", "18-34", "25-34"),
    ("35-39", 35, 39, "35-39", "35-49", "35-44"),
    ("40-44", 40, 44, "40-44", "35-49", "35-44"),
    ("45-49", 45, 49, "45-49", "35-49", "45-54"),
    ("50-54", 50, 54, "50-54", "50-64", "45-54"),
    ("55-59", 55, 59, "55-59", "50-64", "55-64"),
    ("60-64", 60, 64, "60-64", "50-64", "55-64"),
    ("65-69", 65, 69, "65-69", "65+", "65+"),
    ("70-74", 70, 74, "70-74", "65+", "65+"),
    ("75-79", 75, 79, "75-79", "65+", "65+"),
    ("80-84", 80, 84, "80-84", "65+", "65+"),
    ("85-89", 85, 89, "85-89", "65+", "65+"),
    ("90+", 90, 120, "90+", "65+", "65+"),
)

AGE_BAND_NAMES: tuple[str, ...] = tuple(row[0] for row in AGE_BANDS)

#: The MHSDS Mental Health Act legal status classification (NHS Data Dictionary, "MENTAL HEALTH ACT
#: LEGAL STATUS CLASSIFICATION CODE", used by the MHSDS table MHS401 MHA Legal Status Classification
#: Period): (code, description, category). Categories follow NHS England's Mental Health Act
#: statistics, which count detentions (Part II, Part III and other acts), place-of-safety orders
#: (s135, s136) and short-term holding powers (s4, s5(2), s5(4)) separately; guardianship, informal
#: and not-applicable statuses are not coercion measures. Note that in MHSDS ``10`` is section 37 and
#: ``37``/``38`` are section 45A: codes are never the section number.
#:
#: Community treatment orders are not a legal status code in MHSDS: they are recorded in their own
#: table (MHS404 Community Treatment Order). The store keeps them beside detentions under the
#: store-only code ``CTO``, which the loader fills from the CTO extract (``cto.csv``) and refuses in the
#: legal-status extract.
LEGAL_STATUSES: tuple[tuple[str, str, str], ...] = (
    ("01", "Informal", "informal"),
    ("02", "Section 2 (admission for assessment)", "detention"),
    ("03", "Section 3 (admission for treatment)", "detention"),
    ("04", "Section 4 (emergency admission for assessment)", "short_term"),
    ("05", "Section 5(2) (doctor's or approved clinician's holding power)", "short_term"),
    ("06", "Section 5(4) (nurse's holding power)", "short_term"),
    ("07", "Section 35 (remand to hospital for report)", "detention"),
    ("08", "Section 36 (remand to hospital for treatment)", "detention"),
    ("09", "Section 37 with section 41 restrictions (restricted hospital order)", "detention"),
    ("10", "Section 37 (hospital order)", "detention"),
    ("12", "Section 38 (interim hospital order)", "detention"),
    ("13", "Section 44 (committal to hospital under section 43)", "detention"),
    ("14", "Section 46 (hospital direction, armed forces)", "detention"),
    ("15", "Section 47 with section 49 restrictions (transfer of a sentenced prisoner)", "detention"),
    ("16", "Section 47 (transfer of a sentenced prisoner)", "detention"),
    ("17", "Section 48 with section 49 restrictions (transfer of an unsentenced prisoner)", "detention"),
    ("18", "Section 48 (transfer of an unsentenced prisoner)", "detention"),
    ("19", "Section 135 (warrant to search for and remove to a place of safety)", "place_of_safety"),
    ("20", "Section 136 (removal to a place of safety by the police)", "place_of_safety"),
    ("31", "Criminal Procedure (Insanity) Act 1964, as amended", "detention"),
    ("32", "Detained under another Act", "detention"),
    ("35", "Guardianship under section 7", "guardianship"),
    ("36", "Guardianship under section 37", "guardianship"),
    ("37", "Section 45A (hospital and limitation direction)", "detention"),
    ("38", "Section 45A (limitation direction in force)", "detention"),
    ("98", "Not applicable", "not_applicable"),
    ("99", "Not known", "not_known"),
    ("CTO", "Community treatment order (from the MHSDS CTO table; not a legal status code)", "cto"),
)

#: The store-only code for community treatment orders (see LEGAL_STATUSES).
CTO_CODE = "CTO"

#: Categories counted by the PCREF coercion measures.
DETENTION = "detention"
PLACE_OF_SAFETY = "place_of_safety"
SHORT_TERM = "short_term"
SECTION_136 = "20"


def age_band_frame() -> pd.DataFrame:
    rows = [
        {
            "band": band,
            "age_from": low,
            "age_to": high,
            "esp2013_band": esp,
            "mha_band": mha,
            "display_band": display,
            "sort_order": order,
        }
        for order, (band, low, high, esp, mha, display) in enumerate(AGE_BANDS, start=1)
    ]
    return pd.DataFrame(rows)


def ethnic_category_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "code": c.code,
                "description": c.description,
                "broad_group": c.broad_group,
                "known": c.known,
                "sort_order": c.sort_order,
            }
            for c in ethnicity.NHS_CATEGORIES
        ]
    )


def census_ethnic_group_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "code": c.code,
                "description": c.description,
                "census_broad_group": c.census_broad_group,
                "nhs_code": c.nhs_code,
                "nhs_broad_group": c.nhs_broad_group,
            }
            for c in ethnicity.CENSUS_CATEGORIES
        ]
    )


def legal_status_frame() -> pd.DataFrame:
    return pd.DataFrame(LEGAL_STATUSES, columns=["code", "description", "category"])


def financial_year_of(day: date) -> str:
    """'2024-25' for any day from 1 April 2024 to 31 March 2025."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


DAY_ZERO = date(2000, 1, 1)


def calendar_frame(first: date, last: date, *, extra_days: int = 366) -> pd.DataFrame:
    """One row per day from ``first`` to ``last`` (the data period) and ``extra_days`` beyond it, with
    month, quarter, financial year and a day number, so that a wait (first contact minus referral) is
    a subtraction of day numbers in any SQL dialect. Days after ``last`` have ``in_period`` false."""
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1 + extra_days)]
    rows = []
    for day in days:
        fy = financial_year_of(day)
        fiscal_month = (day.month - 4) % 12  # April = 0
        rows.append(
            {
                "date": day,
                "month_start": day.replace(day=1),
                "month_label": f"{day.year}-{day.month:02d}",
                "quarter": f"{fy} Q{fiscal_month // 3 + 1}",
                "financial_year": fy,
                "calendar_year": day.year,
                "day_number": (day - DAY_ZERO).days,
                "in_period": day <= last,
            }
        )
    return pd.DataFrame(rows)
