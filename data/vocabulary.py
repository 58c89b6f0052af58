"""Every coded value the store holds, in one place.

Pages and queries select rows by these values ("Police or criminal justice", "Talking Therapies",
"Discharged before treatment", pay band "8a" …). A trust whose warehouse spells them differently
would silently get 0% for a measure, so:

- the loader (``python -m data.load``) refuses a value outside a closed vocabulary, naming the file,
  line, column and the values allowed, and a mapping file (``recode:``) translates local spellings;
- for every value the pages rely on (``relied_on``), the loader warns when no row carries it (for
  example no police-route referrals at all);
- ``docs/data-dictionary.md`` lists the same vocabularies, and a test keeps the two in step.

NHS ethnic category codes, MHSDS legal status codes, age bands and Census categories live in their own
reference tables (``data/reference.py``); this module covers the plain-text vocabularies.
"""

from __future__ import annotations

from dataclasses import dataclass

from data import reference

#: Agenda for Change bands, then the grades outside it that WRES indicator 1 reports separately.
AFC_BANDS: tuple[str, ...] = ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9")
SENIOR_BANDS: tuple[str, ...] = ("8a", "8b", "8c", "8d", "9", "VSM")
MEDICAL_GRADES: tuple[str, ...] = (
    "Medical: Consultant",
    "Medical: SAS doctor",
    "Medical: Doctor in training",
)
NON_EXECUTIVE = "Non-executive director"
PAY_BANDS: tuple[str, ...] = (*AFC_BANDS, "VSM", *MEDICAL_GRADES, NON_EXECUTIVE)

POLICE_ROUTE = "Police or criminal justice"
REFERRAL_SOURCES: tuple[str, ...] = ("GP", "Self", POLICE_ROUTE, "A&E", "Other")
DISCHARGED_BEFORE_TREATMENT = "Discharged before treatment"
DISCHARGE_REASONS: tuple[str, ...] = (
    "Treatment completed",
    DISCHARGED_BEFORE_TREATMENT,
    "Did not attend",
    "Referral not accepted",
)
TALKING_THERAPIES = "Talking Therapies"
RESTRICTIVE_INTERVENTION_TYPES: tuple[str, ...] = (
    "physical",
    "mechanical",
    "seclusion",
    "segregation",
    "rapid_tranquillisation",
)
STAFF_EVENT_TYPES: tuple[str, ...] = ("formal_disciplinary", "non_mandatory_training")


@dataclass(frozen=True)
class Vocabulary:
    """The values one column may hold.

    ``values`` None means free text (any value is stored as given). ``relied_on`` are the values pages
    select on: the loader warns when none of the loaded rows carries one of them.
    """

    table: str
    column: str
    values: tuple[str, ...] | None
    relied_on: tuple[str, ...] = ()
    nullable: bool = False
    meaning: str = ""

    @property
    def closed(self) -> bool:
        return self.values is not None


VOCABULARIES: tuple[Vocabulary, ...] = (
    Vocabulary("team", "setting", ("community", "inpatient"), ("inpatient",),
               meaning="inpatient wards carry beds and restrictive interventions"),
    Vocabulary("team", "service_line", None, (TALKING_THERAPIES,),
               meaning="the trust's own service lines; Talking Therapies outcomes select on this name"),
    Vocabulary("person", "sex", ("M", "F", "X"), meaning="X: not known, not stated or another gender"),
    Vocabulary("person", "disability", ("Yes", "No", "Not known")),
    Vocabulary("person", "religion", None, meaning="as recorded; 'Not stated' when declined"),
    Vocabulary("person", "sexual_orientation", None, meaning="as recorded; 'Not stated' when declined"),
    Vocabulary("person", "first_language", None),
    Vocabulary("referral", "source", REFERRAL_SOURCES, (POLICE_ROUTE, "Self"),
               meaning="the route in; the police-route measure selects 'Police or criminal justice'"),
    Vocabulary("referral", "discharge_reason", DISCHARGE_REASONS, (DISCHARGED_BEFORE_TREATMENT,), nullable=True,
               meaning="empty while the referral is open"),
    Vocabulary("restrictive_intervention", "type", RESTRICTIVE_INTERVENTION_TYPES, ("physical",),
               meaning="prone restraint is type 'physical' with prone = true"),
    Vocabulary("feedback", "respondent_type", ("patient", "carer"), ("patient",)),
    Vocabulary("staff", "sex", ("M", "F", "X")),
    Vocabulary("staff", "disability", ("Yes", "No", "Not known")),
    Vocabulary("staff", "pay_band", PAY_BANDS, ("8a", NON_EXECUTIVE),
               meaning="Agenda for Change band, VSM, a medical grade or 'Non-executive director'"),
    Vocabulary("staff", "staff_group", None),
    Vocabulary("recruitment", "vacancy_band", PAY_BANDS),
    Vocabulary("staff_event", "type", STAFF_EVENT_TYPES, STAFF_EVENT_TYPES,
               meaning="WRES indicators 3 (formal disciplinary) and 4 (non-mandatory training)"),
    Vocabulary("staff_survey", "ethnic_group", ("White", "BME"), ("White", "BME")),
)  # fmt: skip

#: Columns holding an NHS ETHNIC CATEGORY code; a local two-character sub-code ("CA") rolls up to its
#: national parent ("C") on loading, and blanks become 99 (not known).
ETHNIC_CATEGORY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("person", "ethnic_category"),
    ("feedback", "ethnic_category"),
    ("staff", "ethnic_category"),
    ("recruitment", "ethnic_category"),
)

#: MHSDS legal status codes the legal-status extract may hold (CTOs come from their own extract).
MHSDS_LEGAL_STATUS_CODES: tuple[str, ...] = tuple(
    code for code, _, _ in reference.LEGAL_STATUSES if code != reference.CTO_CODE
)


def vocabulary(table: str, column: str) -> Vocabulary | None:
    """The vocabulary of one column, or None when the column has none."""
    for entry in VOCABULARIES:
        if entry.table == table and entry.column == column:
            return entry
    return None
