-- Service access by community: people referred, accepted and seen, their referral routes, waits,
-- appointments and drop-out, in one financial year, grouped by up to five person characteristics.
-- Counts only; rates, shares, CIs, ratios and suppression happen in measures/.
--
-- A person's characteristics come from `person`, except age: each person is placed in the display age
-- band of their FIRST referral in the period (the youngest band), so that people are counted once
-- and the counts of people add up across age bands (a birthday between two referrals would
-- otherwise count one person twice).
--
-- Grouping: dim_1 … dim_5 each name a characteristic: ethnic_category (NHS code), broad_group,
-- sex, age_band (display band), religion, sexual_orientation, disability, first_language,
-- imd_quintile, or none (a single group 'All'). The name is matched by CASE, so it is a bound value,
-- never SQL text.
--
-- Columns per group: people_referred (distinct people with a referral received in the period),
-- people_accepted (with an accepted referral), people_seen (with a first contact), referrals and
-- referrals by source (GP, self, police or criminal justice, A&E, other), accepted referrals,
-- seen_within_standard (accepted and first contact within standard_days of referral),
-- attended and dna (appointments), seen_referrals (referrals with a first contact) and
-- discharged_before_treatment (of those).
--
-- Filters: borough ('' for all; where the person lives), service_line ('' for all).
-- Parameters: financial_year, standard_days, borough, service_line, dim_1 … dim_5, scope_all,
-- scope_team_list
WITH {{referrals}},
ref AS (
    SELECT person_id, source, accepted, first_contact_date, discharge_reason, attended_count, dna_count,
           age_order, wait_days
    FROM referrals
    WHERE financial_year = :financial_year
),
per_person AS (
    SELECT person_id,
           MIN(age_order) AS age_order,
           MAX(CASE WHEN accepted THEN 1 ELSE 0 END) AS accepted,
           MAX(CASE WHEN first_contact_date IS NOT NULL THEN 1 ELSE 0 END) AS seen,
           COUNT(*) AS referrals,
           SUM(CASE WHEN source = 'GP' THEN 1 ELSE 0 END) AS source_gp,
           SUM(CASE WHEN source = 'Self' THEN 1 ELSE 0 END) AS source_self,
           SUM(CASE WHEN source = 'Police or criminal justice' THEN 1 ELSE 0 END) AS source_police,
           SUM(CASE WHEN source = 'A&E' THEN 1 ELSE 0 END) AS source_ae,
           SUM(CASE WHEN source IN ('GP', 'Self', 'Police or criminal justice', 'A&E') THEN 0 ELSE 1 END)
               AS source_other,
           SUM(CASE WHEN accepted THEN 1 ELSE 0 END) AS accepted_referrals,
           SUM(CASE WHEN accepted AND wait_days IS NOT NULL AND wait_days <= :standard_days THEN 1 ELSE 0 END)
               AS seen_within_standard,
           SUM(attended_count) AS attended,
           SUM(dna_count) AS dna,
           SUM(CASE WHEN first_contact_date IS NOT NULL THEN 1 ELSE 0 END) AS seen_referrals,
           SUM(CASE WHEN first_contact_date IS NOT NULL AND discharge_reason = 'Discharged before treatment'
                    THEN 1 ELSE 0 END) AS discharged_before_treatment
    FROM ref
    GROUP BY person_id
),
who AS (
    SELECT ref.*,
           {{person_dims}}
    FROM per_person AS ref
    {{people_of_ref}}
)
SELECT dim_1, dim_2, dim_3, dim_4, dim_5,
       COUNT(*) AS people_referred,
       SUM(accepted) AS people_accepted,
       SUM(seen) AS people_seen,
       SUM(referrals) AS referrals,
       SUM(source_gp) AS source_gp,
       SUM(source_self) AS source_self,
       SUM(source_police) AS source_police,
       SUM(source_ae) AS source_ae,
       SUM(source_other) AS source_other,
       SUM(accepted_referrals) AS accepted_referrals,
       SUM(seen_within_standard) AS seen_within_standard,
       SUM(attended) AS attended,
       SUM(dna) AS dna,
       SUM(seen_referrals) AS seen_referrals,
       SUM(discharged_before_treatment) AS discharged_before_treatment
FROM who
GROUP BY dim_1, dim_2, dim_3, dim_4, dim_5
