-- Summary (built once per load, data/summaries.py): the counts of summary_access_people by the person
-- characteristics the population table does not hold (religion, sexual orientation, disability, first
-- language), one at a time (characteristic, value), with borough and NHS ethnic category so that priority
-- communities such as "any other White background whose first language is Polish" can be built.
WITH {{access_level}},
{{access_person_years}},
other AS (
    SELECT 'religion' AS characteristic UNION ALL SELECT 'sexual_orientation'
    UNION ALL SELECT 'disability' UNION ALL SELECT 'first_language'
)
SELECT u.financial_year, u.service_line, u.team_id, p.lad_code, p.ethnic_category, o.characteristic,
       CASE o.characteristic WHEN 'religion' THEN p.religion WHEN 'sexual_orientation' THEN p.sexual_orientation
            WHEN 'disability' THEN p.disability ELSE p.first_language END AS value,
       {{access_people_counts}}
FROM person_year AS u
JOIN person AS p ON p.id = u.person_id
CROSS JOIN other AS o
GROUP BY u.financial_year, u.service_line, u.team_id, p.lad_code, p.ethnic_category, o.characteristic,
         CASE o.characteristic WHEN 'religion' THEN p.religion WHEN 'sexual_orientation' THEN p.sexual_orientation
              WHEN 'disability' THEN p.disability ELSE p.first_language END
