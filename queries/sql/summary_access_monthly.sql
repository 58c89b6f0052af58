-- Summary (built once per load, data/summaries.py): people referred each month (distinct people with a
-- referral received in the month, in the age band of their first referral of the month) at three levels
-- (all services, each service line, each team, as in shared/access_person_years.sql), by borough and one
-- person characteristic at a time (characteristic, value): NHS ethnic category, sex, age band and
-- deprivation quintile (the other characteristics are compared by year only, which keeps this table
-- small). Months of the data period only.
WITH month_referral AS (
    SELECT r.person_id, r.team_id, t.service_line, c.month_start, ab.sort_order AS age_order
    FROM referral AS r
    JOIN calendar AS c ON c.date = r.received_date
    JOIN team AS t ON t.id = r.team_id
    JOIN age_band AS ab ON ab.band = r.age_band
    WHERE c.in_period
),
{{access_level}},
person_month AS (
    SELECT r.month_start,
           CASE WHEN l.level = 0 THEN '' ELSE r.service_line END AS service_line,
           CASE WHEN l.level = 2 THEN r.team_id ELSE NULL END AS team_id,
           r.person_id, MIN(r.age_order) AS age_order
    FROM month_referral AS r
    CROSS JOIN access_level AS l
    GROUP BY r.month_start,
             CASE WHEN l.level = 0 THEN '' ELSE r.service_line END,
             CASE WHEN l.level = 2 THEN r.team_id ELSE NULL END,
             r.person_id
),
characteristic AS (
    SELECT 'ethnic_category' AS name UNION ALL SELECT 'sex' UNION ALL SELECT 'age_band'
    UNION ALL SELECT 'imd_quintile'
),
cell AS (
    SELECT u.month_start, u.service_line, u.team_id, p.lad_code, k.name AS characteristic,
           CASE k.name WHEN 'ethnic_category' THEN p.ethnic_category WHEN 'sex' THEN p.sex
                WHEN 'age_band' THEN ab.display_band ELSE {{access_imd_quintile}} END AS value
    FROM person_month AS u
    JOIN person AS p ON p.id = u.person_id
    JOIN age_band AS ab ON ab.sort_order = u.age_order
    CROSS JOIN characteristic AS k
)
SELECT month_start, service_line, team_id, lad_code, characteristic, value, COUNT(*) AS people_referred
FROM cell
GROUP BY month_start, service_line, team_id, lad_code, characteristic, value
