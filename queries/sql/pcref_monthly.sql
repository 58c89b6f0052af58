-- Coercion events per month by NHS broad ethnic group (for the SPC charts), over the whole data
-- period. Same measures and filters as pcref_events (shared/coercion_events.sql).
-- Parameters: measure, ri_type, service_line ('' for all), borough, sex, age_band, scope_all, scope_team_list
WITH {{coercion_events}},
events AS (
    SELECT person_id, age_band, month_start FROM coercion_events WHERE in_period = TRUE
),
months AS (
    SELECT DISTINCT month_start FROM calendar WHERE in_period = TRUE
)
SELECT mo.month_start, e.broad_group, COUNT(ev.person_id) AS events
FROM months AS mo
CROSS JOIN (SELECT DISTINCT broad_group FROM ethnic_category) AS e
LEFT JOIN (
    SELECT ev.month_start, ec.broad_group, ev.person_id
    FROM events AS ev
    JOIN person AS p ON p.id = ev.person_id
    JOIN ethnic_category AS ec ON ec.code = p.ethnic_category
    JOIN age_band AS ab ON ab.band = ev.age_band
    WHERE (:borough = '' OR p.lad_code = :borough)
      AND (:sex = '' OR p.sex = :sex)
      AND (:age_band = '' OR ab.display_band = :age_band)
) AS ev ON ev.month_start = mo.month_start AND ev.broad_group = e.broad_group
GROUP BY mo.month_start, e.broad_group
ORDER BY mo.month_start, e.broad_group
