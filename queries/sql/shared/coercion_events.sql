-- The coercion events of the PCREF queries, as one CTE: Mental Health Act episodes starting (detentions,
-- CTOs and section 136 as NHS England counts them) or restrictive interventions (one type, or 'any'),
-- for the bound :measure and :ri_type, limited to the service line ('' for all) and the user's scope.
-- Columns: person_id, team_id, age_band (at the event), date, month_start, in_period. Each query adds its
-- own period. {{coercion_events}} in a query's WITH clause expands to this (queries/runner.py).
coercion_events AS (
    SELECT m.person_id, m.team_id, m.age_band, c.date, c.month_start, c.in_period
    FROM mha_episode AS m
    JOIN team AS t ON t.id = m.team_id
    JOIN legal_status AS l ON l.code = m.legal_status
    JOIN calendar AS c ON c.date = m.start_date
    WHERE ((:measure = 'detentions' AND l.category = 'detention')
           OR (:measure = 'ctos' AND l.category = 'cto')
           OR (:measure = 's136' AND l.code = '20'))
      AND (:service_line = '' OR t.service_line = :service_line)
      AND (:scope_all = 1 OR m.team_id IN :scope_team_list)
    UNION ALL
    SELECT i.person_id, i.team_id, i.age_band, c.date, c.month_start, c.in_period
    FROM restrictive_intervention AS i
    JOIN team AS t ON t.id = i.team_id
    JOIN calendar AS c ON c.date = i.date
    WHERE :measure = 'restrictive'
      AND (:ri_type = 'any' OR i.type = :ri_type OR (:ri_type = 'prone' AND i.type = 'physical' AND i.prone))
      AND (:service_line = '' OR t.service_line = :service_line)
      AND (:scope_all = 1 OR i.team_id IN :scope_team_list)
)
