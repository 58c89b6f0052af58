-- The "you said, we did" log: actions taken on patient and carer feedback, newest first. Trust-wide
-- actions (no team) are shown to every scope that may see trust-level figures; team actions only
-- within scope.
-- Parameters: scope_all, scope_team_list, scope_has_teams
SELECT a.date, a.theme, a.you_said, a.we_did, COALESCE(t.name, 'Trust-wide') AS team
FROM feedback_action AS a
LEFT JOIN team AS t ON t.id = a.team_id
WHERE (a.team_id IS NULL AND :scope_has_teams = 1)
   OR (:scope_all = 1 OR a.team_id IN :scope_team_list)
ORDER BY a.date DESC
