-- One grouping column of the access queries over summary cells `s` (with e: ethnic_category, b: the
-- borough's area row): dim_{n} is the characteristic named by the bound value :dim_{n} (matched by CASE,
-- never SQL text), or 'All'. A characteristic the cells do not hold gives NULL. {{access_cell_dims}}
-- expands to dim_1 … dim_5 (queries/runner.py).
CASE WHEN :dim_{n} = 'ethnic_category' THEN s.ethnic_category
     WHEN :dim_{n} = 'broad_group' THEN e.broad_group
     WHEN :dim_{n} = 'sex' THEN s.sex
     WHEN :dim_{n} = 'age_band' THEN s.age_band
     WHEN :dim_{n} = 'imd_quintile' THEN s.imd_quintile
     WHEN :dim_{n} = 'borough' THEN COALESCE(b.name, 'Not known')
     WHEN :dim_{n} = s.characteristic THEN s.value
     WHEN :dim_{n} = 'none' THEN 'All'
     ELSE NULL END AS dim_{n}
