-- Residents by borough and NHS broad ethnic group (working-age, or all ages when the store holds no
-- population by age: age_basis says which), from the per-load summary. Not team data: the same for
-- every scope that may see trust figures.
-- Parameters: scope_all, scope_team_list
SELECT p.area_code, p.broad_group, p.population, p.age_basis
FROM summary_workforce_population AS p
WHERE (:scope_all = 1 OR :scope_has_teams = 1)
