-- Events in one financial year by the person's area of residence (borough or neighbourhood), for the
-- area maps, read from the summary built at load (summary_area_events). Long format: one row per area
-- and measure. Counts only; rates and CIs come from measures/. Events of people whose residence is
-- unknown are left out.
--
-- Measures (ids as in measures/catalogue.yaml):
--   referrals_rate             referrals received
--   mha_detentions_crude_rate  Mental Health Act detentions starting (category 'detention')
--   cto_crude_rate             community treatment orders starting
--   s136_crude_rate            section 136 uses starting (legal status 20)
-- Parameters: financial_year, level ('lad' or 'msoa'), borough ('' for all), broad_group ('' for all),
-- scope_all, scope_team_list
SELECT CASE WHEN :level = 'lad' THEN s.lad_code ELSE s.msoa_code END AS area_code, s.measure_id,
       SUM(s.events) AS events
FROM summary_area_events AS s
WHERE s.financial_year = :financial_year
  AND (:borough = '' OR s.lad_code = :borough)
  AND (:broad_group = '' OR s.broad_group = :broad_group)
  AND (:scope_all = 1 OR s.team_id IN :scope_team_list)
GROUP BY CASE WHEN :level = 'lad' THEN s.lad_code ELSE s.msoa_code END, s.measure_id
