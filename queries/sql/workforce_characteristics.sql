-- Staff at the 31 March snapshot by pay band and one other characteristic: sex, disability (as
-- recorded: Yes, No, Not known; WDES-style) and age band (the display bands of age_band).
-- Non-executive directors are left out (not employees).
-- Parameters: financial_year, staff_filter ('all', 'clinical', 'non_clinical'), borough ('' for all),
-- scope_all, scope_team_list
WITH staff_year AS (
    SELECT s.pay_band, s.sex, s.disability, b.display_band
    FROM staff AS s
    JOIN calendar AS c ON c.date = s.snapshot_date
    JOIN age_band AS b ON b.band = s.age_band
    WHERE c.financial_year = :financial_year
      AND {{workforce_staff}}
)
SELECT pay_band, 'sex' AS characteristic, sex AS category, COUNT(*) AS staff
FROM staff_year GROUP BY pay_band, sex
UNION ALL
SELECT pay_band, 'disability' AS characteristic, disability AS category, COUNT(*) AS staff
FROM staff_year GROUP BY pay_band, disability
UNION ALL
SELECT pay_band, 'age_band' AS characteristic, display_band AS category, COUNT(*) AS staff
FROM staff_year GROUP BY pay_band, display_band
