-- Counts behind WRES indicators 2, 3 and 4, by WRES group (White; BME = every known non-White group;
-- unknown and not stated are left out), for each WRES year (the financial year ending on 31 March).
--   indicator 2: events = applicants appointed from shortlisting, total = applicants shortlisted, in
--                the year (recruitment is trust-level: only a trust-wide scope sees it);
--   indicator 3: events = staff in the 31 March snapshot who entered a formal disciplinary process in
--                the year, total = headcount at the snapshot;
--   indicator 4: the same for non-mandatory training and CPD.
-- A staff member counts once however many events they had. Events of staff who left before 31 March
-- are not counted (their ethnicity is taken from the snapshot). Single-year figures: the two-year
-- rolling average of the WRES technical guidance is unconfirmed and not applied.
-- Non-executive directors are not employees and are left out.
-- Parameters: financial_year ('' for every year), scope_all, scope_team_list
WITH staff_year AS (
    SELECT c.financial_year, s.staff_id,
           CASE WHEN e.broad_group = 'White' THEN 'White' ELSE 'BME' END AS wres_group
    FROM staff AS s
    JOIN calendar AS c ON c.date = s.snapshot_date
    JOIN ethnic_category AS e ON e.code = s.ethnic_category
    WHERE e.known = TRUE
      AND NOT (s.board_member = TRUE AND s.executive = FALSE)
      AND (:financial_year = '' OR c.financial_year = :financial_year)
      AND (:scope_all = 1 OR s.team_id IN :scope_team_list)
),
event_year AS (
    SELECT DISTINCT c.financial_year, v.staff_id, v.type
    FROM staff_event AS v
    JOIN calendar AS c ON c.date = v.date
    WHERE (:financial_year = '' OR c.financial_year = :financial_year)
),
applicants AS (
    SELECT c.financial_year,
           CASE WHEN e.broad_group = 'White' THEN 'White' ELSE 'BME' END AS wres_group,
           SUM(CASE WHEN r.shortlisted = TRUE AND r.appointed = TRUE THEN 1 ELSE 0 END) AS appointed,
           SUM(CASE WHEN r.shortlisted = TRUE THEN 1 ELSE 0 END) AS shortlisted
    FROM recruitment AS r
    JOIN calendar AS c ON c.date = r.date
    JOIN ethnic_category AS e ON e.code = r.ethnic_category
    WHERE e.known = TRUE
      AND (:financial_year = '' OR c.financial_year = :financial_year)
      AND :scope_all = 1
    GROUP BY c.financial_year, CASE WHEN e.broad_group = 'White' THEN 'White' ELSE 'BME' END
)
SELECT financial_year, 2 AS indicator, wres_group, appointed AS events, shortlisted AS total
FROM applicants
UNION ALL
SELECT y.financial_year, 3 AS indicator, y.wres_group,
       SUM(CASE WHEN v.staff_id IS NULL THEN 0 ELSE 1 END) AS events, COUNT(*) AS total
FROM staff_year AS y
LEFT JOIN event_year AS v
       ON v.staff_id = y.staff_id AND v.financial_year = y.financial_year AND v.type = 'formal_disciplinary'
GROUP BY y.financial_year, y.wres_group
UNION ALL
SELECT y.financial_year, 4 AS indicator, y.wres_group,
       SUM(CASE WHEN v.staff_id IS NULL THEN 0 ELSE 1 END) AS events, COUNT(*) AS total
FROM staff_year AS y
LEFT JOIN event_year AS v
       ON v.staff_id = y.staff_id AND v.financial_year = y.financial_year AND v.type = 'non_mandatory_training'
GROUP BY y.financial_year, y.wres_group
