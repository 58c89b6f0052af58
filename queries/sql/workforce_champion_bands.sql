-- Health-inequalities champions at the 31 March snapshot by pay band, with the band's headcount, from
-- the per-load summary. Non-executive directors are left out (not employees).
-- Parameters: financial_year, scope_all, scope_team_list
SELECT w.pay_band, SUM(w.staff) AS staff, SUM(w.champions) AS champions
FROM summary_workforce_staff AS w
WHERE w.financial_year = :financial_year
  AND w.employee = 1
  AND (:scope_all = 1 OR w.team_id IN :scope_team_list)
GROUP BY w.pay_band
