-- The boroughs (local authority districts) the trust serves, with their neighbourhood counts.
SELECT a.code, a.name, COUNT(m.code) AS neighbourhoods
FROM area AS a
LEFT JOIN area AS m ON m.parent_code = a.code AND m.type = 'msoa'
WHERE a.type = 'lad'
GROUP BY a.code, a.name
ORDER BY a.name
