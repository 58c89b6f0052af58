-- Events and population by NHS broad ethnic group within one borough or neighbourhood (or the whole
-- trust), for the "breakdown by community" at every level of a drill-down; events from the summary built
-- at load (summary_area_events), by where people live. People with ethnicity not stated or not known are
-- counted separately (no population); rates leave them out.
-- Parameters: measure_id, financial_year, borough ('' for the trust), msoa ('' for the whole borough),
-- scope_all, scope_team_list
WITH group_events AS (
    SELECT s.broad_group, SUM(s.events) AS events
    FROM summary_area_events AS s
    WHERE s.measure_id = :measure_id
      AND s.financial_year = :financial_year
      AND (:borough = '' OR s.lad_code = :borough)
      AND (:msoa = '' OR s.msoa_code = :msoa)
      AND (:scope_all = 1 OR s.team_id IN :scope_team_list)
    GROUP BY s.broad_group
),
group_population AS (
    SELECT g.nhs_broad_group AS broad_group, SUM(p.count) AS population
    FROM population AS p
    JOIN area AS a ON a.code = p.area_code AND a.type = 'msoa'
    JOIN census_ethnic_group AS g ON g.code = p.census_ethnic_group
    WHERE (:borough = '' OR a.parent_code = :borough)
      AND (:msoa = '' OR a.code = :msoa)
    GROUP BY g.nhs_broad_group
),
events_by_group AS (
    SELECT broad_group, SUM(events) AS events FROM group_events GROUP BY broad_group
),
groups AS (
    SELECT broad_group, MIN(sort_order) AS sort_order FROM ethnic_category GROUP BY broad_group
)
SELECT g.broad_group, g.sort_order, COALESCE(ev.events, 0) AS events, gp.population
FROM groups AS g
LEFT JOIN events_by_group AS ev ON ev.broad_group = g.broad_group
LEFT JOIN group_population AS gp ON gp.broad_group = g.broad_group
WHERE (:scope_all = 1 OR :scope_has_teams = 1)
ORDER BY g.sort_order
