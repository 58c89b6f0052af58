-- NHS Staff Survey results for WRES indicators 5 to 8 as published (percentages for White and BME
-- staff, with respondents). Trust-level: only a trust-wide scope sees them.
-- Parameters: scope_all, scope_team_list
SELECT y.year, y.indicator, y.ethnic_group, y.percent, y.respondents
FROM staff_survey AS y
WHERE :scope_all = 1
ORDER BY y.year, y.indicator, y.ethnic_group
