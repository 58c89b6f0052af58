-- Summary (built once per load, data/summaries.py): the events of the area maps by financial year, team,
-- the person's neighbourhood (MSOA) and borough of residence, and NHS broad ethnic group, so a map, a
-- drill-down, a neighbourhood's teams and each breakdown by community read this instead of the records.
-- team_id is kept so a user's scope applies. Events of people whose residence is unknown are left out.
-- Measures (ids as in measures/catalogue.yaml): referrals_rate (referrals received),
-- mha_detentions_crude_rate (Mental Health Act detentions starting), cto_crude_rate (community treatment
-- orders starting), s136_crude_rate (section 136 uses starting, legal status 20).
SELECT c.financial_year, r.team_id, p.msoa_code, p.lad_code, e.broad_group, 'referrals_rate' AS measure_id,
       COUNT(*) AS events
FROM referral AS r
JOIN person AS p ON p.id = r.person_id
JOIN ethnic_category AS e ON e.code = p.ethnic_category
JOIN calendar AS c ON c.date = r.received_date
WHERE p.msoa_code IS NOT NULL
GROUP BY c.financial_year, r.team_id, p.msoa_code, p.lad_code, e.broad_group
UNION ALL
SELECT c.financial_year, m.team_id, p.msoa_code, p.lad_code, e.broad_group,
       CASE WHEN l.category = 'detention' THEN 'mha_detentions_crude_rate'
            WHEN l.category = 'cto' THEN 'cto_crude_rate'
            ELSE 's136_crude_rate' END,
       COUNT(*)
FROM mha_episode AS m
JOIN person AS p ON p.id = m.person_id
JOIN ethnic_category AS e ON e.code = p.ethnic_category
JOIN legal_status AS l ON l.code = m.legal_status
JOIN calendar AS c ON c.date = m.start_date
WHERE p.msoa_code IS NOT NULL AND (l.category IN ('detention', 'cto') OR l.code = '20')
GROUP BY c.financial_year, m.team_id, p.msoa_code, p.lad_code, e.broad_group,
         CASE WHEN l.category = 'detention' THEN 'mha_detentions_crude_rate'
              WHEN l.category = 'cto' THEN 'cto_crude_rate'
              ELSE 's136_crude_rate' END
