-- How completely ethnicity is recorded for people referred in one financial year, within scope.
-- Parameters: :financial_year, :scope_all, :scope_team_list
SELECT e.broad_group, e.known, COUNT(DISTINCT r.person_id) AS people
FROM referral AS r
JOIN calendar AS c ON c.date = r.received_date
JOIN person AS p ON p.id = r.person_id
JOIN ethnic_category AS e ON e.code = p.ethnic_category
WHERE c.financial_year = :financial_year
  AND (:scope_all = 1 OR r.team_id IN :scope_team_list)
GROUP BY e.broad_group, e.known
ORDER BY e.broad_group
