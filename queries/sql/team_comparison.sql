-- One team against its service line and the trust, for every measure with team-level data.
-- Returns counts only (numerator, denominator); rates, CIs and suppression happen in measures/.
--
-- Rows: level 'team' (the chosen team), 'service_line' (all teams of its service line, with the
-- number of teams) and 'trust' (all teams). Nothing is returned unless the chosen team is within
-- the user's scope: a champion can compare only their own team, and never sees another team's row.
--
-- Measure ids match measures/catalogue.yaml. Period: referrals received, courses finished, answers
-- given and incidents or bed days in the financial year.
-- Parameters: team_id, financial_year, standard_days, scope_all, scope_team_list
WITH referral_year AS (
    SELECT r.team_id, r.person_id, r.source, r.accepted, r.first_contact_date, r.discharge_reason,
           r.attended_count, r.dna_count,
           fc.day_number - rc.day_number AS wait_days
    FROM referral AS r
    JOIN calendar AS rc ON rc.date = r.received_date
    LEFT JOIN calendar AS fc ON fc.date = r.first_contact_date
    WHERE rc.financial_year = :financial_year
),
ward_year AS (
    SELECT b.team_id,
           SUM(b.occupied_bed_days) AS bed_days
    FROM bed_day AS b
    JOIN calendar AS c ON c.date = b.month_start
    WHERE c.financial_year = :financial_year
    GROUP BY b.team_id
),
incident_year AS (
    SELECT i.team_id,
           SUM(CASE WHEN i.type = 'physical' THEN 1 ELSE 0 END) AS physical,
           SUM(CASE WHEN i.type = 'physical' AND i.prone THEN 1 ELSE 0 END) AS prone,
           SUM(CASE WHEN i.type = 'mechanical' THEN 1 ELSE 0 END) AS mechanical,
           SUM(CASE WHEN i.type = 'seclusion' THEN 1 ELSE 0 END) AS seclusion,
           SUM(CASE WHEN i.type = 'segregation' THEN 1 ELSE 0 END) AS segregation,
           SUM(CASE WHEN i.type = 'rapid_tranquillisation' THEN 1 ELSE 0 END) AS rapid_tranquillisation
    FROM restrictive_intervention AS i
    JOIN calendar AS c ON c.date = i.date
    WHERE c.financial_year = :financial_year
    GROUP BY i.team_id
),
ward AS (
    SELECT w.team_id, w.bed_days,
           COALESCE(i.physical, 0) AS physical, COALESCE(i.prone, 0) AS prone,
           COALESCE(i.mechanical, 0) AS mechanical, COALESCE(i.seclusion, 0) AS seclusion,
           COALESCE(i.segregation, 0) AS segregation,
           COALESCE(i.rapid_tranquillisation, 0) AS rapid_tranquillisation
    FROM ward_year AS w
    LEFT JOIN incident_year AS i ON i.team_id = w.team_id
),
outcome_year AS (
    SELECT o.team_id, o.caseness_at_start, o.recovered, o.reliable_improvement, o.reliable_deterioration
    FROM outcome AS o
    JOIN calendar AS c ON c.date = o.end_date
    WHERE c.financial_year = :financial_year
),
measure_by_team AS (
    SELECT team_id, 'dna_rate_pct' AS measure_id,
           SUM(dna_count) AS numerator, SUM(attended_count + dna_count) AS denominator
    FROM referral_year GROUP BY team_id
    UNION ALL
    SELECT team_id, 'referral_route_police_pct',
           SUM(CASE WHEN source = 'Police or criminal justice' THEN 1 ELSE 0 END), COUNT(*)
    FROM referral_year GROUP BY team_id
    UNION ALL
    SELECT team_id, 'seen_within_standard_pct',
           SUM(CASE WHEN wait_days IS NOT NULL AND wait_days <= :standard_days THEN 1 ELSE 0 END), COUNT(*)
    FROM referral_year WHERE accepted GROUP BY team_id
    UNION ALL
    SELECT team_id, 'discharged_before_treatment_pct',
           SUM(CASE WHEN discharge_reason = 'Discharged before treatment' THEN 1 ELSE 0 END), COUNT(*)
    FROM referral_year WHERE first_contact_date IS NOT NULL GROUP BY team_id
    UNION ALL
    SELECT r.team_id, 'ethnicity_recorded_pct', SUM(CASE WHEN e.known THEN 1 ELSE 0 END), COUNT(*)
    FROM referral_year AS r
    JOIN person AS p ON p.id = r.person_id
    JOIN ethnic_category AS e ON e.code = p.ethnic_category
    GROUP BY r.team_id
    UNION ALL
    SELECT team_id, 'talking_therapies_recovery_pct',
           SUM(CASE WHEN caseness_at_start AND recovered THEN 1 ELSE 0 END),
           SUM(CASE WHEN caseness_at_start THEN 1 ELSE 0 END)
    FROM outcome_year GROUP BY team_id
    UNION ALL
    SELECT team_id, 'talking_therapies_reliable_improvement_pct',
           SUM(CASE WHEN reliable_improvement THEN 1 ELSE 0 END), COUNT(*)
    FROM outcome_year GROUP BY team_id
    UNION ALL
    SELECT team_id, 'talking_therapies_reliable_deterioration_pct',
           SUM(CASE WHEN reliable_deterioration THEN 1 ELSE 0 END), COUNT(*)
    FROM outcome_year GROUP BY team_id
    UNION ALL
    SELECT f.team_id, 'feedback_positive_pct', SUM(CASE WHEN f.positive THEN 1 ELSE 0 END), COUNT(*)
    FROM feedback AS f
    JOIN calendar AS c ON c.date = f.date
    WHERE c.financial_year = :financial_year
    GROUP BY f.team_id
    UNION ALL
    SELECT team_id, 'restraint_physical_per_obd', physical, bed_days FROM ward
    UNION ALL
    SELECT team_id, 'restraint_prone_per_obd', prone, bed_days FROM ward
    UNION ALL
    SELECT team_id, 'restraint_mechanical_per_obd', mechanical, bed_days FROM ward
    UNION ALL
    SELECT team_id, 'seclusion_per_obd', seclusion, bed_days FROM ward
    UNION ALL
    SELECT team_id, 'segregation_per_obd', segregation, bed_days FROM ward
    UNION ALL
    SELECT team_id, 'rapid_tranquillisation_per_obd', rapid_tranquillisation, bed_days FROM ward
)
SELECT 'team' AS level, m.measure_id, t.service_line, 1 AS teams,
       SUM(m.numerator) AS numerator, SUM(m.denominator) AS denominator
FROM measure_by_team AS m
JOIN team AS t ON t.id = m.team_id
WHERE m.team_id = :team_id
  AND (:scope_all = 1 OR m.team_id IN :scope_team_list)
GROUP BY m.measure_id, t.service_line
UNION ALL
SELECT 'service_line', m.measure_id, t.service_line, COUNT(DISTINCT m.team_id),
       SUM(m.numerator), SUM(m.denominator)
FROM measure_by_team AS m
JOIN team AS t ON t.id = m.team_id
WHERE t.service_line = (SELECT s.service_line FROM team AS s WHERE s.id = :team_id)
  AND (:scope_all = 1 OR :team_id IN :scope_team_list)
GROUP BY m.measure_id, t.service_line
UNION ALL
SELECT 'trust', m.measure_id, 'Trust', COUNT(DISTINCT m.team_id), SUM(m.numerator), SUM(m.denominator)
FROM measure_by_team AS m
WHERE (:scope_all = 1 OR :team_id IN :scope_team_list)
GROUP BY m.measure_id
