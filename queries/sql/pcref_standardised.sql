-- Coercion events and population by NHS broad ethnic group and ESP2013 five-year age band, for
-- directly standardised rates (docs/methods.md). Rows with population 0 are kept so the caller sees
-- every band. Population by age comes from the optional population_age_sex table: without it the
-- query returns no rows and standardised rates are unavailable. Same measures and filters as pcref_events (events by the age band at the event).
-- Parameters: measure, ri_type, service_line, period_start, period_end, borough, sex, scope_all,
-- scope_team_list, scope_has_teams
WITH {{coercion_events}},
events AS (
    SELECT person_id, age_band FROM coercion_events WHERE date >= :period_start AND date <= :period_end
),
event_cells AS (
    SELECT e.broad_group, ab.esp2013_band, COUNT(*) AS events
    FROM events AS ev
    JOIN person AS p ON p.id = ev.person_id
    JOIN ethnic_category AS e ON e.code = p.ethnic_category
    JOIN age_band AS ab ON ab.band = ev.age_band
    WHERE (:borough = '' OR p.lad_code = :borough)
      AND (:sex = '' OR p.sex = :sex)
    GROUP BY e.broad_group, ab.esp2013_band
),
population_cells AS (
    SELECT g.nhs_broad_group AS broad_group, ab.esp2013_band, SUM(p.count) AS population
    FROM population_age_sex AS p
    JOIN area AS a ON a.code = p.area_code AND a.type = 'msoa'
    JOIN census_ethnic_group AS g ON g.code = p.census_ethnic_group
    JOIN age_band AS ab ON ab.band = p.age_band
    WHERE (:borough = '' OR a.parent_code = :borough)
      AND (:sex = '' OR p.sex = :sex)
      AND (:scope_all = 1 OR :scope_has_teams = 1)
    GROUP BY g.nhs_broad_group, ab.esp2013_band
)
SELECT pc.broad_group, pc.esp2013_band, COALESCE(ec.events, 0) AS events, pc.population
FROM population_cells AS pc
LEFT JOIN event_cells AS ec ON ec.broad_group = pc.broad_group AND ec.esp2013_band = pc.esp2013_band
ORDER BY pc.broad_group, pc.esp2013_band
