-- Residents by borough and NHS broad ethnic group, counted once per load: the community each pay band
-- and borough is compared with. Working-age residents (age bands from 16 up to 64) when the store holds
-- the optional age and sex split (population_age_sex); otherwise residents of all ages from Census
-- TS021, and age_basis says so. Census groups map to NHS broad groups as NHS England does (Chinese
-- counts as Other; Gypsy or Irish Traveller and Roma as White; Arab as Other). Not team data.
SELECT a.parent_code AS area_code, g.nhs_broad_group AS broad_group, SUM(r.count) AS population,
       MIN(r.age_basis) AS age_basis
FROM (
    SELECT p.area_code, p.census_ethnic_group, p.count, '16-64' AS age_basis
    FROM population_age_sex AS p
    JOIN age_band AS b ON b.band = p.age_band
    WHERE b.age_from >= 16 AND b.age_to <= 64
    UNION ALL
    SELECT p.area_code, p.census_ethnic_group, p.count, 'all ages' AS age_basis
    FROM population AS p
    WHERE NOT EXISTS (SELECT 1 FROM population_age_sex)
) AS r
JOIN area AS a ON a.code = r.area_code AND a.type = 'msoa'
JOIN census_ethnic_group AS g ON g.code = r.census_ethnic_group
GROUP BY a.parent_code, g.nhs_broad_group
