-- The counts of summary_quality_people over the rows of `referred` in one group: people referred, and of
-- them the people with each protected characteristic recorded. {{quality_counts}} after the grouping
-- columns of a SELECT expands to this.
COUNT(DISTINCT person_id) AS people,
COUNT(DISTINCT CASE WHEN ethnicity = 1 THEN person_id END) AS ethnicity,
COUNT(DISTINCT CASE WHEN sex = 1 THEN person_id END) AS sex,
COUNT(DISTINCT CASE WHEN age = 1 THEN person_id END) AS age,
COUNT(DISTINCT CASE WHEN religion = 1 THEN person_id END) AS religion,
COUNT(DISTINCT CASE WHEN sexual_orientation = 1 THEN person_id END) AS sexual_orientation,
COUNT(DISTINCT CASE WHEN disability = 1 THEN person_id END) AS disability
