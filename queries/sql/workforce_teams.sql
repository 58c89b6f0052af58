-- Staff at the 31 March snapshot who work in one borough, by team and NHS broad ethnic group, with
-- the health-inequalities champions among them: the map's drill-down, from the per-load summary.
-- Staff with no team (corporate) come back with team_id NULL.
-- Parameters: financial_year, borough, staff_filter ('all', 'clinical', 'non_clinical'), scope_all,
-- scope_team_list
SELECT w.team_id, t.name AS team, t.service_line, w.broad_group,
       SUM(w.staff) AS staff, SUM(w.champions) AS champions
FROM summary_workforce_staff AS w
LEFT JOIN team AS t ON t.id = w.team_id
WHERE w.financial_year = :financial_year
  AND w.work_lad_code = :borough
  AND {{workforce_summary_staff}}
GROUP BY w.team_id, t.name, t.service_line, w.broad_group
