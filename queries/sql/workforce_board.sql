-- Board voting members at the 31 March snapshot by WRES group (White, BME, Not recorded), for WRES
-- indicator 9. Board members have no team, so only a trust-wide scope sees them.
-- Parameters: financial_year ('' for every year), scope_all, scope_team_list
SELECT c.financial_year,
       CASE WHEN e.known = FALSE THEN 'Not recorded'
            WHEN e.broad_group = 'White' THEN 'White' ELSE 'BME' END AS wres_group,
       COUNT(*) AS members
FROM staff AS s
JOIN calendar AS c ON c.date = s.snapshot_date
JOIN ethnic_category AS e ON e.code = s.ethnic_category
WHERE s.board_member = TRUE AND s.board_voting = TRUE
  AND (:financial_year = '' OR c.financial_year = :financial_year)
  AND (:scope_all = 1 OR s.team_id IN :scope_team_list)
GROUP BY c.financial_year,
         CASE WHEN e.known = FALSE THEN 'Not recorded'
              WHEN e.broad_group = 'White' THEN 'White' ELSE 'BME' END
