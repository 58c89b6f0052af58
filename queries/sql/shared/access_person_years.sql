-- The people of the access summaries, as two CTEs: `access_referral` (every referral with its financial
-- year, its team's service line and the sort order of its age band) and `person_year`, one row per
-- person at each of three levels, so that people are counted once per level and still add up:
--   service_line = '' and team_id NULL: the whole trust, all services (each person once a year);
--   service_line = a line and team_id NULL: the whole trust, that service line (each person once);
--   team_id = a team: that team (each person once per team; scoped readers sum their teams).
-- Each person is placed in the age band of their FIRST referral at that level in the year (the youngest
-- band), so that counts of people add up across age bands. Columns: financial_year, service_line,
-- team_id, person_id, age_order, accepted, seen (0/1), and the referral counts of the person.
-- {{access_person_years}} in a summary's WITH clause, after {{access_level}}, expands to this.
access_referral AS (
    SELECT r.person_id, r.team_id, t.service_line, rc.financial_year, r.source, r.accepted,
           r.first_contact_date, r.discharge_reason, r.attended_count, r.dna_count, ab.sort_order AS age_order
    FROM referral AS r
    JOIN calendar AS rc ON rc.date = r.received_date
    JOIN team AS t ON t.id = r.team_id
    JOIN age_band AS ab ON ab.band = r.age_band
),
person_year AS (
    SELECT r.financial_year,
           CASE WHEN l.level = 0 THEN '' ELSE r.service_line END AS service_line,
           CASE WHEN l.level = 2 THEN r.team_id ELSE NULL END AS team_id,
           r.person_id,
           MIN(r.age_order) AS age_order,
           MAX(CASE WHEN r.accepted THEN 1 ELSE 0 END) AS accepted,
           MAX(CASE WHEN r.first_contact_date IS NOT NULL THEN 1 ELSE 0 END) AS seen,
           COUNT(*) AS referrals,
           SUM(CASE WHEN r.source = 'GP' THEN 1 ELSE 0 END) AS source_gp,
           SUM(CASE WHEN r.source = 'Self' THEN 1 ELSE 0 END) AS source_self,
           SUM(CASE WHEN r.source = 'Police or criminal justice' THEN 1 ELSE 0 END) AS source_police,
           SUM(CASE WHEN r.source = 'A&E' THEN 1 ELSE 0 END) AS source_ae,
           SUM(CASE WHEN r.source IN ('GP', 'Self', 'Police or criminal justice', 'A&E') THEN 0 ELSE 1 END)
               AS source_other,
           SUM(CASE WHEN r.accepted THEN 1 ELSE 0 END) AS accepted_referrals,
           SUM(r.attended_count) AS attended,
           SUM(r.dna_count) AS dna,
           SUM(CASE WHEN r.first_contact_date IS NOT NULL THEN 1 ELSE 0 END) AS seen_referrals,
           SUM(CASE WHEN r.first_contact_date IS NOT NULL AND r.discharge_reason = 'Discharged before treatment'
                    THEN 1 ELSE 0 END) AS discharged_before_treatment
    FROM access_referral AS r
    CROSS JOIN access_level AS l
    GROUP BY r.financial_year,
             CASE WHEN l.level = 0 THEN '' ELSE r.service_line END,
             CASE WHEN l.level = 2 THEN r.team_id ELSE NULL END,
             r.person_id
)
