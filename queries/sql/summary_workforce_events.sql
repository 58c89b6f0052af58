-- WRES 3 and 4 counted once per load: employees with a known ethnic group in each 31 March snapshot,
-- by WRES group (White; BME = every known non-White group) and team (for scope), and how many of them
-- entered a formal disciplinary process, or accessed non-mandatory training and CPD, in the WRES year
-- (the financial year ending on the snapshot). A person counts once however many events they had;
-- events of staff who left before 31 March are not counted.
SELECT c.financial_year, s.team_id,
       CASE WHEN e.broad_group = 'White' THEN 'White' ELSE 'BME' END AS wres_group,
       COUNT(*) AS staff,
       SUM(COALESCE(v.disciplinary, 0)) AS disciplinary,
       SUM(COALESCE(v.training, 0)) AS training
FROM staff AS s
JOIN calendar AS c ON c.date = s.snapshot_date
JOIN ethnic_category AS e ON e.code = s.ethnic_category
LEFT JOIN (
    SELECT vc.financial_year, x.staff_id,
           MAX(CASE WHEN x.type = 'formal_disciplinary' THEN 1 ELSE 0 END) AS disciplinary,
           MAX(CASE WHEN x.type = 'non_mandatory_training' THEN 1 ELSE 0 END) AS training
    FROM staff_event AS x
    JOIN calendar AS vc ON vc.date = x.date
    GROUP BY vc.financial_year, x.staff_id
) AS v ON v.staff_id = s.staff_id AND v.financial_year = c.financial_year
WHERE e.known = TRUE
  AND NOT (s.board_member = TRUE AND s.executive = FALSE)
GROUP BY c.financial_year, s.team_id, CASE WHEN e.broad_group = 'White' THEN 'White' ELSE 'BME' END
