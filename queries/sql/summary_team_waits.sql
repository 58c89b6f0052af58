-- Summary (built once per load, data/summaries.py): accepted referrals by financial year and quarter
-- received, team and NHS ethnic category, with the wait in days from referral to first contact (NULL =
-- not seen yet). "My team" reads the share seen within the trust's waiting standard (a setting) from it.
SELECT rc.financial_year, rc.quarter, r.team_id, p.ethnic_category, fc.day_number - rc.day_number AS wait_days,
       COUNT(*) AS referrals
FROM referral AS r
JOIN calendar AS rc ON rc.date = r.received_date
LEFT JOIN calendar AS fc ON fc.date = r.first_contact_date
JOIN person AS p ON p.id = r.person_id
WHERE r.accepted
GROUP BY rc.financial_year, rc.quarter, r.team_id, p.ethnic_category, fc.day_number - rc.day_number
