-- Events and population by NHS broad ethnic group within one borough (or the whole trust), for the
-- "breakdown by community" of a drill-down. People with ethnicity not stated or not known are
-- counted separately (no population); rates leave them out.
-- Parameters: measure_id, financial_year, borough ('' for the trust), scope_all, scope_team_list
WITH group_events AS (
    SELECT e.broad_group, COUNT(*) AS events
    FROM referral AS r
    JOIN person AS p ON p.id = r.person_id
    JOIN ethnic_category AS e ON e.code = p.ethnic_category
    JOIN calendar AS c ON c.date = r.received_date
    WHERE :measure_id = 'referrals_rate'
      AND c.financial_year = :financial_year
      AND (:borough = '' OR p.lad_code = :borough)
      AND (:scope_all = 1 OR r.team_id IN :scope_team_list)
    GROUP BY e.broad_group
    UNION ALL
    SELECT e.broad_group, COUNT(*)
    FROM mha_episode AS m
    JOIN person AS p ON p.id = m.person_id
    JOIN ethnic_category AS e ON e.code = p.ethnic_category
    JOIN legal_status AS l ON l.code = m.legal_status
    JOIN calendar AS c ON c.date = m.start_date
    WHERE c.financial_year = :financial_year
      AND (:borough = '' OR p.lad_code = :borough)
      AND ((:measure_id = 'mha_detentions_crude_rate' AND l.category = 'detention')
           OR (:measure_id = 'cto_crude_rate' AND l.category = 'cto')
           OR (:measure_id = 's136_crude_rate' AND l.code = '20'))
      AND (:scope_all = 1 OR m.team_id IN :scope_team_list)
    GROUP BY e.broad_group
),
group_population AS (
    SELECT g.nhs_broad_group AS broad_group, SUM(p.count) AS population
    FROM population AS p
    JOIN area AS a ON a.code = p.area_code AND a.type = 'msoa'
    JOIN census_ethnic_group AS g ON g.code = p.census_ethnic_group
    WHERE (:borough = '' OR a.parent_code = :borough)
    GROUP BY g.nhs_broad_group
),
events_by_group AS (
    SELECT broad_group, SUM(events) AS events FROM group_events GROUP BY broad_group
),
groups AS (
    SELECT broad_group, MIN(sort_order) AS sort_order FROM ethnic_category GROUP BY broad_group
)
SELECT g.broad_group, g.sort_order, COALESCE(ev.events, 0) AS events, gp.population
FROM groups AS g
LEFT JOIN events_by_group AS ev ON ev.broad_group = g.broad_group
LEFT JOIN group_population AS gp ON gp.broad_group = g.broad_group
WHERE (:scope_all = 1 OR :scope_has_teams = 1)
ORDER BY g.sort_order
