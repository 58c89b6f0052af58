-- Patient and carer feedback in a period: answers and positive answers by respondent type, question
-- and the respondent's NHS broad ethnic group. The questions come from the data.
-- Parameters: period_start, period_end, borough, scope_all, scope_team_list
SELECT f.respondent_type, f.question, e.broad_group,
       COUNT(*) AS answers, SUM(CASE WHEN f.positive THEN 1 ELSE 0 END) AS positive
FROM feedback AS f
JOIN calendar AS c ON c.date = f.date
JOIN ethnic_category AS e ON e.code = f.ethnic_category
JOIN team AS t ON t.id = f.team_id
WHERE c.date >= :period_start AND c.date <= :period_end
  AND (:borough = '' OR t.lad_code = :borough)
  AND (:scope_all = 1 OR f.team_id IN :scope_team_list)
GROUP BY f.respondent_type, f.question, e.broad_group
