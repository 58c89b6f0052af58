-- "My team": one team and its service line by quarter (every quarter held), for every measure with
-- team-level data, all ethnic groups together. Reads the summaries built at load. Counts only.
-- Rows: level ('team', 'service_line'), measure_id, quarter, numerator, denominator, teams (teams of
-- the level with a denominator for the measure in the quarter). Nothing is returned unless the chosen
-- team is within the user's scope.
-- Parameters: team_id, standard_days, scope_all, scope_team_list
WITH measure_rows AS (
    SELECT quarter, team_id, measure_id, numerator, denominator
    FROM summary_team_measures
    UNION ALL
    SELECT quarter, team_id, 'seen_within_standard_pct',
           SUM(CASE WHEN wait_days IS NOT NULL AND wait_days <= :standard_days THEN referrals ELSE 0 END),
           SUM(referrals)
    FROM summary_team_waits
    GROUP BY quarter, team_id
),
chosen AS (
    SELECT s.service_line FROM team AS s
    WHERE s.id = :team_id AND (:scope_all = 1 OR s.id IN :scope_team_list)
),
by_team AS (
    SELECT m.quarter, m.team_id, m.measure_id, SUM(m.numerator) AS numerator, SUM(m.denominator) AS denominator
    FROM measure_rows AS m
    JOIN team AS t ON t.id = m.team_id
    WHERE t.service_line = (SELECT service_line FROM chosen)
    GROUP BY m.quarter, m.team_id, m.measure_id
)
SELECT 'team' AS level, measure_id, quarter, SUM(numerator) AS numerator, SUM(denominator) AS denominator,
       1 AS teams
FROM by_team WHERE team_id = :team_id
GROUP BY measure_id, quarter
UNION ALL
SELECT 'service_line', measure_id, quarter, SUM(numerator), SUM(denominator),
       SUM(CASE WHEN denominator > 0 THEN 1 ELSE 0 END)
FROM by_team
GROUP BY measure_id, quarter
