-- Resident population by area (borough or neighbourhood), optionally for one NHS broad ethnic group:
-- the denominators of the area maps. Census groups map to NHS broad groups as NHS England does
-- (census_ethnic_group.nhs_broad_group; Chinese counts as Other). Not team data: the same for every
-- scope that may see area figures.
-- Parameters: level ('lad' or 'msoa'), borough ('' for all), broad_group ('' for all), scope_all,
-- scope_team_list
SELECT CASE WHEN :level = 'lad' THEN a.parent_code ELSE a.code END AS area_code,
       SUM(p.count) AS population
FROM population AS p
JOIN area AS a ON a.code = p.area_code AND a.type = 'msoa'
JOIN census_ethnic_group AS g ON g.code = p.census_ethnic_group
WHERE (:borough = '' OR a.parent_code = :borough)
  AND (:broad_group = '' OR g.nhs_broad_group = :broad_group)
  AND (:scope_all = 1 OR :scope_has_teams = 1)
GROUP BY CASE WHEN :level = 'lad' THEN a.parent_code ELSE a.code END
