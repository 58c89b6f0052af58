-- Coercion events by team (or ward) in a period, for the equality leads' team breakdown, with the
-- ward's occupied bed days in the period (for restrictive interventions per 1,000 bed days) and the
-- events for Black people and with ethnicity not recorded. Within scope. The person filters (borough
-- where the person lives, sex, age band at the event; '' for all) apply to the events as on the rest of
-- the page; bed days are the ward's, whoever occupied them.
-- Parameters: measure, ri_type, service_line, period_start, period_end, borough, sex, age_band,
-- scope_all, scope_team_list
WITH {{coercion_events}},
events AS (
    SELECT team_id, person_id, age_band FROM coercion_events
    WHERE date >= :period_start AND date <= :period_end
),
by_team AS (
    SELECT ev.team_id, COUNT(*) AS events,
           SUM(CASE WHEN e.broad_group = 'Black' THEN 1 ELSE 0 END) AS black_events,
           SUM(CASE WHEN e.known THEN 0 ELSE 1 END) AS unrecorded_events
    FROM events AS ev
    JOIN person AS p ON p.id = ev.person_id
    JOIN ethnic_category AS e ON e.code = p.ethnic_category
    JOIN age_band AS ab ON ab.band = ev.age_band
    WHERE (:borough = '' OR p.lad_code = :borough)
      AND (:sex = '' OR p.sex = :sex)
      AND (:age_band = '' OR ab.display_band = :age_band)
    GROUP BY ev.team_id
),
bed_days AS (
    SELECT b.team_id, SUM(b.occupied_bed_days) AS bed_days
    FROM bed_day AS b
    JOIN calendar AS c ON c.date = b.month_start
    WHERE c.date >= :period_start AND c.date <= :period_end
    GROUP BY b.team_id
)
SELECT t.name AS team, t.service_line, bt.events, bt.black_events, bt.unrecorded_events,
       COALESCE(bd.bed_days, 0) AS bed_days
FROM by_team AS bt
JOIN team AS t ON t.id = bt.team_id
LEFT JOIN bed_days AS bd ON bd.team_id = bt.team_id
WHERE (:service_line = '' OR t.service_line = :service_line)
  AND (:scope_all = 1 OR bt.team_id IN :scope_team_list)
ORDER BY bt.events DESC, t.name
