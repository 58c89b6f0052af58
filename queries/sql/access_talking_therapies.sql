-- NHS Talking Therapies outcomes by up to five characteristics (ethnic_category, broad_group, sex,
-- age_band of the referral, imd_quintile, borough, religion, sexual_orientation, disability,
-- first_language): courses that finished in the financial year, at caseness at the start, recovered (of
-- those) and reliably improved, from summary_access_talking_therapies. Counts only.
-- Filters: borough ('' for all; where the person lives); the service line is Talking Therapies by
-- definition of the outcome table.
-- Parameters: financial_year, borough, other, dim_1 … dim_5, scope_all, scope_team_list
SELECT dim_1, dim_2, dim_3, dim_4, dim_5, SUM(finished) AS finished, SUM(at_caseness) AS at_caseness,
       SUM(recovered) AS recovered, SUM(reliably_improved) AS reliably_improved
FROM (
    SELECT s.finished, s.at_caseness, s.recovered, s.reliably_improved,
           {{access_cell_dims}}
    FROM (SELECT o.*, :other AS characteristic,
                 CASE :other WHEN 'religion' THEN o.religion WHEN 'sexual_orientation' THEN o.sexual_orientation
                      WHEN 'disability' THEN o.disability WHEN 'first_language' THEN o.first_language
                      ELSE NULL END AS value
          FROM summary_access_talking_therapies AS o) AS s
    JOIN ethnic_category AS e ON e.code = s.ethnic_category
    LEFT JOIN area AS b ON b.code = s.lad_code
    WHERE s.financial_year = :financial_year
      AND (:borough = '' OR s.lad_code = :borough)
      AND (:scope_all = 1 OR s.team_id IN :scope_team_list)
) AS cell
GROUP BY dim_1, dim_2, dim_3, dim_4, dim_5
