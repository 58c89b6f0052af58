-- Coercion events in a period by the person's NHS ethnic category: events and distinct people.
-- Measures: detentions, ctos, s136 (Mental Health Act; categories as NHS England counts them) and
-- restrictive interventions (one type, or 'any'); see shared/coercion_events.sql. Filters apply to the
-- person's borough, sex and age band at the event (display bands); '' means all.
-- Parameters: measure, ri_type, service_line ('' for all), period_start, period_end, borough, sex, age_band, scope_all,
-- scope_team_list
WITH {{coercion_events}}
SELECT p.ethnic_category, COUNT(*) AS events, COUNT(DISTINCT p.id) AS people
FROM coercion_events AS ev
JOIN person AS p ON p.id = ev.person_id
JOIN age_band AS ab ON ab.band = ev.age_band
WHERE ev.date >= :period_start AND ev.date <= :period_end
  AND (:borough = '' OR p.lad_code = :borough)
  AND (:sex = '' OR p.sex = :sex)
  AND (:age_band = '' OR ab.display_band = :age_band)
GROUP BY p.ethnic_category
