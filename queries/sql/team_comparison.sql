-- One team against its service line and the trust, for every measure with team-level data (the totals;
-- "My team" itself reads team_groups, the same counts by ethnic group). Reads the summaries built at
-- load (summary_team_measures, summary_team_waits), except ethnicity recording, counted from referrals.
-- Returns counts only (numerator, denominator); rates, CIs and suppression happen in measures/.
--
-- Rows: level 'team' (the chosen team), 'service_line' (all teams of its service line, with the
-- number of teams) and 'trust' (all teams). Nothing is returned unless the chosen team is within
-- the user's scope: a champion can compare only their own team, and never sees another team's row.
--
-- Measure ids match measures/catalogue.yaml. Period: referrals received, courses finished, answers
-- given and incidents or bed days in the financial year.
-- Parameters: team_id, financial_year, standard_days, scope_all, scope_team_list
WITH measure_by_team AS (
    SELECT team_id, measure_id, SUM(numerator) AS numerator, SUM(denominator) AS denominator
    FROM summary_team_measures
    WHERE financial_year = :financial_year
    GROUP BY team_id, measure_id
    UNION ALL
    SELECT team_id, 'seen_within_standard_pct',
           SUM(CASE WHEN wait_days IS NOT NULL AND wait_days <= :standard_days THEN referrals ELSE 0 END),
           SUM(referrals)
    FROM summary_team_waits
    WHERE financial_year = :financial_year
    GROUP BY team_id
    UNION ALL
    SELECT r.team_id, 'ethnicity_recorded_pct', SUM(CASE WHEN e.known THEN 1 ELSE 0 END), COUNT(*)
    FROM referral AS r
    JOIN calendar AS c ON c.date = r.received_date
    JOIN person AS p ON p.id = r.person_id
    JOIN ethnic_category AS e ON e.code = p.ethnic_category
    WHERE c.financial_year = :financial_year
    GROUP BY r.team_id
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
