-- Financial years of the data period, with their first and last days.
SELECT financial_year, MIN(date) AS first_day, MAX(date) AS last_day
FROM calendar
WHERE in_period = TRUE
GROUP BY financial_year
ORDER BY financial_year
