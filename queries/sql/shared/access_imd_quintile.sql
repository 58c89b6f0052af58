-- The deprivation quintile of a person (alias p) from their IMD decile, as the access pages show it.
-- {{access_imd_quintile}} expands to this expression.
CASE WHEN p.imd_decile IS NULL THEN 'Not known'
     WHEN p.imd_decile <= 2 THEN '1 (most deprived)'
     WHEN p.imd_decile <= 4 THEN '2' WHEN p.imd_decile <= 6 THEN '3'
     WHEN p.imd_decile <= 8 THEN '4' ELSE '5 (least deprived)' END
