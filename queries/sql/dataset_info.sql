-- Facts about the loaded data (trust name, period, as-at date, synthetic flag).
-- Not team data: the same for every user.
SELECT key, value
FROM dataset_info
ORDER BY key
