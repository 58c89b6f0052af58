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
  AND {{workforce_staff}}
GROUP BY c.financial_year, s.pay_band, e.broad_group
