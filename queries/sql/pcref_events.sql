-- Coercion events in a period by the person's NHS ethnic category: events and distinct people.
-- Measures: detentions, ctos, s136 (Mental Health Act; categories as NHS England counts them) and
-- restrictive interventions (one type, or 'any'). Filters apply to the person's borough, sex and
-- age band at the event (display bands); '' means all.
-- Parameters: measure, ri_type, service_line ('' for all), period_start, period_end, borough, sex, age_band, scope_all,
-- scope_team_list
WITH mha AS (
    SELECT m.person_id, m.age_band
    FROM mha_episode AS m
    JOIN team AS t ON t.id = m.team_id
    JOIN legal_status AS l ON l.code = m.legal_status
    JOIN calendar AS c ON c.date = m.start_date
    WHERE c.date >= :period_start AND c.date <= :period_end
      AND ((:measure = 'detentions' AND l.category = 'detention')
           OR (:measure = 'ctos' AND l.category = 'cto')
           OR (:measure = 's136' AND l.code = '20'))
      AND (:service_line = '' OR t.service_line = :service_line)
      AND (:scope_all = 1 OR m.team_id IN :scope_team_list)
),
ri AS (
    SELECT i.person_id, i.age_band
    FROM restrictive_intervention AS i
    JOIN team AS t ON t.id = i.team_id
    JOIN calendar AS c ON c.date = i.date
    WHERE :measure = 'restrictive'
      AND c.date >= :period_start AND c.date <= :period_end
      AND (:ri_type = 'any' OR i.type = :ri_type OR (:ri_type = 'prone' AND i.type = 'physical' AND i.prone))
      AND (:service_line = '' OR t.service_line = :service_line)
      AND (:scope_all = 1 OR i.team_id IN :scope_team_list)
),
events AS (
    SELECT person_id, age_band FROM mha
    UNION ALL
    SELECT person_id, age_band FROM ri
)
SELECT p.ethnic_category, COUNT(*) AS events, COUNT(DISTINCT p.id) AS people
FROM events AS ev
JOIN person AS p ON p.id = ev.person_id
JOIN age_band AS ab ON ab.band = ev.age_band
WHERE (:borough = '' OR p.lad_code = :borough)
  AND (:sex = '' OR p.sex = :sex)
  AND (:age_band = '' OR ab.display_band = :age_band)
GROUP BY p.ethnic_category
