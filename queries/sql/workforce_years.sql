-- The staff snapshots (31 March) and the WRES year each closes: the financial year that ends on the
-- snapshot date, e.g. 31 March 2026 closes 2025-26. Within the user's scope.
-- Parameters: scope_all, scope_team_list
SELECT c.financial_year, s.snapshot_date
FROM staff AS s
JOIN calendar AS c ON c.date = s.snapshot_date
WHERE (:scope_all = 1 OR s.team_id IN :scope_team_list)
GROUP BY c.financial_year, s.snapshot_date
ORDER BY s.snapshot_date
