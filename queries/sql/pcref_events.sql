-- Coercion events in a period (whole months) by the person's NHS ethnic category: events and distinct
-- people. Measures: detentions, ctos, s136 (Mental Health Act; categories as NHS England counts them) and
-- restrictive interventions (one type, or 'any'); filters: the person's borough, sex and age band at the
-- event (display bands), the service line; '' means all. Reads the per-load summary
-- (shared/pcref_events.sql).
-- Parameters: measure, ri_type, service_line, period_start, period_end, borough, sex, age_band, scope_all,
-- scope_team_list
WITH {{pcref_events}}
SELECT ethnic_category, SUM(events) AS events, COUNT(DISTINCT person_id) AS people
FROM pcref_events
WHERE month_start >= :period_start AND month_start <= :period_end
GROUP BY ethnic_category
