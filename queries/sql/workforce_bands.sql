-- Staff headcount at the 31 March snapshot by pay band and NHS broad ethnic group (WRES indicator 1),
-- from the per-load summary. Non-executive directors are board members, not employees, so they are
-- left out of the workforce (executive directors are VSM staff and stay in). Not stated / Not known
-- come back as their own groups; measures/ leaves them out of the shares.
-- Parameters: financial_year (the WRES year; '' for every snapshot), staff_filter ('all', 'clinical',
-- 'non_clinical'), borough (work borough; '' for all), scope_all, scope_team_list
SELECT w.financial_year, w.pay_band, w.broad_group, SUM(w.staff) AS staff
FROM summary_workforce_staff AS w
WHERE (:financial_year = '' OR w.financial_year = :financial_year)
  AND {{workforce_summary_staff}}
GROUP BY w.financial_year, w.pay_band, w.broad_group
