-- Teams for equality leads: people referred to, accepted by and seen by each team in the financial year
-- (each person once per team, in the age band of their first referral to it) by up to five
-- characteristics, from the team rows of the access summaries. Only teams within the user's scope appear.
-- Parameters: financial_year, borough, service_line, other, dim_1 … dim_5, scope_all, scope_team_list
SELECT t.id AS team_id, t.name AS team, t.service_line, cell.dim_1, cell.dim_2, cell.dim_3, cell.dim_4,
       cell.dim_5, SUM(cell.people_referred) AS people_referred, SUM(cell.people_accepted) AS people_accepted,
       SUM(cell.people_seen) AS people_seen
FROM (
    SELECT s.team_id, s.people_referred, s.people_accepted, s.people_seen,
           {{access_cell_dims}}
    FROM {{access_people_cells}}
    WHERE s.financial_year = :financial_year
      AND s.team_id IS NOT NULL
      AND (:scope_all = 1 OR s.team_id IN :scope_team_list)
      AND (:borough = '' OR s.lad_code = :borough)
      AND (:service_line = '' OR s.service_line = :service_line)
) AS cell
JOIN team AS t ON t.id = cell.team_id
GROUP BY t.id, t.name, t.service_line, cell.dim_1, cell.dim_2, cell.dim_3, cell.dim_4, cell.dim_5
