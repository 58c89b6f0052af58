-- One grouping column of access_population.sql: dim_{n} is the characteristic named by :dim_{n} that the
-- population table holds (ethnic_category: the NHS code a Census group maps to, broad_group, sex,
-- age_band: display band, borough), 'All' for none, else NULL. {{access_population_dims}} expands to
-- dim_1 … dim_5 (queries/runner.py).
CASE :dim_{n} WHEN 'ethnic_category' THEN g.nhs_code WHEN 'broad_group' THEN g.nhs_broad_group
     WHEN 'sex' THEN p.sex WHEN 'age_band' THEN ab.display_band WHEN 'borough' THEN lad.name
     WHEN 'none' THEN 'All' ELSE NULL END AS dim_{n}
