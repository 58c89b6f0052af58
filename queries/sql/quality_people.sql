-- How completely protected characteristics are recorded for the people referred (summary built at load:
-- summary_quality_people), for one kind of period ('year' or 'month'), optionally one level ('team',
-- 'service_line', 'borough', 'trust'; '' for all) and one period ('' for all). Team rows follow the
-- user's scope; the service line, borough and trust rows cover every team, so only a trust-wide scope
-- reads them.
-- Parameters: period_kind, level, period, scope_all, scope_team_list
SELECT period_kind, period, level, unit, team_id, people, ethnicity, sex, age, religion, sexual_orientation,
       disability
FROM summary_quality_people
WHERE period_kind = :period_kind
  AND (:level = '' OR level = :level)
  AND (:period = '' OR period = :period)
  AND (:scope_all = 1 OR (level = 'team' AND team_id IN :scope_team_list))
ORDER BY level, unit, period
