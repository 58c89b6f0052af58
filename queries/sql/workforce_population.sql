-- Working-age residents (age bands from 16 up to 64: age_from >= 16 and age_to <= 64) by borough and
-- NHS broad ethnic group: the community each pay band is compared with. Census groups map to NHS
-- broad groups as NHS England does (Chinese counts as Other; Gypsy or Irish Traveller and Roma as
-- White; Arab as Other). Not team data: the same for every scope that may see trust figures.
-- Parameters: scope_all, scope_team_list
SELECT a.parent_code AS area_code, g.nhs_broad_group AS broad_group, SUM(p.count) AS population
FROM population AS p
JOIN area AS a ON a.code = p.area_code AND a.type = 'msoa'
JOIN census_ethnic_group AS g ON g.code = p.census_ethnic_group
JOIN age_band AS b ON b.band = p.age_band
WHERE b.age_from >= 16 AND b.age_to <= 64
  AND (:scope_all = 1 OR :scope_has_teams = 1)
GROUP BY a.parent_code, g.nhs_broad_group
