-- WRES 2 counted once per load: applicants shortlisted, and appointed from shortlisting, in each WRES
-- year by WRES group (White; BME = every known non-White group; unknown left out). Recruitment is
-- trust-level (no team), so only a trust-wide scope may read it.
SELECT c.financial_year,
       CASE WHEN e.broad_group = 'White' THEN 'White' ELSE 'BME' END AS wres_group,
       SUM(CASE WHEN r.shortlisted = TRUE AND r.appointed = TRUE THEN 1 ELSE 0 END) AS appointed,
       SUM(CASE WHEN r.shortlisted = TRUE THEN 1 ELSE 0 END) AS shortlisted
FROM recruitment AS r
JOIN calendar AS c ON c.date = r.date
JOIN ethnic_category AS e ON e.code = r.ethnic_category
WHERE e.known = TRUE
GROUP BY c.financial_year, CASE WHEN e.broad_group = 'White' THEN 'White' ELSE 'BME' END
