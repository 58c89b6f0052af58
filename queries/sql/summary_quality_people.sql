-- Summary (built once per load, data/summaries.py): how completely protected characteristics are
-- recorded for the people referred, by period (financial year, and month received) and level: each team
-- (team_id set, so a champion's scope applies), each service line, each borough where teams are based,
-- and the trust. People are counted once per row (COUNT DISTINCT), so a person referred to two teams
-- counts in each team but once in the trust. Recorded means: ethnicity a known NHS ethnic category;
-- sex M or F; age a birth year; religion, sexual orientation anything but 'Not stated'; disability Yes
-- or No.
WITH referred AS (
    SELECT c.financial_year, c.month_start, r.team_id, t.service_line, t.lad_code, r.person_id,
           CASE WHEN e.known THEN 1 ELSE 0 END AS ethnicity,
           CASE WHEN p.sex IN ('M', 'F') THEN 1 ELSE 0 END AS sex,
           CASE WHEN p.birth_year IS NOT NULL THEN 1 ELSE 0 END AS age,
           CASE WHEN p.religion IS NOT NULL AND p.religion <> 'Not stated' THEN 1 ELSE 0 END AS religion,
           CASE WHEN p.sexual_orientation IS NOT NULL AND p.sexual_orientation <> 'Not stated'
                THEN 1 ELSE 0 END AS sexual_orientation,
           CASE WHEN p.disability IN ('Yes', 'No') THEN 1 ELSE 0 END AS disability
    FROM referral AS r
    JOIN calendar AS c ON c.date = r.received_date
    JOIN team AS t ON t.id = r.team_id
    JOIN person AS p ON p.id = r.person_id
    JOIN ethnic_category AS e ON e.code = p.ethnic_category
)
SELECT 'year' AS period_kind, financial_year AS period, 'team' AS level, CAST(team_id AS VARCHAR(40)) AS unit,
       team_id, {{quality_counts}}
FROM referred GROUP BY financial_year, team_id
UNION ALL
SELECT 'year', financial_year, 'service_line', service_line, NULL, {{quality_counts}}
FROM referred GROUP BY financial_year, service_line
UNION ALL
SELECT 'year', financial_year, 'borough', lad_code, NULL, {{quality_counts}}
FROM referred GROUP BY financial_year, lad_code
UNION ALL
SELECT 'year', financial_year, 'trust', 'trust', NULL, {{quality_counts}}
FROM referred GROUP BY financial_year
UNION ALL
SELECT 'month', CAST(month_start AS VARCHAR(40)), 'team', CAST(team_id AS VARCHAR(40)), team_id, {{quality_counts}}
FROM referred GROUP BY month_start, team_id
UNION ALL
SELECT 'month', CAST(month_start AS VARCHAR(40)), 'service_line', service_line, NULL, {{quality_counts}}
FROM referred GROUP BY month_start, service_line
UNION ALL
SELECT 'month', CAST(month_start AS VARCHAR(40)), 'borough', lad_code, NULL, {{quality_counts}}
FROM referred GROUP BY month_start, lad_code
UNION ALL
SELECT 'month', CAST(month_start AS VARCHAR(40)), 'trust', 'trust', NULL, {{quality_counts}}
FROM referred GROUP BY month_start
