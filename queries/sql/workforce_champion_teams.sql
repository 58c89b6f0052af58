-- Every team in scope with its staff and health-inequalities champions at the 31 March snapshot,
-- including teams with no champion (and teams with no staff recorded), from the per-load summary.
-- Parameters: financial_year, scope_all, scope_team_list
SELECT t.id AS team_id, t.name AS team, t.service_line, a.name AS borough,
       COALESCE(k.staff, 0) AS staff, COALESCE(k.champions, 0) AS champions
FROM team AS t
JOIN area AS a ON a.code = t.lad_code
LEFT JOIN (
    SELECT w.team_id, SUM(w.staff) AS staff, SUM(w.champions) AS champions
    FROM summary_workforce_staff AS w
    WHERE w.financial_year = :financial_year
    GROUP BY w.team_id
) AS k ON k.team_id = t.id
WHERE (:scope_all = 1 OR t.id IN :scope_team_list)
ORDER BY t.service_line, t.name
