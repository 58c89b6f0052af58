-- The scope and service line of summary rows `s` kept at three levels (shared/access_person_years.sql):
-- a reader who may see the whole trust reads the trust-level rows of the chosen service line ('' for all
-- services), in which each person is counted once; a reader limited to some teams reads those teams'
-- rows only. {{access_levels}} after WHERE … AND expands to this.
((:scope_all = 1 AND s.team_id IS NULL AND s.service_line = :service_line)
 OR (:scope_all = 0 AND s.team_id IN :scope_team_list
     AND (:service_line = '' OR s.service_line = :service_line)))
