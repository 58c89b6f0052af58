-- One grouping column of the access queries: dim_{n} is the person characteristic named by the bound
-- value :dim_{n} (a name matched by CASE, never SQL text), or 'All'. Needs the aliases p (person),
-- e (ethnic_category) and ab (age_band, the display band of the person's first referral in the period).
-- {{person_dims}} in a query expands to dim_1 … dim_5 from this one expression (queries/runner.py).
CASE :dim_{n} WHEN 'ethnic_category' THEN p.ethnic_category WHEN 'broad_group' THEN e.broad_group
     WHEN 'sex' THEN p.sex WHEN 'age_band' THEN ab.display_band WHEN 'religion' THEN p.religion
     WHEN 'sexual_orientation' THEN p.sexual_orientation WHEN 'disability' THEN p.disability
     WHEN 'first_language' THEN p.first_language
     WHEN 'imd_quintile' THEN CASE WHEN p.imd_decile IS NULL THEN 'Not known'
                                   WHEN p.imd_decile <= 2 THEN '1 (most deprived)'
                                   WHEN p.imd_decile <= 4 THEN '2' WHEN p.imd_decile <= 6 THEN '3'
                                   WHEN p.imd_decile <= 8 THEN '4' ELSE '5 (least deprived)' END
     ELSE 'All' END AS dim_{n}
