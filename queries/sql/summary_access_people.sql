-- Summary (built once per load, data/summaries.py): people referred, accepted and seen, and their
-- referrals by route, acceptance, appointments and drop-out, per financial year at three levels (all
-- services, each service line, each team: shared/access_person_years.sql), by where the person lives
-- (borough), NHS ethnic category, sex, age band (display band of the first referral at that level) and
-- deprivation quintile. The Service access page reads these few thousand rows, not the referrals.
WITH {{access_level}},
{{access_person_years}}
SELECT u.financial_year, u.service_line, u.team_id, p.lad_code, p.ethnic_category, p.sex,
       ab.display_band AS age_band, {{access_imd_quintile}} AS imd_quintile,
       {{access_people_counts}}
FROM person_year AS u
JOIN person AS p ON p.id = u.person_id
JOIN age_band AS ab ON ab.sort_order = u.age_order
GROUP BY u.financial_year, u.service_line, u.team_id, p.lad_code, p.ethnic_category, p.sex, ab.display_band,
         {{access_imd_quintile}}
