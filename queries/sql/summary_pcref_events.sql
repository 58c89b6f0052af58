-- Summary (built once per load, data/summaries.py): coercion events per person, team and month, with
-- what the PCREF page filters and groups by, so its queries read one narrow table instead of joining the
-- Mental Health Act episodes and restrictive interventions to person, calendar, team and age band on every
-- view. kind: 'detentions', 'ctos', 's136' (Mental Health Act episodes starting, as NHS England counts them,
-- shared/coercion_events.sql) or 'restrictive' (with ri_type and prone). One row per person, team, month,
-- age band and kind, so distinct people can still be counted for any period of whole months; team_id is
-- kept so a user's scope applies as on the records.
WITH events AS (
    SELECT m.person_id, m.team_id, m.age_band, m.start_date AS date,
           CASE WHEN l.code = '20' THEN 's136' WHEN l.category = 'detention' THEN 'detentions' ELSE 'ctos' END AS kind,
           '' AS ri_type, FALSE AS prone
    FROM mha_episode AS m
    JOIN legal_status AS l ON l.code = m.legal_status
    WHERE l.category IN ('detention', 'cto') OR l.code = '20'
    UNION ALL
    SELECT i.person_id, i.team_id, i.age_band, i.date, 'restrictive', i.type, i.prone
    FROM restrictive_intervention AS i
)
SELECT ev.kind, ev.ri_type, ev.prone, ev.team_id, t.service_line, c.month_start, c.financial_year, c.in_period,
       ev.person_id, p.lad_code, p.sex, p.ethnic_category, e.broad_group, e.known, ab.display_band,
       ab.esp2013_band, COUNT(*) AS events
FROM events AS ev
JOIN calendar AS c ON c.date = ev.date
JOIN team AS t ON t.id = ev.team_id
JOIN person AS p ON p.id = ev.person_id
JOIN ethnic_category AS e ON e.code = p.ethnic_category
JOIN age_band AS ab ON ab.band = ev.age_band
GROUP BY ev.kind, ev.ri_type, ev.prone, ev.team_id, t.service_line, c.month_start, c.financial_year, c.in_period,
         ev.person_id, p.lad_code, p.sex, p.ethnic_category, e.broad_group, e.known, ab.display_band,
         ab.esp2013_band
