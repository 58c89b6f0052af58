-- Equality targets (e.g. recruitment targets for under-represented groups). Trust-level: only a
-- trust-wide scope sees them.
-- Parameters: scope_all, scope_team_list
SELECT g.id, g.measure, g.target_group, g.baseline, g.value, g.start_date, g.due_date, g.description
FROM target AS g
WHERE :scope_all = 1
ORDER BY g.due_date, g.id
