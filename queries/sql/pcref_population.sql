-- Resident population for PCREF rates: by NHS ethnic category (level 'code'; Census groups without
-- an NHS code are left out) and by NHS broad group (level 'broad'; every Census group counts, so
-- White includes Gypsy or Irish Traveller and Roma, and Other includes Arab). Same filters as the
-- events. A sex or age filter reads the optional population_age_sex table through its per-load
-- summary (summary_pcref_population; no rows when the store has no age and sex split: the page then
-- says the filter is unavailable). Not team data: any scope
-- that may see trust-level figures sees it.
-- Parameters: borough, sex, age_band, scope_all, scope_has_teams
WITH residents AS (
    SELECT a.parent_code AS lad_code, g.nhs_code, g.nhs_broad_group, p.count
    FROM population AS p
    JOIN area AS a ON a.code = p.area_code AND a.type = 'msoa'
    JOIN census_ethnic_group AS g ON g.code = p.census_ethnic_group
    WHERE :sex = '' AND :age_band = ''
    UNION ALL
    SELECT s.lad_code, s.nhs_code, s.nhs_broad_group, s.count
    FROM summary_pcref_population AS s
    WHERE (:sex <> '' OR :age_band <> '')
      AND (:sex = '' OR s.sex = :sex)
      AND (:age_band = '' OR s.display_band = :age_band)
),
cells AS (
    SELECT nhs_code, nhs_broad_group, count
    FROM residents
    WHERE (:borough = '' OR lad_code = :borough)
      AND (:scope_all = 1 OR :scope_has_teams = 1)
)
SELECT 'code' AS level, nhs_code AS grp, SUM(count) AS population
FROM cells WHERE nhs_code IS NOT NULL GROUP BY nhs_code
UNION ALL
SELECT 'broad', nhs_broad_group, SUM(count) FROM cells GROUP BY nhs_broad_group
