-- Coercion events and population by ESP2013 five-year age band, for directly standardised rates
-- (docs/methods.md), at two levels: NHS broad group (level 'broad'; every Census group counts, as in
-- pcref_population) and NHS ethnic category (level 'code'; Census groups without an NHS code are left
-- out). Rows with population 0 are kept so the caller sees every band. Population by age comes from the
-- optional population_age_sex table: without it the query returns no rows and standardised rates are
-- unavailable. Same measures and filters as pcref_events (events by the age band at the event); the age
-- filter does not apply (standardisation uses every age).
-- Parameters: measure, ri_type, service_line, period_start, period_end, borough, sex, scope_all,
-- scope_team_list, scope_has_teams
WITH {{coercion_events}},
events AS (
    SELECT person_id, age_band FROM coercion_events WHERE date >= :period_start AND date <= :period_end
),
event_cells AS (
    SELECT p.ethnic_category AS code, e.broad_group, ab.esp2013_band, COUNT(*) AS events
    FROM events AS ev
    JOIN person AS p ON p.id = ev.person_id
    JOIN ethnic_category AS e ON e.code = p.ethnic_category
    JOIN age_band AS ab ON ab.band = ev.age_band
    WHERE (:borough = '' OR p.lad_code = :borough)
      AND (:sex = '' OR p.sex = :sex)
    GROUP BY p.ethnic_category, e.broad_group, ab.esp2013_band
),
population_cells AS (
    SELECT g.nhs_code AS code, g.nhs_broad_group AS broad_group, ab.esp2013_band, SUM(p.count) AS population
    FROM population_age_sex AS p
    JOIN area AS a ON a.code = p.area_code AND a.type = 'msoa'
    JOIN census_ethnic_group AS g ON g.code = p.census_ethnic_group
    JOIN age_band AS ab ON ab.band = p.age_band
    WHERE (:borough = '' OR a.parent_code = :borough)
      AND (:sex = '' OR p.sex = :sex)
      AND (:scope_all = 1 OR :scope_has_teams = 1)
    GROUP BY g.nhs_code, g.nhs_broad_group, ab.esp2013_band
),
broad_population AS (
    SELECT broad_group, esp2013_band, SUM(population) AS population
    FROM population_cells GROUP BY broad_group, esp2013_band
),
broad_events AS (
    SELECT broad_group, esp2013_band, SUM(events) AS events FROM event_cells GROUP BY broad_group, esp2013_band
)
SELECT 'broad' AS level, bp.broad_group AS grp, bp.broad_group, bp.esp2013_band,
       COALESCE(be.events, 0) AS events, bp.population
FROM broad_population AS bp
LEFT JOIN broad_events AS be ON be.broad_group = bp.broad_group AND be.esp2013_band = bp.esp2013_band
UNION ALL
SELECT 'code', pc.code, pc.broad_group, pc.esp2013_band, COALESCE(ec.events, 0), pc.population
FROM population_cells AS pc
LEFT JOIN event_cells AS ec ON ec.code = pc.code AND ec.esp2013_band = pc.esp2013_band
WHERE pc.code IS NOT NULL
ORDER BY 1, 2, 4
