-- NHS Talking Therapies outcomes of courses finishing in a period, by NHS ethnic category
-- (docs/methods.md): finished courses, courses at caseness, recovered (of those at caseness),
-- reliable improvement and reliable deterioration (of finished courses).
-- Parameters: period_start, period_end, service_line, borough, sex, age_band, scope_all, scope_team_list
SELECT p.ethnic_category,
       COUNT(*) AS finished,
       SUM(CASE WHEN o.caseness_at_start THEN 1 ELSE 0 END) AS caseness,
       SUM(CASE WHEN o.caseness_at_start AND o.recovered THEN 1 ELSE 0 END) AS recovered,
       SUM(CASE WHEN o.reliable_improvement THEN 1 ELSE 0 END) AS improved,
       SUM(CASE WHEN o.reliable_deterioration THEN 1 ELSE 0 END) AS deteriorated
FROM outcome AS o
JOIN calendar AS c ON c.date = o.end_date
JOIN person AS p ON p.id = o.person_id
JOIN referral AS r ON r.id = o.referral_id
JOIN age_band AS ab ON ab.band = r.age_band
JOIN team AS t ON t.id = o.team_id
WHERE c.date >= :period_start AND c.date <= :period_end
  AND (:scope_all = 1 OR o.team_id IN :scope_team_list)
  AND (:service_line = '' OR t.service_line = :service_line)
  AND (:borough = '' OR p.lad_code = :borough)
  AND (:sex = '' OR p.sex = :sex)
  AND (:age_band = '' OR ab.display_band = :age_band)
GROUP BY p.ethnic_category
