-- People referred each month (distinct people with a referral received in the month) by one
-- characteristic (:characteristic: ethnic_category, sex, age_band or imd_quintile; broad_group is read
-- from ethnic_category), for the SPC trend, from summary_access_monthly. All months in the data period.
-- Parameters: characteristic, borough, service_line, scope_all, scope_team_list
SELECT s.month_start,
       CASE WHEN :characteristic = 'broad_group' THEN e.broad_group ELSE s.value END AS value,
       SUM(s.people_referred) AS people_referred
FROM summary_access_monthly AS s
LEFT JOIN ethnic_category AS e ON e.code = s.value AND s.characteristic = 'ethnic_category'
WHERE s.characteristic = CASE WHEN :characteristic = 'broad_group' THEN 'ethnic_category' ELSE :characteristic END
  AND (:borough = '' OR s.lad_code = :borough)
  AND {{access_levels}}
GROUP BY s.month_start, CASE WHEN :characteristic = 'broad_group' THEN e.broad_group ELSE s.value END
