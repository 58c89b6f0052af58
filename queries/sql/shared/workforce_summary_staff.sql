-- The staff of the workforce queries, as one condition on a workforce summary table `AS w`
-- (summary_workforce_staff, summary_workforce_characteristics): employees only (non-executive directors
-- are board members, not employees; executive directors are VSM staff and stay in), of the chosen staff
-- group ('all', 'clinical', 'non_clinical'), working in the borough ('' for all), within the user's
-- scope. {{workforce_summary_staff}} after WHERE … AND expands to this.
w.employee = 1
AND (:staff_filter = 'all'
     OR (:staff_filter = 'clinical' AND w.clinical = 1)
     OR (:staff_filter = 'non_clinical' AND w.clinical = 0))
AND (:borough = '' OR w.work_lad_code = :borough)
AND (:scope_all = 1 OR w.team_id IN :scope_team_list)
