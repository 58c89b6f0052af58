-- Teams for equality leads: people referred to each team in the financial year by one person
-- characteristic (dim_1; age from each person's first referral to that team in the period), with
-- accepted people and people seen. Team rows are scoped: only teams within the user's scope appear.
-- Parameters: financial_year, borough, service_line, dim_1 … dim_5, scope_all, scope_team_list
WITH ref AS (
    SELECT r.team_id, r.person_id, MIN(ab.sort_order) AS age_order,
           MAX(CASE WHEN r.accepted THEN 1 ELSE 0 END) AS accepted,
           MAX(CASE WHEN r.first_contact_date IS NOT NULL THEN 1 ELSE 0 END) AS seen
    FROM referral AS r
    JOIN calendar AS rc ON rc.date = r.received_date
    JOIN team AS t ON t.id = r.team_id
    JOIN age_band AS ab ON ab.band = r.age_band
    WHERE rc.financial_year = :financial_year
      AND (:service_line = '' OR t.service_line = :service_line)
      AND (:scope_all = 1 OR r.team_id IN :scope_team_list)
    GROUP BY r.team_id, r.person_id
),
who AS (
    SELECT ref.team_id, ref.accepted, ref.seen,
           {{person_dims}}
    FROM ref
    JOIN person AS p ON p.id = ref.person_id
    JOIN ethnic_category AS e ON e.code = p.ethnic_category
    JOIN age_band AS ab ON ab.sort_order = ref.age_order
    WHERE (:borough = '' OR p.lad_code = :borough)
)
SELECT t.id AS team_id, t.name AS team, t.service_line, who.dim_1, who.dim_2, who.dim_3, who.dim_4, who.dim_5,
       COUNT(*) AS people_referred, SUM(who.accepted) AS people_accepted, SUM(who.seen) AS people_seen
FROM who
JOIN team AS t ON t.id = who.team_id
GROUP BY t.id, t.name, t.service_line, who.dim_1, who.dim_2, who.dim_3, who.dim_4, who.dim_5
