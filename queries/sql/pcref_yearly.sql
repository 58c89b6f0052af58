-- Coercion events and distinct people per financial year by the person's NHS ethnic category, over the
-- whole data period (for the yearly trend of each ratio). Same measures and filters as pcref_events
-- (shared/coercion_events.sql): the person's borough, sex and age band at the event; '' means all.
-- Parameters: measure, ri_type, service_line ('' for all), borough, sex, age_band, scope_all,
-- scope_team_list
WITH {{coercion_events}}
SELECT c.financial_year, p.ethnic_category, COUNT(*) AS events, COUNT(DISTINCT p.id) AS people
FROM coercion_events AS ev
JOIN calendar AS c ON c.date = ev.date
JOIN person AS p ON p.id = ev.person_id
JOIN age_band AS ab ON ab.band = ev.age_band
WHERE ev.in_period = TRUE
  AND (:borough = '' OR p.lad_code = :borough)
  AND (:sex = '' OR p.sex = :sex)
  AND (:age_band = '' OR ab.display_band = :age_band)
GROUP BY c.financial_year, p.ethnic_category
ORDER BY c.financial_year, p.ethnic_category
