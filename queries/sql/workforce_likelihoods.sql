-- Counts behind WRES indicators 2, 3 and 4, by WRES group (White; BME = every known non-White group;
-- unknown and not stated are left out), for each WRES year (the financial year ending on 31 March), from
-- the per-load summaries:
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
SELECT r.financial_year, 2 AS indicator, r.wres_group, r.appointed AS events, r.shortlisted AS total
FROM summary_workforce_recruitment AS r
WHERE (:financial_year = '' OR r.financial_year = :financial_year)
  AND :scope_all = 1
UNION ALL
SELECT v.financial_year, 3 AS indicator, v.wres_group, SUM(v.disciplinary) AS events, SUM(v.staff) AS total
FROM summary_workforce_events AS v
WHERE (:financial_year = '' OR v.financial_year = :financial_year)
  AND (:scope_all = 1 OR v.team_id IN :scope_team_list)
GROUP BY v.financial_year, v.wres_group
UNION ALL
SELECT v.financial_year, 4 AS indicator, v.wres_group, SUM(v.training) AS events, SUM(v.staff) AS total
FROM summary_workforce_events AS v
WHERE (:financial_year = '' OR v.financial_year = :financial_year)
  AND (:scope_all = 1 OR v.team_id IN :scope_team_list)
GROUP BY v.financial_year, v.wres_group
