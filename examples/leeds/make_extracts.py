"""Regenerate the Leeds worked example's warehouse extracts (synthetic) from the project's demo generator.

    python examples/leeds/make_extracts.py

Builds the tiny synthetic demo trust for one district, Leeds (E08000035), in a temporary SQLite file,
then reshapes every record-level table the way a trust's data warehouse might export it: its own file
names and column names, text identifiers (``P0000123``, ``TEAM-LDS-07``), MHSDS legal status codes as
submitted (``02``, ``03``, ``10``, ``20``) with CTOs in their own MHS404-shaped file, ESR-style pay band
labels (``Band 8a``), sex coded 1/2/9, local two-character ethnic sub-codes (``CA``, ``NB``) that roll
up to the national code, ages in years instead of age bands, dd/mm/yyyy dates (the ESR files use
dd-Mon-yyyy), one file in Windows-1252 and one with a UTF-8 byte-order mark. ``mapping.yaml`` maps them
back onto the store's tables.

Everything is synthetic: no real patients, staff or events. The output is deterministic for a given
demo generator (fixed seeds); the population is not exported, because the example loads the real
Census 2021 TS021 file instead (``--census data/ons/census2021-ts021-msoa.csv``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from data import reference  # noqa: E402
from data.demo import build_demo  # noqa: E402
from data.store import make_engine  # noqa: E402

LEEDS = "E08000035"
TRUST_NAME = "Aire Valley Mental Health NHS Trust (worked example)"
DEMO_SEED = 35
RESHAPE_SEED = 8000035

# The warehouse's own codes (the mapping file recodes them into the store's vocabularies).
SEX_CODES = {"M": "1", "F": "2", "X": "9"}
SERVICE_LINE_CODES = {
    "Community mental health": "CMHT",
    "Older adults": "OPMH",
    "Crisis and home treatment": "CRHT",
    "Talking Therapies": "IAPT",
    "Early intervention in psychosis": "EIP",
    "Inpatient (acute)": "ACUTE-IP",
    "Forensic": "FORENSIC",
}
TEAM_RENAMES = {  # names as the warehouse holds them (an en dash: the team file is Windows-1252)
    "Leeds Crisis and Home Treatment Team": "Leeds Crisis – Home Treatment Team",
    "Psychiatric Intensive Care Unit": "Aire Ward – Psychiatric Intensive Care",
}
#: Several local referral-source codes roll up to one store value.
SOURCE_CODES = {
    "GP": ["GP"],
    "Self": ["SELF"],
    "A&E": ["ED"],
    "Police or criminal justice": ["POLICE", "POLICE", "POLICE", "COURT", "PROBATION", "L&D"],
    "Other": ["CARER", "SOCIAL-CARE", "OTHER-MH", "EDUCATION"],
}
DISCHARGE_CODES = {
    "Treatment completed": "COMPLETED",
    "Discharged before treatment": "DISCH-PRE-TX",
    "Did not attend": "DNA",
    "Referral not accepted": "NOT-ACCEPTED",
}
RI_TYPE_CODES = {
    "physical": "PHYS-RESTRAINT",
    "mechanical": "MECH-RESTRAINT",
    "seclusion": "SECLUSION",
    "segregation": "LT-SEGREGATION",
    "rapid_tranquillisation": "RAPID-TRANQ",
}
RESPONDENT_CODES = {"patient": "Service user", "carer": "Carer"}
STAFF_SEX = {"M": "Male", "F": "Female"}
STAFF_DISABILITY = {"Yes": "Yes", "No": "No", "Not known": "Not Declared"}
EVENT_TYPES = {
    "formal_disciplinary": "Formal disciplinary investigation",
    "non_mandatory_training": "Non-mandatory training / CPD",
}
MEDICAL_AND_OTHER_BANDS = {
    "VSM": "Very Senior Manager",
    "Medical: Consultant": "Consultant",
    "Medical: SAS doctor": "Specialty Doctor",
    "Medical: Doctor in training": "Doctor in Training",
    "Non-executive director": "Non-Executive Director",
}
#: Local sub-codes some national codes are recorded under (two characters, the national code first).
SUB_CODES = {
    "A": ["A", "A", "A", "AA"],
    "C": ["C", "CA", "CP", "CX"],
    "N": ["N", "NB", "NC"],  # local sub-codes of N (Black African); "NA" would roll up the same way
    "M": ["M", "MA"],
}

UK_DATE = "%d/%m/%Y"
ESR_DATE = "%d-%b-%Y"


def yes_no(values: pd.Series) -> pd.Series:
    return values.map(lambda v: "Y" if bool(v) else "N")


def dates(values: pd.Series, fmt: str = UK_DATE) -> pd.Series:
    parsed = pd.to_datetime(values, errors="coerce")
    return parsed.dt.strftime(fmt).fillna("")


def ages(bands: pd.Series, rng: np.random.Generator) -> pd.Series:
    """An age in whole years inside each age band (the open band 90+ gets 90 to 95)."""
    limits = {band: (low, min(high, low + 5)) for band, low, high, *_ in reference.AGE_BANDS}
    low = bands.map(lambda b: limits[b][0]).to_numpy()
    high = bands.map(lambda b: limits[b][1]).to_numpy()
    return pd.Series(rng.integers(low, high + 1), index=bands.index)


def choose(values: pd.Series, options: dict[str, list[str]], rng: np.random.Generator) -> pd.Series:
    picks = rng.random(len(values))
    out = []
    for value, pick in zip(values, picks, strict=True):
        codes = options.get(value, [value])
        out.append(codes[int(pick * len(codes))])
    return pd.Series(out, index=values.index)


def pay_band_label(band: str) -> str:
    return MEDICAL_AND_OTHER_BANDS.get(band, f"Band {band}")


def write_csv(frame: pd.DataFrame, name: str, encoding: str = "utf-8") -> None:
    frame.to_csv(HERE / name, index=False, encoding=encoding, lineterminator="\r\n")


def build_store(path: Path):
    engine = make_engine(f"sqlite:///{path}")
    build_demo(engine, scale="tiny", seed=DEMO_SEED, boroughs=(LEEDS,), trust_name=TRUST_NAME)
    return engine


def read(engine, table: str, order: str) -> pd.DataFrame:
    return pd.read_sql(f"SELECT * FROM {table} ORDER BY {order}", engine)


def main() -> int:
    rng = np.random.default_rng(RESHAPE_SEED)
    with tempfile.TemporaryDirectory() as folder:
        engine = build_store(Path(folder) / "leeds-demo.db")
        tables = {
            "team": read(engine, "team", "id"),
            "person": read(engine, "person", "id"),
            "referral": read(engine, "referral", "id"),
            "mha_episode": read(engine, "mha_episode", "id"),
            "restrictive_intervention": read(engine, "restrictive_intervention", "id"),
            "bed_day": read(engine, "bed_day", "team_id, month_start"),
            "outcome": read(engine, "outcome", "id"),
            "feedback": read(engine, "feedback", "id"),
            "feedback_action": read(engine, "feedback_action", "id"),
            "staff": read(engine, "staff", "snapshot_date, staff_id"),
            "recruitment": read(engine, "recruitment", "id"),
            "staff_event": read(engine, "staff_event", "id"),
            "staff_survey": read(engine, "staff_survey", "year, indicator, ethnic_group"),
            "target": read(engine, "target", "id"),
        }
        msoas = set(read(engine, "area", "code").query("type == 'msoa'")["code"])
        engine.dispose()
    bad = sorted(c for c in msoas if not str(c).startswith("E02"))
    if bad:
        raise SystemExit(f"the demo's neighbourhood codes are not ONS E02 codes: {bad[:3]} …")

    def team_code(ids: pd.Series) -> pd.Series:
        return ids.map(lambda v: "" if pd.isna(v) else f"TEAM-LDS-{int(v):02d}")

    def patient(ids: pd.Series) -> pd.Series:
        return ids.map(lambda v: f"P{int(v):07d}")

    team = tables["team"]
    write_csv(
        pd.DataFrame({
            "TEAM_CODE": team_code(team["id"]),
            "TEAM_NAME": team["name"].map(lambda n: TEAM_RENAMES.get(n, n)),
            "SERVICE_LINE_CODE": team["service_line"].map(SERVICE_LINE_CODES),
            "SETTING_TYPE": team["setting"].str.upper(),
            "BASE_LA_CODE": team["lad_code"],
            "COMMISSIONED_BEDS": team["beds"].map(lambda v: "" if pd.isna(v) else str(int(v))),
        }),
        "TEAMS_EXTRACT.csv",
        encoding="cp1252",
    )  # fmt: skip

    person = tables["person"]
    write_csv(
        pd.DataFrame({
            "PSEUDO_PATIENT_ID": patient(person["id"]),
            "ETHNIC_CATEGORY_CODE": choose(person["ethnic_category"], SUB_CODES, rng),
            "PERSON_STATED_GENDER_CODE": person["sex"].map(SEX_CODES),
            "YEAR_OF_BIRTH": person["birth_year"].astype("Int64"),
            "RELIGION": person["religion"],
            "SEXUAL_ORIENTATION": person["sexual_orientation"],
            "DISABILITY_FLAG": person["disability"].map({"Yes": "Y", "No": "N", "Not known": "U"}),
            "PREFERRED_LANGUAGE": person["first_language"],
            "INTERPRETER_REQUIRED": yes_no(person["interpreter_needed"]),
            "MSOA21_CODE": person["msoa_code"].fillna(""),
            "LA_DISTRICT_CODE": person["lad_code"].fillna(""),
            "IMD_DECILE": person["imd_decile"].astype("Int64"),
        }),
        "PATIENTS_EXTRACT.csv",
        encoding="utf-8-sig",
    )  # fmt: skip

    referral = tables["referral"]
    write_csv(
        pd.DataFrame({
            "REFERRAL_ID": referral["id"].map(lambda v: f"R{int(v):08d}"),
            "PSEUDO_PATIENT_ID": patient(referral["person_id"]),
            "RECEIVING_TEAM_CODE": team_code(referral["team_id"]),
            "REFERRAL_RECEIVED_DT": dates(referral["received_date"]),
            "AGE_AT_REFERRAL": ages(referral["age_band"], rng),
            "SOURCE_OF_REFERRAL": choose(referral["source"], SOURCE_CODES, rng),
            "REFERRAL_ACCEPTED": yes_no(referral["accepted"]),
            "FIRST_ATTENDED_CONTACT_DT": dates(referral["first_contact_date"]),
            "DISCHARGE_DT": dates(referral["discharge_date"]),
            "DISCHARGE_REASON": referral["discharge_reason"].map(DISCHARGE_CODES).fillna(""),
            "ATTENDED_CONTACTS": referral["attended_count"],
            "DNA_CONTACTS": referral["dna_count"],
        }),
        "REFERRALS_EXTRACT.csv",
    )  # fmt: skip

    episodes = tables["mha_episode"]
    legal = episodes[episodes["legal_status"] != reference.CTO_CODE].reset_index(drop=True)
    ctos = episodes[episodes["legal_status"] == reference.CTO_CODE].reset_index(drop=True)
    write_csv(
        pd.DataFrame({
            "UNIQ_MHA_EPISODE_ID": [f"MHA{n:06d}" for n in range(1, len(legal) + 1)],
            "PSEUDO_PATIENT_ID": patient(legal["person_id"]),
            "RESPONSIBLE_TEAM_CODE": team_code(legal["team_id"]),
            "LEGAL_STATUS_CLASSIFICATION_CODE": legal["legal_status"],
            "START_DATE_MHA_LEGAL_STATUS": dates(legal["start_date"]),
            "END_DATE_MHA_LEGAL_STATUS": dates(legal["end_date"]),
            "AGE_AT_LEGAL_STATUS_START": ages(legal["age_band"], rng),
        }),
        "MHA_LEGAL_STATUS_EXTRACT.csv",
    )  # fmt: skip
    write_csv(
        pd.DataFrame({
            "UNIQ_CTO_ID": [f"CTO{n:05d}" for n in range(1, len(ctos) + 1)],
            "PSEUDO_PATIENT_ID": patient(ctos["person_id"]),
            "RESPONSIBLE_TEAM_CODE": team_code(ctos["team_id"]),
            "START_DATE_COMMUNITY_TREATMENT_ORDER": dates(ctos["start_date"]),
            "END_DATE_COMMUNITY_TREATMENT_ORDER": dates(ctos["end_date"]),
            "AGE_AT_CTO_START": ages(ctos["age_band"], rng),
        }),
        "CTO_EXTRACT.csv",
    )  # fmt: skip

    incidents = tables["restrictive_intervention"]
    write_csv(
        pd.DataFrame({
            "INCIDENT_REF": incidents["id"].map(lambda v: f"RI-{int(v):06d}"),
            "PSEUDO_PATIENT_ID": patient(incidents["person_id"]),
            "WARD_CODE": team_code(incidents["team_id"]),
            "INCIDENT_DT": dates(incidents["date"]),
            "INTERVENTION_TYPE": incidents["type"].map(RI_TYPE_CODES),
            "PRONE_POSITION": yes_no(incidents["prone"]),
            "AGE_AT_INCIDENT": ages(incidents["age_band"], rng),
        }),
        "RESTRICTIVE_INTERVENTIONS.csv",
    )  # fmt: skip

    beds = tables["bed_day"]
    write_csv(
        pd.DataFrame({
            "WARD_CODE": team_code(beds["team_id"]),
            "MONTH_START_DT": dates(beds["month_start"]),
            "OCCUPIED_BED_DAYS": beds["occupied_bed_days"],
        }),
        "WARD_OCCUPIED_BED_DAYS.csv",
    )  # fmt: skip

    outcome = tables["outcome"]
    write_csv(
        pd.DataFrame({
            "COURSE_ID": outcome["id"].map(lambda v: f"TT{int(v):06d}"),
            "PSEUDO_PATIENT_ID": patient(outcome["person_id"]),
            "REFERRAL_ID": outcome["referral_id"].map(lambda v: f"R{int(v):08d}"),
            "TEAM_CODE": team_code(outcome["team_id"]),
            "END_OF_TREATMENT_DT": dates(outcome["end_date"]),
            "OUTCOME_MEASURE": outcome["measure"],
            "CASENESS_AT_START": yes_no(outcome["caseness_at_start"]),
            "RECOVERED": yes_no(outcome["recovered"]),
            "RELIABLE_IMPROVEMENT": yes_no(outcome["reliable_improvement"]),
            "RELIABLE_DETERIORATION": yes_no(outcome["reliable_deterioration"]),
        }),
        "TALKING_THERAPIES_OUTCOMES.csv",
    )  # fmt: skip

    feedback = tables["feedback"]
    write_csv(
        pd.DataFrame({
            "RESPONSE_ID": feedback["id"].map(lambda v: f"FB{int(v):06d}"),
            "RESPONDENT_TYPE": feedback["respondent_type"].map(RESPONDENT_CODES),
            "RESPONDENT_ETHNIC_CODE": choose(feedback["ethnic_category"], SUB_CODES, rng),
            "TEAM_CODE": team_code(feedback["team_id"]),
            "RESPONSE_DT": dates(feedback["date"]),
            "QUESTION_TEXT": feedback["question"],
            "SCORE_1_TO_5": feedback["score"],
            "POSITIVE_RESPONSE": yes_no(feedback["positive"]),
        }),
        "FEEDBACK_RESPONSES.csv",
    )  # fmt: skip

    actions = tables["feedback_action"]
    write_csv(
        pd.DataFrame({
            "ACTION_ID": actions["id"].map(lambda v: f"YSWD-{int(v):03d}"),
            "TEAM_CODE": team_code(actions["team_id"]),
            "DATE_AGREED": dates(actions["date"]),
            "THEME": actions["theme"],
            "YOU_SAID": actions["you_said"].str.replace("'", "’"),
            "WE_DID": actions["we_did"].str.replace("'", "’"),
        }),
        "YOU_SAID_WE_DID.csv",
    )  # fmt: skip

    staff = tables["staff"]
    employee = staff["staff_id"].map(lambda v: f"E{int(v) + 1000000:07d}")
    write_csv(
        pd.DataFrame({
            "EMPLOYEE_NUMBER": employee,
            "SNAPSHOT_DATE": dates(staff["snapshot_date"], ESR_DATE),
            "ETHNIC_ORIGIN_CODE": choose(staff["ethnic_category"], SUB_CODES, rng),
            "GENDER": staff["sex"].map(STAFF_SEX),
            "AGE_IN_YEARS": ages(staff["age_band"], rng),
            "DISABILITY": staff["disability"].map(STAFF_DISABILITY),
            "PAY_BAND": staff["pay_band"].map(pay_band_label),
            "STAFF_GROUP": staff["staff_group"],
            "CLINICAL_ROLE": yes_no(staff["clinical"]),
            "TEAM_CODE": team_code(staff["team_id"]),
            "WORK_LA_CODE": staff["work_lad_code"].fillna(""),
            "BOARD_MEMBER": yes_no(staff["board_member"]),
            "BOARD_VOTING_MEMBER": yes_no(staff["board_voting"]),
            "EXECUTIVE_DIRECTOR": yes_no(staff["executive"]),
            "HEALTH_INEQUALITIES_CHAMPION": yes_no(staff["hi_champion"]),
        }),
        "ESR_STAFF_IN_POST.csv",
    )  # fmt: skip

    recruitment = tables["recruitment"]
    write_csv(
        pd.DataFrame({
            "APPLICATION_REF": recruitment["id"].map(lambda v: f"APP-{int(v):06d}"),
            "SHORTLISTING_DATE": dates(recruitment["date"]),
            "VACANCY_PAY_BAND": recruitment["vacancy_band"].map(pay_band_label),
            "APPLICANT_ETHNIC_CODE": choose(recruitment["ethnic_category"], SUB_CODES, rng),
            "SHORTLISTED": recruitment["shortlisted"].map(lambda v: "Yes" if v else "No"),
            "APPOINTED": recruitment["appointed"].map(lambda v: "Yes" if v else "No"),
        }),
        "RECRUITMENT_APPLICATIONS.csv",
    )  # fmt: skip

    events = tables["staff_event"]
    write_csv(
        pd.DataFrame({
            "EVENT_ID": events["id"].map(lambda v: f"EV-{int(v):06d}"),
            "EMPLOYEE_NUMBER": events["staff_id"].map(lambda v: f"E{int(v) + 1000000:07d}"),
            "EVENT_DATE": dates(events["date"], ESR_DATE),
            "EVENT_TYPE": events["type"].map(EVENT_TYPES),
        }),
        "ESR_STAFF_EVENTS.csv",
    )  # fmt: skip

    survey = tables["staff_survey"]
    write_csv(
        pd.DataFrame({
            "SURVEY_YEAR": survey["year"],
            "WRES_INDICATOR": survey["indicator"],
            "ETHNIC_GROUP": survey["ethnic_group"],
            "PERCENT": survey["percent"],
            "RESPONDENTS": survey["respondents"].astype("Int64"),
        }),
        "STAFF_SURVEY_WRES.csv",
    )  # fmt: skip

    target = tables["target"]
    write_csv(
        pd.DataFrame({
            "TARGET_ID": target["id"],
            "MEASURE_ID": target["measure"],
            "TARGET_GROUP": target["target_group"],
            "BASELINE": target["baseline"],
            "TARGET_VALUE": target["value"],
            "SET_ON": dates(target["start_date"]),
            "DUE_BY": dates(target["due_date"]),
            "DESCRIPTION": target["description"],
        }),
        "EQUALITY_TARGETS.csv",
    )  # fmt: skip

    for path in sorted(HERE.glob("*.csv")):
        print(
            f"{path.name:<36} {sum(1 for _ in path.open('rb')) - 1:>6} rows  {path.stat().st_size:>9,} bytes"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
