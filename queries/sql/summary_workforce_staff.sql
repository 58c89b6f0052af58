-- Staff at each 31 March snapshot, counted once per load by everything the Workforce page slices by:
-- WRES year, team (for scope), work borough, pay band, NHS broad ethnic group, clinical or not, and
-- whether the person is an employee (non-executive directors are board members, not employees) or a
-- voting board member. The workforce queries read this instead of the staff records.
SELECT c.financial_year, s.snapshot_date, s.team_id, s.work_lad_code, s.pay_band, e.broad_group,
       CASE WHEN e.known = TRUE THEN 1 ELSE 0 END AS known,
       CASE WHEN s.clinical = TRUE THEN 1 ELSE 0 END AS clinical,
       CASE WHEN s.board_member = TRUE AND s.executive = FALSE THEN 0 ELSE 1 END AS employee,
       CASE WHEN s.board_member = TRUE AND s.board_voting = TRUE THEN 1 ELSE 0 END AS board_voting,
       COUNT(*) AS staff,
       SUM(CASE WHEN s.hi_champion = TRUE THEN 1 ELSE 0 END) AS champions
FROM staff AS s
JOIN calendar AS c ON c.date = s.snapshot_date
JOIN ethnic_category AS e ON e.code = s.ethnic_category
GROUP BY c.financial_year, s.snapshot_date, s.team_id, s.work_lad_code, s.pay_band, e.broad_group, e.known,
         s.clinical, s.board_member, s.executive, s.board_voting
