-- Financial years covered by the calendar, with their first and last days.
SELECT financial_year, MIN(date) AS first_day, MAX(date) AS last_day
FROM calendar
GROUP BY financial_year
ORDER BY financial_year
