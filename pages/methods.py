"""Methods: every measure in the catalogue, with its definition, method, source and caveats."""

from __future__ import annotations

from components.guard import require_page

user = require_page("methods")

import streamlit as st

from components.copy import page_copy
from components.store import TRUST
from measures.catalogue import load_catalogue

catalogue = load_catalogue()
DOMAIN_TITLES = {
    "pcref": "PCREF (race equality in care)",
    "access": "Service access",
    "workforce": "Workforce",
}

st.title("Methods and definitions")
st.markdown(page_copy("methods", threshold=TRUST.suppression_threshold, threshold_minus_one=TRUST.suppression_threshold - 1,
                      rounding_base=TRUST.rounding_base))  # fmt: skip

for domain, title in DOMAIN_TITLES.items():
    measures = catalogue.by_domain(domain)
    if not measures:
        continue
    st.header(title)
    for measure in measures:
        with st.expander(f"{measure.title}  ·  {measure.status_label}"):
            st.markdown(
                f"{measure.definition}\n\n"
                f"- **Numerator:** {measure.numerator}\n"
                f"- **Denominator:** {measure.denominator}\n"
                f"- **Unit:** {measure.unit}; **method:** {measure.method.replace('_', ' ')}; "
                f"**higher is:** {dict(higher_is_better='better', lower_is_better='worse').get(measure.polarity, 'neither better nor worse')}\n"
                f"- **Compared with:** {measure.reference_group}\n"
                f"- **Source:** {measure.source}"
            )
            if measure.caveats:
                st.markdown("**Things you need to know**\n\n" + "\n".join(f"- {c}" for c in measure.caveats))
