-- Staff headcount at the 31 March snapshot by work borough and NHS broad ethnic group, for the map.
-- Non-executive directors are left out (not employees). Staff with no work borough are left out.
-- Parameters: financial_year, staff_filter ('all', 'clinical', 'non_clinical'), scope_all, scope_team_list
SELECT s.work_lad_code AS area_code, e.broad_group, COUNT(*) AS staff
FROM staff AS s
JOIN calendar AS c ON c.date = s.snapshot_date
JOIN ethnic_category AS e ON e.code = s.ethnic_category
WHERE c.financial_year = :financial_year
  AND s.work_lad_code IS NOT NULL
  AND {{workforce_staff}}
GROUP BY s.work_lad_code, e.broad_group
