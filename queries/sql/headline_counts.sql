-- Headline activity for one financial year, within the user's scope.
--   people_in_contact: people with a referral open and seen at any time in the year
--   referrals: referrals received in the year
--   detentions: Mental Health Act detentions starting in the year (category 'detention')
--   staff: headcount at 31 March ending the year (excluding non-executive directors)
-- Parameters: :financial_year, :scope_all, :scope_team_list
WITH fy AS (
    SELECT MIN(date) AS first_day, MAX(date) AS last_day
    FROM calendar
    WHERE financial_year = :financial_year
)
SELECT
    (SELECT COUNT(DISTINCT r.person_id)
       FROM referral AS r, fy
      WHERE r.first_contact_date <= fy.last_day
        AND (r.discharge_date IS NULL OR r.discharge_date >= fy.first_day)
        AND (:scope_all = 1 OR r.team_id IN :scope_team_list)) AS people_in_contact,
    (SELECT COUNT(*)
       FROM referral AS r
       JOIN calendar AS c ON c.date = r.received_date
      WHERE c.financial_year = :financial_year
        AND (:scope_all = 1 OR r.team_id IN :scope_team_list)) AS referrals,
    (SELECT COUNT(*)
       FROM mha_episode AS m
       JOIN legal_status AS l ON l.code = m.legal_status
       JOIN calendar AS c ON c.date = m.start_date
      WHERE l.category = 'detention'
        AND c.financial_year = :financial_year
        AND (:scope_all = 1 OR m.team_id IN :scope_team_list)) AS detentions,
    (SELECT COUNT(*)
       FROM staff AS s, fy
      WHERE s.snapshot_date = fy.last_day
        AND s.pay_band <> 'Non-executive director'
        AND (:scope_all = 1 OR s.team_id IN :scope_team_list)) AS staff
