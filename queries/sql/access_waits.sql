-- Referral to first contact: accepted referrals received in one financial year by up to five
-- characteristics (ethnic_category, broad_group, sex, age_band: the referral's own display band,
-- imd_quintile, borough) and wait in days (0 to 365, 366 = over a year, NULL = not seen yet), from
-- summary_access_waits. Medians and the share seen within the standard are read from it in measures/.
-- Parameters: financial_year, borough, service_line, dim_1 … dim_5, scope_all, scope_team_list
SELECT dim_1, dim_2, dim_3, dim_4, dim_5, wait_days, SUM(referrals) AS referrals
FROM (
    SELECT s.wait_days, s.referrals,
           {{access_cell_dims}}
    FROM (SELECT w.*, CAST(NULL AS VARCHAR(40)) AS characteristic, CAST(NULL AS VARCHAR(40)) AS value
          FROM summary_access_waits AS w) AS s
    JOIN ethnic_category AS e ON e.code = s.ethnic_category
    LEFT JOIN area AS b ON b.code = s.lad_code
    WHERE s.financial_year = :financial_year
      AND (:borough = '' OR s.lad_code = :borough)
      AND (:service_line = '' OR s.service_line = :service_line)
      AND (:scope_all = 1 OR s.team_id IN :scope_team_list)
) AS cell
GROUP BY dim_1, dim_2, dim_3, dim_4, dim_5, wait_days
