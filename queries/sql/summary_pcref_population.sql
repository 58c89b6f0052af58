-- Summary (built once per load, data/summaries.py): resident population by borough, sex, age band (both
-- the display band and the ESP2013 band) and Census ethnic group with its NHS code and broad group, from
-- the optional population_age_sex table (no rows without it), so the PCREF page's sex, age and
-- standardisation figures read a few thousand rows instead of every neighbourhood's cells. Not team data.
SELECT a.parent_code AS lad_code, p.sex, ab.display_band, ab.esp2013_band, g.nhs_code, g.nhs_broad_group,
       SUM(p.count) AS count
FROM population_age_sex AS p
JOIN area AS a ON a.code = p.area_code AND a.type = 'msoa'
JOIN census_ethnic_group AS g ON g.code = p.census_ethnic_group
JOIN age_band AS ab ON ab.band = p.age_band
GROUP BY a.parent_code, p.sex, ab.display_band, ab.esp2013_band, g.nhs_code, g.nhs_broad_group
