-- Summary (built once per load, data/summaries.py): the counts behind "My team", by financial year,
-- quarter, team and NHS ethnic category, for every measure with team-level data except the waiting
-- standard (summary_team_waits, whose standard is a setting) and ethnicity recording
-- (summary_quality_people). Ward measures (restrictive interventions per occupied bed day) have no
-- ethnic group: their rows carry ethnic_category ''. Measure ids match measures/catalogue.yaml.
-- Counts: referrals (events) for the access measures, appointments for DNAs, finished courses for
-- Talking Therapies, answers for feedback, incidents and occupied bed days for wards.
WITH referral_rows AS (
    SELECT c.financial_year, c.quarter, r.team_id, p.ethnic_category,
           r.source, r.first_contact_date, r.discharge_reason, r.attended_count, r.dna_count
    FROM referral AS r
    JOIN calendar AS c ON c.date = r.received_date
    JOIN person AS p ON p.id = r.person_id
),
outcome_rows AS (
    SELECT c.financial_year, c.quarter, o.team_id, p.ethnic_category,
           o.caseness_at_start, o.recovered, o.reliable_improvement, o.reliable_deterioration
    FROM outcome AS o
    JOIN calendar AS c ON c.date = o.end_date
    JOIN person AS p ON p.id = o.person_id
),
ward_quarter AS (
    SELECT c.financial_year, c.quarter, b.team_id, SUM(b.occupied_bed_days) AS bed_days
    FROM bed_day AS b
    JOIN calendar AS c ON c.date = b.month_start
    GROUP BY c.financial_year, c.quarter, b.team_id
),
incident_quarter AS (
    SELECT c.financial_year, c.quarter, i.team_id,
           SUM(CASE WHEN i.type = 'physical' THEN 1 ELSE 0 END) AS physical,
           SUM(CASE WHEN i.type = 'physical' AND i.prone THEN 1 ELSE 0 END) AS prone,
           SUM(CASE WHEN i.type = 'mechanical' THEN 1 ELSE 0 END) AS mechanical,
           SUM(CASE WHEN i.type = 'seclusion' THEN 1 ELSE 0 END) AS seclusion,
           SUM(CASE WHEN i.type = 'segregation' THEN 1 ELSE 0 END) AS segregation,
           SUM(CASE WHEN i.type = 'rapid_tranquillisation' THEN 1 ELSE 0 END) AS rapid_tranquillisation
    FROM restrictive_intervention AS i
    JOIN calendar AS c ON c.date = i.date
    GROUP BY c.financial_year, c.quarter, i.team_id
),
ward AS (
    SELECT w.financial_year, w.quarter, w.team_id, w.bed_days,
           COALESCE(i.physical, 0) AS physical, COALESCE(i.prone, 0) AS prone,
           COALESCE(i.mechanical, 0) AS mechanical, COALESCE(i.seclusion, 0) AS seclusion,
           COALESCE(i.segregation, 0) AS segregation,
           COALESCE(i.rapid_tranquillisation, 0) AS rapid_tranquillisation
    FROM ward_quarter AS w
    LEFT JOIN incident_quarter AS i
      ON i.team_id = w.team_id AND i.financial_year = w.financial_year AND i.quarter = w.quarter
)
SELECT financial_year, quarter, team_id, ethnic_category, 'dna_rate_pct' AS measure_id,
       SUM(dna_count) AS numerator, SUM(attended_count + dna_count) AS denominator
FROM referral_rows GROUP BY financial_year, quarter, team_id, ethnic_category
UNION ALL
SELECT financial_year, quarter, team_id, ethnic_category, 'referral_route_police_pct',
       SUM(CASE WHEN source = 'Police or criminal justice' THEN 1 ELSE 0 END), COUNT(*)
FROM referral_rows GROUP BY financial_year, quarter, team_id, ethnic_category
UNION ALL
SELECT financial_year, quarter, team_id, ethnic_category, 'discharged_before_treatment_pct',
       SUM(CASE WHEN discharge_reason = 'Discharged before treatment' THEN 1 ELSE 0 END), COUNT(*)
FROM referral_rows WHERE first_contact_date IS NOT NULL
GROUP BY financial_year, quarter, team_id, ethnic_category
UNION ALL
SELECT financial_year, quarter, team_id, ethnic_category, 'talking_therapies_recovery_pct',
       SUM(CASE WHEN caseness_at_start AND recovered THEN 1 ELSE 0 END),
       SUM(CASE WHEN caseness_at_start THEN 1 ELSE 0 END)
FROM outcome_rows GROUP BY financial_year, quarter, team_id, ethnic_category
UNION ALL
SELECT financial_year, quarter, team_id, ethnic_category, 'talking_therapies_reliable_improvement_pct',
       SUM(CASE WHEN reliable_improvement THEN 1 ELSE 0 END), COUNT(*)
FROM outcome_rows GROUP BY financial_year, quarter, team_id, ethnic_category
UNION ALL
SELECT financial_year, quarter, team_id, ethnic_category, 'talking_therapies_reliable_deterioration_pct',
       SUM(CASE WHEN reliable_deterioration THEN 1 ELSE 0 END), COUNT(*)
FROM outcome_rows GROUP BY financial_year, quarter, team_id, ethnic_category
UNION ALL
SELECT c.financial_year, c.quarter, f.team_id, f.ethnic_category, 'feedback_positive_pct',
       SUM(CASE WHEN f.positive THEN 1 ELSE 0 END), COUNT(*)
FROM feedback AS f
JOIN calendar AS c ON c.date = f.date
GROUP BY c.financial_year, c.quarter, f.team_id, f.ethnic_category
UNION ALL
SELECT financial_year, quarter, team_id, '', 'restraint_physical_per_obd', physical, bed_days FROM ward
UNION ALL
SELECT financial_year, quarter, team_id, '', 'restraint_prone_per_obd', prone, bed_days FROM ward
UNION ALL
SELECT financial_year, quarter, team_id, '', 'restraint_mechanical_per_obd', mechanical, bed_days FROM ward
UNION ALL
SELECT financial_year, quarter, team_id, '', 'seclusion_per_obd', seclusion, bed_days FROM ward
UNION ALL
SELECT financial_year, quarter, team_id, '', 'segregation_per_obd', segregation, bed_days FROM ward
UNION ALL
SELECT financial_year, quarter, team_id, '', 'rapid_tranquillisation_per_obd', rapid_tranquillisation, bed_days
FROM ward
