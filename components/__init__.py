"""Streamlit building blocks: the store connection and cache, page furniture, tiles, tables, charts."""
