-- Teams within the user's scope (a champion sees only their own), with service line and borough.
-- Parameters: scope_all, scope_team_list
SELECT t.id, t.name, t.service_line, t.setting, t.lad_code, a.name AS borough
FROM team AS t
JOIN area AS a ON a.code = t.lad_code
WHERE (:scope_all = 1 OR t.id IN :scope_team_list)
ORDER BY t.name
