-- Staff headcount at the 31 March snapshot by pay band and NHS broad ethnic group (WRES indicator 1).
-- Non-executive directors are board members, not employees, so they are left out of the workforce
-- (executive directors are VSM staff and stay in). Not stated / Not known come back as their own
-- groups; measures/ leaves them out of the shares.
-- Parameters: financial_year (the WRES year; '' for every snapshot), staff_filter ('all', 'clinical',
-- 'non_clinical'), borough (work borough; '' for all), scope_all, scope_team_list
SELECT c.financial_year, s.pay_band, e.broad_group, COUNT(*) AS staff
FROM staff AS s
JOIN calendar AS c ON c.date = s.snapshot_date
JOIN ethnic_category AS e ON e.code = s.ethnic_category
WHERE (:financial_year = '' OR c.financial_year = :financial_year)
  AND NOT (s.board_member = TRUE AND s.executive = FALSE)
  AND (:staff_filter = 'all'
       OR (:staff_filter = 'clinical' AND s.clinical = TRUE)
       OR (:staff_filter = 'non_clinical' AND s.clinical = FALSE))
  AND (:borough = '' OR s.work_lad_code = :borough)
  AND (:scope_all = 1 OR s.team_id IN :scope_team_list)
GROUP BY c.financial_year, s.pay_band, e.broad_group
