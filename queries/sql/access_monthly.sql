-- People referred each month (distinct people with a referral received in the month) by up to five
-- person characteristics, for the SPC trend. Age is the age band of the person's first referral in
-- the month. All months in the data period (calendar.in_period). Counts only.
-- Parameters: borough, service_line, dim_1 … dim_5, scope_all, scope_team_list
WITH {{referrals}},
ref AS (
    SELECT person_id, month_start, MIN(age_order) AS age_order
    FROM referrals
    WHERE in_period
    GROUP BY person_id, month_start
),
who AS (
    SELECT ref.month_start,
           {{person_dims}}
    FROM ref AS ref
    {{people_of_ref}}
)
SELECT month_start, dim_1, dim_2, dim_3, dim_4, dim_5, COUNT(*) AS people_referred
FROM who
GROUP BY month_start, dim_1, dim_2, dim_3, dim_4, dim_5
