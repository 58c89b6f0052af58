"""Data access: one ``.sql`` file per query in ``queries/sql``, bound parameters, scoped to the user.

Every public query function takes an engine and a :class:`queries.scope.Scope` and returns a pandas
DataFrame of counts at the grain the page needs. Aggregation happens in SQL; nothing here imports
Streamlit.
"""
