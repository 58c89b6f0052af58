-- Staff at the 31 March snapshot by pay band and one other characteristic: sex, disability (as
-- recorded: Yes, No, Not known; WDES-style) and age band (the display bands of age_band), from the
-- per-load summary. Non-executive directors are left out (not employees).
-- Parameters: financial_year, staff_filter ('all', 'clinical', 'non_clinical'), borough ('' for all),
-- scope_all, scope_team_list
SELECT w.pay_band, 'sex' AS characteristic, w.sex AS category, SUM(w.staff) AS staff
FROM summary_workforce_characteristics AS w
WHERE w.financial_year = :financial_year AND {{workforce_summary_staff}}
GROUP BY w.pay_band, w.sex
UNION ALL
SELECT w.pay_band, 'disability' AS characteristic, w.disability AS category, SUM(w.staff) AS staff
FROM summary_workforce_characteristics AS w
WHERE w.financial_year = :financial_year AND {{workforce_summary_staff}}
GROUP BY w.pay_band, w.disability
UNION ALL
SELECT w.pay_band, 'age_band' AS characteristic, w.age_band AS category, SUM(w.staff) AS staff
FROM summary_workforce_characteristics AS w
WHERE w.financial_year = :financial_year AND {{workforce_summary_staff}}
GROUP BY w.pay_band, w.age_band
