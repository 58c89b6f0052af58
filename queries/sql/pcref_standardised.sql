-- Coercion events and population by ESP2013 five-year age band, for directly standardised rates
-- (docs/methods.md), at two levels: NHS broad group (level 'broad'; every Census group counts, as in
-- pcref_population) and NHS ethnic category (level 'code'; Census groups without an NHS code are left
-- out). Rows with population 0 are kept so the caller sees every band. Population by age comes from the
-- optional population_age_sex table (its per-load summary): without it the query returns no rows and
-- standardised rates are unavailable. Same measures and filters as pcref_events (events by the age band
-- at the event; the caller binds age_band = '': standardisation uses every age).
-- Parameters: measure, ri_type, service_line, period_start, period_end, borough, sex, age_band,
-- scope_all, scope_team_list, scope_has_teams
WITH {{pcref_events}},
event_cells AS (
    SELECT ethnic_category AS code, broad_group, esp2013_band, SUM(events) AS events
    FROM pcref_events
    WHERE month_start >= :period_start AND month_start <= :period_end
    GROUP BY ethnic_category, broad_group, esp2013_band
),
population_cells AS (
    SELECT nhs_code AS code, nhs_broad_group AS broad_group, esp2013_band, SUM(count) AS population
    FROM summary_pcref_population
    WHERE (:borough = '' OR lad_code = :borough)
      AND (:sex = '' OR sex = :sex)
      AND (:scope_all = 1 OR :scope_has_teams = 1)
    GROUP BY nhs_code, nhs_broad_group, esp2013_band
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
