-- Summary (built once per load, data/summaries.py): NHS Talking Therapies courses that finished in each
-- financial year (outcome.end_date) by team, the person's borough and characteristics, and the display
-- age band of the referral the course belongs to: finished, at caseness at the start, recovered (of
-- those at caseness) and reliably improved. Courses are events, so teams add up to the trust.
SELECT c.financial_year, o.team_id, p.lad_code, p.ethnic_category, p.sex, ab.display_band AS age_band,
       {{access_imd_quintile}} AS imd_quintile, p.religion, p.sexual_orientation, p.disability,
       p.first_language,
       COUNT(*) AS finished,
       SUM(CASE WHEN o.caseness_at_start THEN 1 ELSE 0 END) AS at_caseness,
       SUM(CASE WHEN o.caseness_at_start AND o.recovered THEN 1 ELSE 0 END) AS recovered,
       SUM(CASE WHEN o.reliable_improvement THEN 1 ELSE 0 END) AS reliably_improved
FROM outcome AS o
JOIN calendar AS c ON c.date = o.end_date
JOIN referral AS r ON r.id = o.referral_id
JOIN age_band AS ab ON ab.band = r.age_band
JOIN person AS p ON p.id = o.person_id
GROUP BY c.financial_year, o.team_id, p.lad_code, p.ethnic_category, p.sex, ab.display_band,
         {{access_imd_quintile}}, p.religion, p.sexual_orientation, p.disability, p.first_language
