-- Referral to first contact: a histogram of waits (days) for accepted referrals with a first contact
-- in one financial year, by up to five person characteristics (as in access_people.sql, with each
-- person in the display age band of their first referral in the period). Waits over 365 days are
-- counted in bucket 366 ("over a year"). Medians are read from the histogram in measures/access.py.
-- Parameters: financial_year, borough, service_line, dim_1 … dim_5, scope_all, scope_team_list
WITH {{referrals}},
ref AS (
    SELECT person_id, accepted, age_order, wait_days FROM referrals WHERE financial_year = :financial_year
),
person_age AS (
    SELECT person_id, MIN(age_order) AS age_order FROM ref GROUP BY person_id
),
waits AS (
    SELECT ref.person_id,
           CASE WHEN ref.wait_days > 365 THEN 366 WHEN ref.wait_days < 0 THEN 0 ELSE ref.wait_days END AS wait_days
    FROM ref
    WHERE ref.accepted AND ref.wait_days IS NOT NULL
),
who AS (
    SELECT ref.person_id,
           {{person_dims}}
    FROM person_age AS ref
    {{people_of_ref}}
)
SELECT who.dim_1, who.dim_2, who.dim_3, who.dim_4, who.dim_5, w.wait_days, COUNT(*) AS referrals
FROM waits AS w
JOIN who ON who.person_id = w.person_id
GROUP BY who.dim_1, who.dim_2, who.dim_3, who.dim_4, who.dim_5, w.wait_days
