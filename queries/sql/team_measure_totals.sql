-- Every team within scope with its year's counts for one measure with team-level data, for the team
-- comparisons (funnel plots). Reads the summaries built at load. Counts only.
-- Rows: team_id, name, service_line, numerator, denominator.
-- Parameters: measure_id, financial_year, standard_days, scope_all, scope_team_list
WITH measure_rows AS (
    SELECT team_id, numerator, denominator
    FROM summary_team_measures
    WHERE financial_year = :financial_year AND measure_id = :measure_id
    UNION ALL
    SELECT team_id,
           SUM(CASE WHEN wait_days IS NOT NULL AND wait_days <= :standard_days THEN referrals ELSE 0 END),
           SUM(referrals)
    FROM summary_team_waits
    WHERE financial_year = :financial_year AND :measure_id = 'seen_within_standard_pct'
    GROUP BY team_id
)
SELECT t.id AS team_id, t.name, t.service_line, SUM(m.numerator) AS numerator, SUM(m.denominator) AS denominator
FROM measure_rows AS m
JOIN team AS t ON t.id = m.team_id
WHERE (:scope_all = 1 OR t.id IN :scope_team_list)
GROUP BY t.id, t.name, t.service_line
HAVING SUM(m.denominator) > 0
ORDER BY t.name
