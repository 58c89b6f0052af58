-- The staff of the workforce queries, as one condition on `staff AS s`: employees only (non-executive
-- directors are board members, not employees; executive directors are VSM staff and stay in), of the
-- chosen staff group ('all', 'clinical', 'non_clinical'), working in the borough ('' for all), within
-- the user's scope. {{workforce_staff}} after WHERE … AND expands to this.
NOT (s.board_member = TRUE AND s.executive = FALSE)
AND (:staff_filter = 'all'
     OR (:staff_filter = 'clinical' AND s.clinical = TRUE)
     OR (:staff_filter = 'non_clinical' AND s.clinical = FALSE))
AND (:borough = '' OR s.work_lad_code = :borough)
AND (:scope_all = 1 OR s.team_id IN :scope_team_list)
