-- Resident population (Census 2021 layout) grouped by up to five characteristics the population table
-- holds: ethnic_category (the NHS code a Census group maps to; Gypsy or Irish Traveller, Roma and Arab
-- have none and appear as NULL), broad_group (NHS broad group; Chinese counts as Other), sex, age_band
-- (display band), borough, or none ('All'). Any other name (religion, disability, …) gives NULL: the store
-- holds no population by those characteristics, and the page says so.
-- Not team data: the same for every scope that may see trust-wide figures.
-- Sex and age come from the optional population_age_sex table: grouped by either, the query has no
-- rows when the store holds no age and sex split.
-- Parameters: borough ('' for all), dim_1 … dim_5, scope_all, scope_has_teams
WITH residents AS (
    SELECT p.area_code, p.census_ethnic_group, CAST(NULL AS VARCHAR(1)) AS sex,
           CAST(NULL AS VARCHAR(8)) AS age_band, p.count
    FROM population AS p
    WHERE 'sex' NOT IN (:dim_1, :dim_2, :dim_3, :dim_4, :dim_5)
      AND 'age_band' NOT IN (:dim_1, :dim_2, :dim_3, :dim_4, :dim_5)
    UNION ALL
    SELECT p.area_code, p.census_ethnic_group, p.sex, p.age_band, p.count
    FROM population_age_sex AS p
    WHERE 'sex' IN (:dim_1, :dim_2, :dim_3, :dim_4, :dim_5)
       OR 'age_band' IN (:dim_1, :dim_2, :dim_3, :dim_4, :dim_5)
),
cell AS (
    SELECT p.count AS residents,
           {{access_population_dims}}
    FROM residents AS p
    JOIN area AS a ON a.code = p.area_code AND a.type = 'msoa'
    JOIN census_ethnic_group AS g ON g.code = p.census_ethnic_group
    LEFT JOIN age_band AS ab ON ab.band = p.age_band
    LEFT JOIN area AS lad ON lad.code = a.parent_code
    WHERE (:borough = '' OR a.parent_code = :borough)
      AND (:scope_all = 1 OR :scope_has_teams = 1)
)
SELECT dim_1, dim_2, dim_3, dim_4, dim_5, SUM(residents) AS population
FROM cell
GROUP BY dim_1, dim_2, dim_3, dim_4, dim_5
