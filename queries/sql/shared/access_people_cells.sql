-- The cells of the access summaries as one derived table `s`: summary_access_people when no characteristic
-- outside the population table is asked for (:other = ''), else summary_access_people_other for that one
-- (religion, sexual_orientation, disability or first_language), whose cells have no sex, age band or
-- deprivation. Columns: financial_year, service_line, team_id, lad_code, ethnic_category, sex, age_band,
-- imd_quintile, characteristic, value and the people counts. {{access_people_cells}} expands to this.
(
    SELECT financial_year, service_line, team_id, lad_code, ethnic_category, sex, age_band, imd_quintile,
           CAST(NULL AS VARCHAR(40)) AS characteristic, CAST(NULL AS VARCHAR(40)) AS value,
           people_referred, people_accepted, people_seen, referrals, source_gp, source_self, source_police,
           source_ae, source_other, accepted_referrals, attended, dna, seen_referrals,
           discharged_before_treatment
    FROM summary_access_people
    WHERE :other = ''
    UNION ALL
    SELECT financial_year, service_line, team_id, lad_code, ethnic_category, CAST(NULL AS VARCHAR(1)),
           CAST(NULL AS VARCHAR(8)), CAST(NULL AS VARCHAR(20)), characteristic, value,
           people_referred, people_accepted, people_seen, referrals, source_gp, source_self, source_police,
           source_ae, source_other, accepted_referrals, attended, dna, seen_referrals,
           discharged_before_treatment
    FROM summary_access_people_other
    WHERE characteristic = :other
) AS s
JOIN ethnic_category AS e ON e.code = s.ethnic_category
LEFT JOIN area AS b ON b.code = s.lad_code
