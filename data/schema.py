"""The SQL store's schema, in SQLAlchemy Core so it is created identically on SQLite and PostgreSQL.

This is the contract a trust's warehouse must meet; ``docs/data-dictionary.md`` describes every
column in words and a test checks that the dictionary and this module agree.

Design notes
- Record-level tables are pseudonymised: no names, NHS numbers, dates of birth or addresses.
- Dates are plain ``Date`` columns joined to ``calendar``, so no query needs a dialect date function.
- Age is stored as an age band at the time of the event (``age_band`` references ``age_band.band``),
  fine enough to build both the ESP2013 five-year bands and the NHS England MHA bands (docs/measures.md).
- Ethnicity is the NHS ETHNIC CATEGORY code (``ethnic_category.code``); population counts use the
  Census 2021 TS021 categories (``census_ethnic_group.code``) because Census has groups NHS codes lack.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# --------------------------------------------------------------------------- reference tables

dataset_info = Table(
    "dataset_info",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    comment="Key/value facts about the loaded data: trust name, data period, as-at date, synthetic flag.",
)

area = Table(
    "area",
    metadata,
    Column("code", String(16), primary_key=True, comment="ONS GSS code (or project code for 2011 MSOAs)"),
    Column("name", String(120), nullable=False),
    Column("type", String(8), nullable=False, comment="'lad' (borough) or 'msoa' (neighbourhood)"),
    Column("parent_code", String(16), nullable=True, comment="the borough an MSOA lies in"),
    Index("ix_area_type_parent", "type", "parent_code"),
)

calendar = Table(
    "calendar",
    metadata,
    Column("date", Date, primary_key=True),
    Column("month_start", Date, nullable=False),
    Column("month_label", String(7), nullable=False, comment="YYYY-MM"),
    Column("quarter", String(10), nullable=False, comment="financial quarter, e.g. 2024-25 Q1"),
    Column("financial_year", String(7), nullable=False, comment="e.g. 2024-25 (1 April to 31 March)"),
    Column("calendar_year", Integer, nullable=False),
    Column("day_number", Integer, nullable=False, comment="days since 2000-01-01: portable date differences"),
    Column("in_period", Boolean, nullable=False, comment="inside the data period (later days serve waits)"),
    Index("ix_calendar_month", "month_start"),
    Index("ix_calendar_fy", "financial_year"),
)

age_band = Table(
    "age_band",
    metadata,
    Column("band", String(8), primary_key=True, comment="e.g. 0-4, 15, 16-17, 90+"),
    Column("age_from", Integer, nullable=False),
    Column("age_to", Integer, nullable=False, comment="inclusive; 120 for the open band"),
    Column("esp2013_band", String(8), nullable=False, comment="ESP2013 five-year band (0-4 … 90+)"),
    Column("mha_band", String(8), nullable=False, comment="NHS England MHA band (0-15 … 65+)"),
    Column("display_band", String(8), nullable=False, comment="band shown on pages (0-17 … 65+)"),
    Column("sort_order", Integer, nullable=False),
)

ethnic_category = Table(
    "ethnic_category",
    metadata,
    Column("code", String(2), primary_key=True, comment="NHS ETHNIC CATEGORY: A–S, Z, 99"),
    Column("description", String(80), nullable=False),
    Column("broad_group", String(16), nullable=False, comment="White, Mixed, Asian, Black, Other, …"),
    Column("known", Boolean, nullable=False, comment="false for Z (not stated) and 99 (not known)"),
    Column("sort_order", Integer, nullable=False),
)

census_ethnic_group = Table(
    "census_ethnic_group",
    metadata,
    Column("code", Integer, primary_key=True, comment="Census 2021 TS021 code 1–19"),
    Column("description", String(80), nullable=False),
    Column("census_broad_group", String(16), nullable=False),
    Column("nhs_code", String(2), nullable=True, comment="NHS code, or null (Gypsy/Traveller, Roma, Arab)"),
    Column("nhs_broad_group", String(16), nullable=False),
)

legal_status = Table(
    "legal_status",
    metadata,
    Column("code", String(4), primary_key=True, comment="MHSDS legal status code (e.g. 03, 10, 20), or CTO"),
    Column("description", String(120), nullable=False),
    Column("category", String(24), nullable=False, comment="detention, cto, place_of_safety, short_term"),
)

population = Table(
    "population",
    metadata,
    Column("area_code", String(16), ForeignKey("area.code"), nullable=False),
    Column("census_ethnic_group", Integer, ForeignKey("census_ethnic_group.code"), nullable=False),
    Column("count", Integer, nullable=False, comment="usual residents"),
    Column("source", String(120), nullable=False, comment="e.g. 'Census 2021 TS021' or 'synthetic'"),
    UniqueConstraint("area_code", "census_ethnic_group", name="uq_population_cell"),
    comment="Usual residents by neighbourhood and Census 2021 ethnic group (the grain of Census table TS021).",
)

population_age_sex = Table(
    "population_age_sex",
    metadata,
    Column("area_code", String(16), ForeignKey("area.code"), nullable=False),
    Column("census_ethnic_group", Integer, ForeignKey("census_ethnic_group.code"), nullable=False),
    Column("sex", String(1), nullable=False, comment="M or F"),
    Column("age_band", String(8), ForeignKey("age_band.band"), nullable=False),
    Column("count", Integer, nullable=False),
    Column("source", String(120), nullable=False, comment="the named source of the age and sex split"),
    UniqueConstraint(
        "area_code", "census_ethnic_group", "sex", "age_band", name="uq_population_age_sex_cell"
    ),
    comment=(
        "Optional: residents by ethnic group, sex and age band, from a second, named source. Without it, age "
        "standardisation and the sex and age filters are unavailable (TS021 has no age or sex)."
    ),
)

load_log = Table(
    "load_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("loaded_at", DateTime, nullable=False, comment="UTC"),
    Column("kind", String(16), nullable=False, comment="extracts, census or demo"),
    Column("files", Text, nullable=False, comment="the files loaded, one per line"),
    Column("row_counts", Text, nullable=False, comment="JSON: rows written per table"),
    Column("data_start", Date, nullable=True),
    Column("data_end", Date, nullable=True),
    Column("loaded_by", String(120), nullable=True, comment="operating-system user who ran the load"),
    comment="One row per load: the app shows the latest and refreshes its figures when a new one lands.",
)

# --------------------------------------------------------------------------- services

team = Table(
    "team",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("service_line", String(40), nullable=False),
    Column("setting", String(12), nullable=False, comment="community or inpatient"),
    Column("lad_code", String(16), ForeignKey("area.code"), nullable=False, comment="borough of the base"),
    Column("beds", Integer, nullable=True, comment="inpatient wards only"),
)

person = Table(
    "person",
    metadata,
    Column("id", Integer, primary_key=True, comment="pseudonymised person id"),
    Column("ethnic_category", String(2), ForeignKey("ethnic_category.code"), nullable=False),
    Column("sex", String(1), nullable=False, comment="M, F or X (not known / other)"),
    Column("birth_year", Integer, nullable=True),
    Column("religion", String(40), nullable=False),
    Column("sexual_orientation", String(40), nullable=False),
    Column("disability", String(12), nullable=False, comment="Yes, No, Not known"),
    Column("first_language", String(40), nullable=False),
    Column("interpreter_needed", Boolean, nullable=False),
    Column("msoa_code", String(16), ForeignKey("area.code"), nullable=True),
    Column("lad_code", String(16), ForeignKey("area.code"), nullable=True),
    Column("imd_decile", Integer, nullable=True, comment="1 = most deprived tenth"),
    Index("ix_person_lad", "lad_code"),
)

referral = Table(
    "referral",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("person.id"), nullable=False),
    Column("team_id", Integer, ForeignKey("team.id"), nullable=False),
    Column("received_date", Date, ForeignKey("calendar.date"), nullable=False),
    Column("age_band", String(8), ForeignKey("age_band.band"), nullable=False, comment="age at referral"),
    Column("source", String(32), nullable=False, comment="GP, Self, Police or criminal justice, A&E, Other"),
    Column("accepted", Boolean, nullable=False),
    Column("first_contact_date", Date, nullable=True),
    Column("discharge_date", Date, nullable=True),
    Column("discharge_reason", String(40), nullable=True),
    Column("attended_count", Integer, nullable=False),
    Column("dna_count", Integer, nullable=False),
    Index("ix_referral_team_date", "team_id", "received_date"),
    Index("ix_referral_date", "received_date"),
    Index("ix_referral_person", "person_id"),
)

mha_episode = Table(
    "mha_episode",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("person.id"), nullable=False),
    Column("team_id", Integer, ForeignKey("team.id"), nullable=False),
    Column("legal_status", String(4), ForeignKey("legal_status.code"), nullable=False),
    Column("start_date", Date, ForeignKey("calendar.date"), nullable=False),
    Column("end_date", Date, nullable=True),
    Column("age_band", String(8), ForeignKey("age_band.band"), nullable=False, comment="age at start"),
    Index("ix_mha_team_date", "team_id", "start_date"),
    Index("ix_mha_date", "start_date"),
)

restrictive_intervention = Table(
    "restrictive_intervention",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("person.id"), nullable=False),
    Column("team_id", Integer, ForeignKey("team.id"), nullable=False, comment="the ward"),
    Column("date", Date, ForeignKey("calendar.date"), nullable=False),
    Column("type", String(32), nullable=False, comment="physical, mechanical, seclusion, segregation, …"),
    Column("prone", Boolean, nullable=False, comment="physical restraint in the prone position"),
    Column("age_band", String(8), ForeignKey("age_band.band"), nullable=False),
    Index("ix_ri_team_date", "team_id", "date"),
    Index("ix_ri_date", "date"),
)

bed_day = Table(
    "bed_day",
    metadata,
    Column("team_id", Integer, ForeignKey("team.id"), primary_key=True),
    Column("month_start", Date, primary_key=True),
    Column("occupied_bed_days", Integer, nullable=False),
)

outcome = Table(
    "outcome",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("person_id", Integer, ForeignKey("person.id"), nullable=False),
    Column("referral_id", Integer, ForeignKey("referral.id"), nullable=False),
    Column("team_id", Integer, ForeignKey("team.id"), nullable=False),
    Column("end_date", Date, ForeignKey("calendar.date"), nullable=False, comment="course finished"),
    Column("measure", String(24), nullable=False, comment="e.g. PHQ-9/GAD-7"),
    Column("caseness_at_start", Boolean, nullable=False),
    Column("recovered", Boolean, nullable=False),
    Column("reliable_improvement", Boolean, nullable=False),
    Column("reliable_deterioration", Boolean, nullable=False),
    Index("ix_outcome_team_date", "team_id", "end_date"),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("respondent_type", String(8), nullable=False, comment="patient or carer"),
    Column("ethnic_category", String(2), ForeignKey("ethnic_category.code"), nullable=False),
    Column("team_id", Integer, ForeignKey("team.id"), nullable=False),
    Column("date", Date, ForeignKey("calendar.date"), nullable=False),
    Column("question", String(200), nullable=False, comment="the question as asked; any local set"),
    Column("score", Integer, nullable=False, comment="1 (worst) to 5 (best)"),
    Column("positive", Boolean, nullable=False, comment="the answer counts as positive"),
    Index("ix_feedback_team_date", "team_id", "date"),
)

feedback_action = Table(
    "feedback_action",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("team.id"), nullable=True),
    Column("date", Date, nullable=False),
    Column("theme", String(80), nullable=False),
    Column("you_said", Text, nullable=False),
    Column("we_did", Text, nullable=False),
)

# --------------------------------------------------------------------------- workforce

staff = Table(
    "staff",
    metadata,
    Column("staff_id", Integer, primary_key=True, comment="pseudonymised, stable across snapshots"),
    Column("snapshot_date", Date, primary_key=True, comment="31 March of each year"),
    Column("ethnic_category", String(2), ForeignKey("ethnic_category.code"), nullable=False),
    Column("sex", String(1), nullable=False),
    Column("age_band", String(8), ForeignKey("age_band.band"), nullable=False),
    Column("disability", String(12), nullable=False, comment="Yes, No, Not known"),
    Column("pay_band", String(40), nullable=False, comment="AfC 1–9 (8a–8d), VSM, or a medical grade"),
    Column("staff_group", String(40), nullable=False),
    Column("clinical", Boolean, nullable=False),
    Column("team_id", Integer, ForeignKey("team.id"), nullable=True),
    Column("work_lad_code", String(16), ForeignKey("area.code"), nullable=True),
    Column("board_member", Boolean, nullable=False),
    Column("board_voting", Boolean, nullable=False),
    Column("executive", Boolean, nullable=False),
    Column("hi_champion", Boolean, nullable=False, comment="health-inequalities champion"),
    Index("ix_staff_snapshot_team", "snapshot_date", "team_id"),
)

recruitment = Table(
    "recruitment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("date", Date, ForeignKey("calendar.date"), nullable=False),
    Column("vacancy_band", String(40), nullable=False),
    Column("ethnic_category", String(2), ForeignKey("ethnic_category.code"), nullable=False),
    Column("shortlisted", Boolean, nullable=False),
    Column("appointed", Boolean, nullable=False),
    Index("ix_recruitment_date", "date"),
)

staff_event = Table(
    "staff_event",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("staff_id", Integer, nullable=False),
    Column("date", Date, ForeignKey("calendar.date"), nullable=False),
    Column("type", String(32), nullable=False, comment="formal_disciplinary or non_mandatory_training"),
    Index("ix_staff_event_date", "date", "type"),
)

staff_survey = Table(
    "staff_survey",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("indicator", Integer, primary_key=True, comment="WRES indicator 5 to 8"),
    Column("ethnic_group", String(8), primary_key=True, comment="White or BME"),
    Column("percent", Float, nullable=False),
    Column("respondents", Integer, nullable=True),
)

target = Table(
    "target",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("measure", String(64), nullable=False, comment="a measure id from the catalogue"),
    Column("target_group", String(40), nullable=False, comment="e.g. BME"),
    Column("baseline", Float, nullable=True),
    Column("value", Float, nullable=False),
    Column("start_date", Date, nullable=True),
    Column("due_date", Date, nullable=False),
    Column("description", Text, nullable=True),
)

# --------------------------------------------------------------------------- access control

app_user = Table(
    "app_user",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("display_name", String(120), nullable=False),
    Column("email", String(200), nullable=True),
    Column("password_hash", String(200), nullable=False, comment="bcrypt"),
    Column("role", String(16), nullable=False, comment="board, equality_lead, champion or admin"),
    Column("active", Boolean, nullable=False),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_until", DateTime, nullable=True),
)

app_user_team = Table(
    "app_user_team",
    metadata,
    Column("username", String(64), ForeignKey("app_user.username"), primary_key=True),
    Column("team_id", Integer, ForeignKey("team.id"), primary_key=True),
    comment="The teams a champion may see.",
)

app_session = Table(
    "app_session",
    metadata,
    Column("id_hash", String(64), primary_key=True, comment="SHA-256 of the cookie's random session id"),
    Column("username", String(64), ForeignKey("app_user.username"), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Index("ix_app_session_username", "username"),
    comment="Live sign-ins; deleting a row signs that browser out on its next run.",
)

sign_in_attempt = Table(
    "sign_in_attempt",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("username", String(64), nullable=False, comment="as typed (lower-cased); unknown names too"),
    Column("client", String(64), nullable=False, comment="client address; empty when unknown"),
    Column("succeeded", Boolean, nullable=False),
    Index("ix_sign_in_attempt_username", "username", "at"),
    Index("ix_sign_in_attempt_client", "client", "at"),
)

user_audit = Table(
    "user_audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(80), nullable=False, comment="admin username, or cli:<account> for the CLI"),
    Column("action", String(32), nullable=False),
    Column("username", String(64), nullable=False, comment="the login changed"),
    Column("detail", Text, nullable=True),
    Index("ix_user_audit_at", "at"),
)

user_request = Table(
    "user_request",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("requested_at", DateTime, nullable=False),
    Column("requested_by", String(64), nullable=False),
    Column("action", String(32), nullable=False, comment="add or reset_password"),
    Column("username", String(64), nullable=False),
    Column("display_name", String(120), nullable=True),
    Column("role", String(16), nullable=True),
    Column("password_hash", String(200), nullable=False, comment="bcrypt"),
    Column("status", String(12), nullable=False, comment="pending, approved or rejected"),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", DateTime, nullable=True),
)

#: Tables in load order (parents before children).
TABLES = tuple(metadata.sorted_tables)
