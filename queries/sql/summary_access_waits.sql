-- Summary (built once per load, data/summaries.py): accepted referrals by financial year received, team
-- (and its service line), the person's borough, NHS ethnic category, sex and deprivation quintile, the
-- display age band of the referral itself, and the wait in days from referral to first contact (0 to 365,
-- 366 = over a year, NULL = not seen yet). Referrals are events, so teams add up to the trust. Medians
-- and the share seen within the waiting standard are read from this histogram.
SELECT rc.financial_year, r.team_id, t.service_line, p.lad_code, p.ethnic_category, p.sex,
       ab.display_band AS age_band, {{access_imd_quintile}} AS imd_quintile,
       CASE WHEN fc.day_number IS NULL THEN NULL
            WHEN fc.day_number - rc.day_number > 365 THEN 366
            WHEN fc.day_number - rc.day_number < 0 THEN 0
            ELSE fc.day_number - rc.day_number END AS wait_days,
       COUNT(*) AS referrals
FROM referral AS r
JOIN calendar AS rc ON rc.date = r.received_date
LEFT JOIN calendar AS fc ON fc.date = r.first_contact_date
JOIN team AS t ON t.id = r.team_id
JOIN age_band AS ab ON ab.band = r.age_band
JOIN person AS p ON p.id = r.person_id
WHERE r.accepted
GROUP BY rc.financial_year, r.team_id, t.service_line, p.lad_code, p.ethnic_category, p.sex, ab.display_band,
         {{access_imd_quintile}},
         CASE WHEN fc.day_number IS NULL THEN NULL
              WHEN fc.day_number - rc.day_number > 365 THEN 366
              WHEN fc.day_number - rc.day_number < 0 THEN 0
              ELSE fc.day_number - rc.day_number END
