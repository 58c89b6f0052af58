-- Events in one financial year by the person's area of residence (borough or neighbourhood), for the
-- area maps. Long format: one row per area and measure. Counts only; rates and CIs come from
-- measures/. Events of people whose residence is unknown are left out.
--
-- Measures (ids as in measures/catalogue.yaml):
--   referrals_rate             referrals received
--   mha_detentions_crude_rate  Mental Health Act detentions starting (category 'detention')
--   cto_crude_rate             community treatment orders starting
--   s136_crude_rate            section 136 uses starting (legal status 20)
-- Parameters: financial_year, level ('lad' or 'msoa'), borough ('' for all), broad_group ('' for all),
-- scope_all, scope_team_list
WITH people AS (
    SELECT p.id,
           CASE WHEN :level = 'lad' THEN p.lad_code ELSE p.msoa_code END AS area_code
    FROM person AS p
    JOIN ethnic_category AS e ON e.code = p.ethnic_category
    WHERE (:borough = '' OR p.lad_code = :borough)
      AND (:broad_group = '' OR e.broad_group = :broad_group)
),
events AS (
    SELECT pe.area_code, 'referrals_rate' AS measure_id, COUNT(*) AS events
    FROM referral AS r
    JOIN people AS pe ON pe.id = r.person_id
    JOIN calendar AS c ON c.date = r.received_date
    WHERE c.financial_year = :financial_year
      AND (:scope_all = 1 OR r.team_id IN :scope_team_list)
    GROUP BY pe.area_code
    UNION ALL
    SELECT pe.area_code,
           CASE WHEN l.category = 'detention' THEN 'mha_detentions_crude_rate'
                WHEN l.category = 'cto' THEN 'cto_crude_rate'
                ELSE 's136_crude_rate' END,
           COUNT(*)
    FROM mha_episode AS m
    JOIN people AS pe ON pe.id = m.person_id
    JOIN legal_status AS l ON l.code = m.legal_status
    JOIN calendar AS c ON c.date = m.start_date
    WHERE c.financial_year = :financial_year
      AND (l.category IN ('detention', 'cto') OR l.code = '20')
      AND (:scope_all = 1 OR m.team_id IN :scope_team_list)
    GROUP BY pe.area_code,
             CASE WHEN l.category = 'detention' THEN 'mha_detentions_crude_rate'
                  WHEN l.category = 'cto' THEN 'cto_crude_rate'
                  ELSE 's136_crude_rate' END
)
SELECT area_code, measure_id, events
FROM events
WHERE area_code IS NOT NULL
