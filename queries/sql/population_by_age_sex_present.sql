-- Whether the store holds the optional population by age and sex (population_age_sex): 1 or 0.
-- Not team data: a fact about the store. Parameters: scope_all, scope_team_list
SELECT CASE WHEN EXISTS (SELECT 1 FROM population_age_sex) THEN 1 ELSE 0 END AS present
