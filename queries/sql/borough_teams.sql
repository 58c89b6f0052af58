-- The teams based in one borough with their activity in one financial year (wherever their patients
-- live), for the drill-down's team breakdown (equality leads). Referrals from the summary built at load
-- (summary_team_measures: every referral received is in the police-route denominator). Within scope.
-- Parameters: borough, financial_year, scope_all, scope_team_list
WITH referrals AS (
    SELECT team_id, SUM(denominator) AS referrals
    FROM summary_team_measures
    WHERE financial_year = :financial_year AND measure_id = 'referral_route_police_pct'
    GROUP BY team_id
),
detentions AS (
    SELECT m.team_id, COUNT(*) AS detentions
    FROM mha_episode AS m
    JOIN legal_status AS l ON l.code = m.legal_status
    JOIN calendar AS c ON c.date = m.start_date
    WHERE l.category = 'detention' AND c.financial_year = :financial_year
    GROUP BY m.team_id
)
SELECT t.id, t.name, t.service_line, COALESCE(r.referrals, 0) AS referrals,
       COALESCE(d.detentions, 0) AS detentions
FROM team AS t
LEFT JOIN referrals AS r ON r.team_id = t.id
LEFT JOIN detentions AS d ON d.team_id = t.id
WHERE t.lad_code = :borough
  AND (:scope_all = 1 OR t.id IN :scope_team_list)
ORDER BY t.service_line, t.name
