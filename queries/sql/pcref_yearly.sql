-- Coercion events and distinct people per financial year by the person's NHS ethnic category, over the
-- whole data period (for the yearly trend of each ratio). Same measures and filters as pcref_events
-- (shared/pcref_events.sql, read from the per-load summary).
-- Parameters: measure, ri_type, service_line, borough, sex, age_band, scope_all, scope_team_list
WITH {{pcref_events}}
SELECT financial_year, ethnic_category, SUM(events) AS events, COUNT(DISTINCT person_id) AS people
FROM pcref_events
WHERE in_period = TRUE
GROUP BY financial_year, ethnic_category
ORDER BY financial_year, ethnic_category
