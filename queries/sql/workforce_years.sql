-- The staff snapshots (31 March) and the WRES year each closes: the financial year that ends on the
-- snapshot date, e.g. 31 March 2026 closes 2025-26. Within the user's scope, from the per-load summary.
-- Parameters: scope_all, scope_team_list
SELECT w.financial_year, w.snapshot_date
FROM summary_workforce_staff AS w
WHERE (:scope_all = 1 OR w.team_id IN :scope_team_list)
GROUP BY w.financial_year, w.snapshot_date
ORDER BY w.snapshot_date
