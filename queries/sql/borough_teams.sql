-- The teams based in one borough with their activity in one financial year, for the drill-down's
-- team breakdown (equality leads). Within the user's scope.
-- Parameters: borough, financial_year, scope_all, scope_team_list
SELECT t.id, t.name, t.service_line,
       (SELECT COUNT(*) FROM referral AS r JOIN calendar AS c ON c.date = r.received_date
         WHERE r.team_id = t.id AND c.financial_year = :financial_year) AS referrals,
       (SELECT COUNT(*) FROM mha_episode AS m
          JOIN legal_status AS l ON l.code = m.legal_status
          JOIN calendar AS c ON c.date = m.start_date
         WHERE m.team_id = t.id AND l.category = 'detention' AND c.financial_year = :financial_year) AS detentions
FROM team AS t
WHERE t.lad_code = :borough
  AND (:scope_all = 1 OR t.id IN :scope_team_list)
ORDER BY t.service_line, t.name
