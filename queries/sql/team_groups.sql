-- "My team": one team, its service line (all its teams across the trust) and the trust (every team with
-- the measure), by NHS ethnic category, for every measure with team-level data, in one financial year.
-- Reads the summaries built at load (summary_team_measures, summary_team_waits). Counts only; rates,
-- intervals and suppression happen in reports/ and measures/.
--
-- Rows: level ('team', 'service_line', 'trust'), measure_id, ethnic_category ('' for ward measures,
-- which have no ethnic group), numerator, denominator, and teams (how many teams of the level have a
-- denominator for the measure in the year). Nothing is returned unless the chosen team is within the
-- user's scope: a champion can open only their own team, and never sees another team's row.
-- Parameters: team_id, financial_year, standard_days, scope_all, scope_team_list
WITH measure_rows AS (
    SELECT team_id, measure_id, ethnic_category, numerator, denominator
    FROM summary_team_measures
    WHERE financial_year = :financial_year
    UNION ALL
    SELECT team_id, 'seen_within_standard_pct', ethnic_category,
           SUM(CASE WHEN wait_days IS NOT NULL AND wait_days <= :standard_days THEN referrals ELSE 0 END),
           SUM(referrals)
    FROM summary_team_waits
    WHERE financial_year = :financial_year
    GROUP BY team_id, ethnic_category
),
by_team AS (
    SELECT m.team_id, t.service_line, m.measure_id, m.ethnic_category,
           SUM(m.numerator) AS numerator, SUM(m.denominator) AS denominator
    FROM measure_rows AS m
    JOIN team AS t ON t.id = m.team_id
    GROUP BY m.team_id, t.service_line, m.measure_id, m.ethnic_category
),
team_totals AS (
    SELECT team_id, service_line, measure_id
    FROM by_team
    GROUP BY team_id, service_line, measure_id
    HAVING SUM(denominator) > 0
),
chosen AS (
    SELECT s.service_line FROM team AS s
    WHERE s.id = :team_id AND (:scope_all = 1 OR s.id IN :scope_team_list)
),
service_teams AS (
    SELECT measure_id, COUNT(*) AS teams FROM team_totals
    WHERE service_line = (SELECT service_line FROM chosen) GROUP BY measure_id
),
trust_teams AS (
    SELECT measure_id, COUNT(*) AS teams FROM team_totals GROUP BY measure_id
)
SELECT 'team' AS level, b.measure_id, b.ethnic_category, SUM(b.numerator) AS numerator,
       SUM(b.denominator) AS denominator, 1 AS teams
FROM by_team AS b
WHERE b.team_id = :team_id AND EXISTS (SELECT 1 FROM chosen)
GROUP BY b.measure_id, b.ethnic_category
UNION ALL
SELECT 'service_line', b.measure_id, b.ethnic_category, SUM(b.numerator), SUM(b.denominator),
       MAX(s.teams)
FROM by_team AS b
JOIN service_teams AS s ON s.measure_id = b.measure_id
WHERE b.service_line = (SELECT service_line FROM chosen)
GROUP BY b.measure_id, b.ethnic_category
UNION ALL
SELECT 'trust', b.measure_id, b.ethnic_category, SUM(b.numerator), SUM(b.denominator), MAX(s.teams)
FROM by_team AS b
JOIN trust_teams AS s ON s.measure_id = b.measure_id
WHERE EXISTS (SELECT 1 FROM chosen)
GROUP BY b.measure_id, b.ethnic_category
