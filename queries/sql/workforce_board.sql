-- Board voting members at the 31 March snapshot by WRES group (White, BME, Not recorded), for WRES
-- indicator 9, from the per-load summary. Board members have no team, so only a trust-wide scope sees
-- them.
-- Parameters: financial_year ('' for every year), scope_all, scope_team_list
SELECT w.financial_year,
       CASE WHEN w.known = 0 THEN 'Not recorded'
            WHEN w.broad_group = 'White' THEN 'White' ELSE 'BME' END AS wres_group,
       SUM(w.staff) AS members
FROM summary_workforce_staff AS w
WHERE w.board_voting = 1
  AND (:financial_year = '' OR w.financial_year = :financial_year)
  AND (:scope_all = 1 OR w.team_id IN :scope_team_list)
GROUP BY w.financial_year,
         CASE WHEN w.known = 0 THEN 'Not recorded'
              WHEN w.broad_group = 'White' THEN 'White' ELSE 'BME' END
