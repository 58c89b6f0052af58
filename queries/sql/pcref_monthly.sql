-- Coercion events per month by NHS broad ethnic group (for the SPC charts), over the whole data
-- period. Same measures and filters as pcref_events.
-- Parameters: measure, ri_type, service_line ('' for all), borough, sex, age_band, scope_all, scope_team_list
WITH mha AS (
    SELECT m.person_id, m.age_band, c.month_start
    FROM mha_episode AS m
    JOIN team AS t ON t.id = m.team_id
    JOIN legal_status AS l ON l.code = m.legal_status
    JOIN calendar AS c ON c.date = m.start_date
    WHERE c.in_period = TRUE
      AND ((:measure = 'detentions' AND l.category = 'detention')
           OR (:measure = 'ctos' AND l.category = 'cto')
           OR (:measure = 's136' AND l.code = '20'))
      AND (:service_line = '' OR t.service_line = :service_line)
      AND (:scope_all = 1 OR m.team_id IN :scope_team_list)
),
ri AS (
    SELECT i.person_id, i.age_band, c.month_start
    FROM restrictive_intervention AS i
    JOIN team AS t ON t.id = i.team_id
    JOIN calendar AS c ON c.date = i.date
    WHERE :measure = 'restrictive' AND c.in_period = TRUE
      AND (:ri_type = 'any' OR i.type = :ri_type OR (:ri_type = 'prone' AND i.type = 'physical' AND i.prone))
      AND (:service_line = '' OR t.service_line = :service_line)
      AND (:scope_all = 1 OR i.team_id IN :scope_team_list)
),
events AS (
    SELECT person_id, age_band, month_start FROM mha
    UNION ALL
    SELECT person_id, age_band, month_start FROM ri
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
