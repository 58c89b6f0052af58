-- Coercion events by team (or ward) in a period (whole months), for the equality leads' team breakdown,
-- with the ward's occupied bed days in the period (for restrictive interventions per 1,000 bed days) and
-- the events for Black people and with ethnicity not recorded. Within scope. The person filters (borough
-- where the person lives, sex, age band at the event; '' for all) apply to the events as on the rest of
-- the page; bed days are the ward's, whoever occupied them. Events from the per-load summary
-- (shared/pcref_events.sql).
-- Parameters: measure, ri_type, service_line, period_start, period_end, borough, sex, age_band,
-- scope_all, scope_team_list
WITH {{pcref_events}},
by_team AS (
    SELECT team_id, SUM(events) AS events,
           SUM(CASE WHEN broad_group = 'Black' THEN events ELSE 0 END) AS black_events,
           SUM(CASE WHEN known THEN 0 ELSE events END) AS unrecorded_events
    FROM pcref_events
    WHERE month_start >= :period_start AND month_start <= :period_end
    GROUP BY team_id
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
ORDER BY bt.events DESC, t.name
