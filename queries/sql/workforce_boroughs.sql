-- Staff headcount at the 31 March snapshot by work borough, pay band and NHS broad ethnic group, for the
-- map and the bands 8a and above of each borough, from the per-load summary. Non-executive directors are
-- left out (not employees). Staff with no work borough are left out.
-- Parameters: financial_year, staff_filter ('all', 'clinical', 'non_clinical'), borough (always ''),
-- scope_all, scope_team_list
SELECT w.work_lad_code AS area_code, w.pay_band, w.broad_group, SUM(w.staff) AS staff
FROM summary_workforce_staff AS w
WHERE w.financial_year = :financial_year
  AND w.work_lad_code IS NOT NULL
  AND {{workforce_summary_staff}}
GROUP BY w.work_lad_code, w.pay_band, w.broad_group
