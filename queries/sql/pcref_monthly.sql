-- Coercion events per month by NHS broad ethnic group (for the SPC charts), over the whole data
-- period, zero months included. Same measures and filters as pcref_events (shared/pcref_events.sql).
-- Parameters: measure, ri_type, service_line, borough, sex, age_band, scope_all, scope_team_list
WITH {{pcref_events}},
months AS (
    SELECT DISTINCT month_start FROM calendar WHERE in_period = TRUE
),
counts AS (
    SELECT month_start, broad_group, SUM(events) AS events
    FROM pcref_events
    WHERE in_period = TRUE
    GROUP BY month_start, broad_group
)
SELECT mo.month_start, g.broad_group, COALESCE(c.events, 0) AS events
FROM months AS mo
CROSS JOIN (SELECT DISTINCT broad_group FROM ethnic_category) AS g
LEFT JOIN counts AS c ON c.month_start = mo.month_start AND c.broad_group = g.broad_group
ORDER BY mo.month_start, g.broad_group
