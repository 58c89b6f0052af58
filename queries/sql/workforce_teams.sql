-- Staff at the 31 March snapshot who work in one borough, by team and NHS broad ethnic group, with
-- the health-inequalities champions among them: the map's drill-down. Staff with no team (corporate)
-- come back with team_id NULL.
-- Parameters: financial_year, borough, staff_filter ('all', 'clinical', 'non_clinical'), scope_all,
-- scope_team_list
SELECT s.team_id, t.name AS team, t.service_line, e.broad_group,
       COUNT(*) AS staff,
       SUM(CASE WHEN s.hi_champion = TRUE THEN 1 ELSE 0 END) AS champions
FROM staff AS s
JOIN calendar AS c ON c.date = s.snapshot_date
JOIN ethnic_category AS e ON e.code = s.ethnic_category
LEFT JOIN team AS t ON t.id = s.team_id
WHERE c.financial_year = :financial_year
  AND s.work_lad_code = :borough
  AND {{workforce_staff}}
GROUP BY s.team_id, t.name, t.service_line, e.broad_group
