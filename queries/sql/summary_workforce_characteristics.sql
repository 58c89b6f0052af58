-- Employees (non-executive directors left out) at each 31 March snapshot by pay band and the other
-- characteristics the Workforce page shows (sex, disability as recorded, display age band), with the
-- team (for scope), work borough and clinical flag the filters need. Counted once per load.
SELECT c.financial_year, s.team_id, s.work_lad_code, s.pay_band,
       CASE WHEN s.clinical = TRUE THEN 1 ELSE 0 END AS clinical,
       1 AS employee, s.sex, s.disability, b.display_band AS age_band, COUNT(*) AS staff
FROM staff AS s
JOIN calendar AS c ON c.date = s.snapshot_date
JOIN age_band AS b ON b.band = s.age_band
WHERE NOT (s.board_member = TRUE AND s.executive = FALSE)
GROUP BY c.financial_year, s.team_id, s.work_lad_code, s.pay_band, s.clinical, s.sex, s.disability,
         b.display_band
