-- The teams that served the residents of one neighbourhood (or borough) in one financial year, with the
-- referrals received from and detentions started of people living there, for the drill-down from a
-- neighbourhood to its teams. From the summary built at load (summary_area_events); within scope.
-- Parameters: financial_year, borough, msoa ('' for the whole borough), scope_all, scope_team_list
SELECT t.id, t.name, t.service_line,
       SUM(CASE WHEN s.measure_id = 'referrals_rate' THEN s.events ELSE 0 END) AS referrals,
       SUM(CASE WHEN s.measure_id = 'mha_detentions_crude_rate' THEN s.events ELSE 0 END) AS detentions
FROM summary_area_events AS s
JOIN team AS t ON t.id = s.team_id
WHERE s.financial_year = :financial_year
  AND s.lad_code = :borough
  AND (:msoa = '' OR s.msoa_code = :msoa)
  AND (:scope_all = 1 OR s.team_id IN :scope_team_list)
GROUP BY t.id, t.name, t.service_line
ORDER BY t.service_line, t.name
