-- The referrals of the access queries, as one CTE: each referral with its team, the calendar of its
-- received date (financial_year, month_start, in_period), the sort order of its age band and its wait
-- in days to first contact (NULL without one), limited to the service line ('' for all) and the user's
-- scope. Each query adds its own period. {{referrals}} in a query's WITH clause expands to this.
referrals AS (
    SELECT r.person_id, r.team_id, r.source, r.accepted, r.first_contact_date, r.discharge_reason,
           r.attended_count, r.dna_count, rc.financial_year, rc.month_start, rc.in_period,
           ab.sort_order AS age_order, fc.day_number - rc.day_number AS wait_days
    FROM referral AS r
    JOIN calendar AS rc ON rc.date = r.received_date
    JOIN team AS t ON t.id = r.team_id
    JOIN age_band AS ab ON ab.band = r.age_band
    LEFT JOIN calendar AS fc ON fc.date = r.first_contact_date
    WHERE (:service_line = '' OR t.service_line = :service_line)
      AND (:scope_all = 1 OR r.team_id IN :scope_team_list)
)
