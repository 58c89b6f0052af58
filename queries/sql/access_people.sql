-- Service access by community: people referred, accepted and seen, their referrals by route, acceptance,
-- appointments and drop-out, in one financial year, grouped by up to five characteristics: ethnic_category
-- (NHS code), broad_group, sex, age_band (display band of the person's first referral), imd_quintile,
-- borough (where the person lives), and at most one of religion, sexual_orientation, disability,
-- first_language (named in :other, '' for none). Read from the summary tables built at each load
-- (summary_access_people, summary_access_people_other), never from the referrals. Counts only.
-- Filters: borough ('' for all; where the person lives), service_line ('' for all).
-- Parameters: financial_year, borough, service_line, other, dim_1 … dim_5, scope_all, scope_team_list
SELECT dim_1, dim_2, dim_3, dim_4, dim_5,
       SUM(people_referred) AS people_referred, SUM(people_accepted) AS people_accepted,
       SUM(people_seen) AS people_seen, SUM(referrals) AS referrals, SUM(source_gp) AS source_gp,
       SUM(source_self) AS source_self, SUM(source_police) AS source_police, SUM(source_ae) AS source_ae,
       SUM(source_other) AS source_other, SUM(accepted_referrals) AS accepted_referrals,
       SUM(attended) AS attended, SUM(dna) AS dna, SUM(seen_referrals) AS seen_referrals,
       SUM(discharged_before_treatment) AS discharged_before_treatment
FROM (
    SELECT s.people_referred, s.people_accepted, s.people_seen, s.referrals, s.source_gp, s.source_self,
           s.source_police, s.source_ae, s.source_other, s.accepted_referrals, s.attended, s.dna,
           s.seen_referrals, s.discharged_before_treatment,
           {{access_cell_dims}}
    FROM {{access_people_cells}}
    WHERE s.financial_year = :financial_year
      AND (:borough = '' OR s.lad_code = :borough)
      AND {{access_levels}}
) AS cell
GROUP BY dim_1, dim_2, dim_3, dim_4, dim_5
