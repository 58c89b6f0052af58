-- The three levels of the access summaries, as one CTE `access_level` (0: all services, 1: each service
-- line, 2: each team; shared/access_person_years.sql). {{access_level}} in a WITH clause expands to this.
access_level AS (
    SELECT 0 AS level UNION ALL SELECT 1 UNION ALL SELECT 2
)
