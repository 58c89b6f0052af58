-- The coercion events of the PCREF queries, from the per-load summary (summary_pcref_events.sql), as one
-- CTE: the bound :measure (detentions, ctos, s136 or restrictive, with :ri_type: one type, or 'any';
-- prone restraint is physical restraint in the prone position), limited to the service line ('' for
-- all), the person's borough, sex and age band at the event ('' for all) and the user's scope. Columns:
-- those of the summary (person_id, team_id, month_start, financial_year, in_period, ethnic_category,
-- broad_group, known, esp2013_band, events …). Periods are whole months (the page's financial years and
-- 12-month windows). {{pcref_events}} in a query's WITH clause expands to this (queries/runner.py).
pcref_events AS (
    SELECT s.*
    FROM summary_pcref_events AS s
    WHERE ((:measure = 'restrictive' AND s.kind = 'restrictive'
            AND (:ri_type = 'any' OR s.ri_type = :ri_type OR (:ri_type = 'prone' AND s.ri_type = 'physical' AND s.prone)))
           OR (:measure <> 'restrictive' AND s.kind = :measure))
      AND (:service_line = '' OR s.service_line = :service_line)
      AND (:scope_all = 1 OR s.team_id IN :scope_team_list)
      AND (:borough = '' OR s.lad_code = :borough)
      AND (:sex = '' OR s.sex = :sex)
      AND (:age_band = '' OR s.display_band = :age_band)
)
