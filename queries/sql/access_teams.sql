-- Teams for equality leads: people referred to each team in the financial year by one person
-- characteristic (dim_1; age from each person's first referral to that team in the period), with
-- accepted people and people seen. Team rows are scoped: only teams within the user's scope appear.
-- Parameters: financial_year, borough, service_line, dim_1 … dim_5, scope_all, scope_team_list
WITH {{referrals}},
ref AS (
    SELECT team_id, person_id, MIN(age_order) AS age_order,
           MAX(CASE WHEN accepted THEN 1 ELSE 0 END) AS accepted,
           MAX(CASE WHEN first_contact_date IS NOT NULL THEN 1 ELSE 0 END) AS seen
    FROM referrals
    WHERE financial_year = :financial_year
    GROUP BY team_id, person_id
),
who AS (
    SELECT ref.team_id, ref.accepted, ref.seen,
           {{person_dims}}
    FROM ref AS ref
    {{people_of_ref}}
)
SELECT t.id AS team_id, t.name AS team, t.service_line, who.dim_1, who.dim_2, who.dim_3, who.dim_4, who.dim_5,
       COUNT(*) AS people_referred, SUM(who.accepted) AS people_accepted, SUM(who.seen) AS people_seen
FROM who
JOIN team AS t ON t.id = who.team_id
GROUP BY t.id, t.name, t.service_line, who.dim_1, who.dim_2, who.dim_3, who.dim_4, who.dim_5
