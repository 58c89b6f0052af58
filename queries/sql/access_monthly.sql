-- People referred each month (distinct people with a referral received in the month) by up to five
-- person characteristics, for the SPC trend. Age is the age band of the person's first referral in
-- the month. All months in the data period (calendar.in_period). Counts only.
-- Parameters: borough, service_line, dim_1 … dim_5, scope_all, scope_team_list
WITH ref AS (
    SELECT r.person_id, rc.month_start, MIN(ab.sort_order) AS age_order
    FROM referral AS r
    JOIN calendar AS rc ON rc.date = r.received_date
    JOIN team AS t ON t.id = r.team_id
    JOIN age_band AS ab ON ab.band = r.age_band
    WHERE rc.in_period
      AND (:service_line = '' OR t.service_line = :service_line)
      AND (:scope_all = 1 OR r.team_id IN :scope_team_list)
    GROUP BY r.person_id, rc.month_start
),
who AS (
    SELECT ref.month_start,
           {{person_dims}}
    FROM ref
    JOIN person AS p ON p.id = ref.person_id
    JOIN ethnic_category AS e ON e.code = p.ethnic_category
    JOIN age_band AS ab ON ab.sort_order = ref.age_order
    WHERE (:borough = '' OR p.lad_code = :borough)
)
SELECT month_start, dim_1, dim_2, dim_3, dim_4, dim_5, COUNT(*) AS people_referred
FROM who
GROUP BY month_start, dim_1, dim_2, dim_3, dim_4, dim_5
