"""Methods: every measure in the catalogue, with its definition, method, source and caveats."""

from __future__ import annotations

from components.guard import require_page

user = require_page("methods")

import streamlit as st

from components.copy import page_copy
from reports.methods import entries
from reports.settings import policy, reference_group

rules = policy()
st.title("Methods and definitions")
st.markdown(page_copy("methods", threshold=rules.threshold, threshold_minus_one=rules.threshold - 1,
                      rounding_base=rules.base, reference_group=reference_group()))  # fmt: skip

for domain, measures in entries().items():
    st.header(domain)
    for measure in measures:
        with st.expander(f"{measure.title}  ·  {measure.status}"):
            st.markdown(measure.text)
            if measure.caveats:
                st.markdown("**Things you need to know**\n\n" + "\n".join(f"- {c}" for c in measure.caveats))
