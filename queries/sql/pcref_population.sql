-- Resident population for PCREF rates: by NHS ethnic category (level 'code'; Census groups without
-- an NHS code are left out) and by NHS broad group (level 'broad'; every Census group counts, so
-- White includes Gypsy or Irish Traveller and Roma, and Other includes Arab). Same filters as the
-- events. A sex or age filter reads the optional population_age_sex table (no rows when the store
-- has no age and sex split: the page then says the filter is unavailable). Not team data: any scope
-- that may see trust-level figures sees it.
-- Parameters: borough, sex, age_band, scope_all, scope_has_teams
WITH residents AS (
    SELECT p.area_code, p.census_ethnic_group, p.count
    FROM population AS p
    WHERE :sex = '' AND :age_band = ''
    UNION ALL
    SELECT p.area_code, p.census_ethnic_group, p.count
    FROM population_age_sex AS p
    JOIN age_band AS ab ON ab.band = p.age_band
    WHERE (:sex <> '' OR :age_band <> '')
      AND (:sex = '' OR p.sex = :sex)
      AND (:age_band = '' OR ab.display_band = :age_band)
),
cells AS (
    SELECT g.nhs_code, g.nhs_broad_group, r.count
    FROM residents AS r
    JOIN area AS a ON a.code = r.area_code AND a.type = 'msoa'
    JOIN census_ethnic_group AS g ON g.code = r.census_ethnic_group
    WHERE (:borough = '' OR a.parent_code = :borough)
      AND (:scope_all = 1 OR :scope_has_teams = 1)
)
SELECT 'code' AS level, nhs_code AS grp, SUM(count) AS population
FROM cells WHERE nhs_code IS NOT NULL GROUP BY nhs_code
UNION ALL
SELECT 'broad', nhs_broad_group, SUM(count) FROM cells GROUP BY nhs_broad_group
