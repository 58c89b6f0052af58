-- Health-inequalities champions at the 31 March snapshot by pay band, with the band's headcount.
-- Non-executive directors are left out (not employees).
-- Parameters: financial_year, scope_all, scope_team_list
SELECT s.pay_band, COUNT(*) AS staff,
       SUM(CASE WHEN s.hi_champion = TRUE THEN 1 ELSE 0 END) AS champions
FROM staff AS s
JOIN calendar AS c ON c.date = s.snapshot_date
WHERE c.financial_year = :financial_year
  AND NOT (s.board_member = TRUE AND s.executive = FALSE)
  AND (:scope_all = 1 OR s.team_id IN :scope_team_list)
GROUP BY s.pay_band
