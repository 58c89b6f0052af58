-- Coercion events by team (or ward) in a period, for the equality leads' team breakdown, with the
-- ward's occupied bed days in the period (for restrictive interventions per 1,000 bed days) and the
-- events for Black people and with ethnicity not recorded. Within scope.
-- Parameters: measure, ri_type, service_line, period_start, period_end, scope_all, scope_team_list
WITH events AS (
    SELECT m.team_id, m.person_id
    FROM mha_episode AS m
    JOIN legal_status AS l ON l.code = m.legal_status
    JOIN calendar AS c ON c.date = m.start_date
    WHERE c.date >= :period_start AND c.date <= :period_end
      AND ((:measure = 'detentions' AND l.category = 'detention')
           OR (:measure = 'ctos' AND l.category = 'cto')
           OR (:measure = 's136' AND l.code = '20'))
    UNION ALL
    SELECT i.team_id, i.person_id
    FROM restrictive_intervention AS i
    JOIN calendar AS c ON c.date = i.date
    WHERE :measure = 'restrictive'
      AND c.date >= :period_start AND c.date <= :period_end
      AND (:ri_type = 'any' OR i.type = :ri_type OR (:ri_type = 'prone' AND i.type = 'physical' AND i.prone))
),
by_team AS (
    SELECT ev.team_id, COUNT(*) AS events,
           SUM(CASE WHEN e.broad_group = 'Black' THEN 1 ELSE 0 END) AS black_events,
           SUM(CASE WHEN e.known THEN 0 ELSE 1 END) AS unrecorded_events
    FROM events AS ev
    JOIN person AS p ON p.id = ev.person_id
    JOIN ethnic_category AS e ON e.code = p.ethnic_category
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
