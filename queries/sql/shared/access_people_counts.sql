-- The counts of people and referrals of the access summaries, summed over `person_year` rows aliased u.
-- {{access_people_counts}} in a SELECT list expands to these columns.
COUNT(*) AS people_referred,
SUM(u.accepted) AS people_accepted,
SUM(u.seen) AS people_seen,
SUM(u.referrals) AS referrals,
SUM(u.source_gp) AS source_gp,
SUM(u.source_self) AS source_self,
SUM(u.source_police) AS source_police,
SUM(u.source_ae) AS source_ae,
SUM(u.source_other) AS source_other,
SUM(u.accepted_referrals) AS accepted_referrals,
SUM(u.attended) AS attended,
SUM(u.dna) AS dna,
SUM(u.seen_referrals) AS seen_referrals,
SUM(u.discharged_before_treatment) AS discharged_before_treatment
