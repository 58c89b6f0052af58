-- The person behind each row of a CTE aliased `ref` (columns person_id and age_order), with the aliases
-- {{person_dims}} needs: p (person), e (ethnic_category), ab (age_band); limited to people living in the
-- borough ('' for all). {{people_of_ref}} after "FROM <cte> AS ref" expands to this.
JOIN person AS p ON p.id = ref.person_id
JOIN ethnic_category AS e ON e.code = p.ethnic_category
JOIN age_band AS ab ON ab.sort_order = ref.age_order
WHERE (:borough = '' OR p.lad_code = :borough)
