-- NHS Talking Therapies outcomes by up to five person characteristics: courses of treatment that
-- finished in the financial year (outcome.end_date), at caseness at the start, and recovered (recovery
-- rate = recovered / finished courses at caseness, docs/methods.md). Age is the age band of the referral
-- the course belongs to. Counts only.
-- Filters: borough ('' for all; where the person lives); the service line is Talking Therapies by
-- definition of the outcome table.
-- Parameters: financial_year, borough, dim_1 … dim_5, scope_all, scope_team_list
WITH course AS (
    SELECT o.person_id, o.caseness_at_start, o.recovered, o.reliable_improvement, ab.sort_order AS age_order
    FROM outcome AS o
    JOIN calendar AS c ON c.date = o.end_date
    JOIN referral AS r ON r.id = o.referral_id
    JOIN age_band AS ab ON ab.band = r.age_band
    WHERE c.financial_year = :financial_year
      AND (:scope_all = 1 OR o.team_id IN :scope_team_list)
),
who AS (
    SELECT ref.caseness_at_start, ref.recovered, ref.reliable_improvement,
           {{person_dims}}
    FROM course AS ref
    {{people_of_ref}}
)
SELECT dim_1, dim_2, dim_3, dim_4, dim_5,
       COUNT(*) AS finished,
       SUM(CASE WHEN caseness_at_start THEN 1 ELSE 0 END) AS at_caseness,
       SUM(CASE WHEN caseness_at_start AND recovered THEN 1 ELSE 0 END) AS recovered,
       SUM(CASE WHEN reliable_improvement THEN 1 ELSE 0 END) AS reliably_improved
FROM who
GROUP BY dim_1, dim_2, dim_3, dim_4, dim_5
