"""Pure statistics core of the equality dashboard: no Streamlit, no database, nothing else of the project.

- :mod:`measures.stats`: rates, proportions, DSR/ISR, rate ratios, WRES relative likelihoods (docs/methods.md)
- :mod:`measures.spc`: NHS Making Data Count XmR charts (docs/methods.md)
- :mod:`measures.disclosure`: suppression, rounding and the :class:`PublishedTable` (docs/methods.md)
- :mod:`measures.ethnicity`: NHS and Census 2021 ethnicity classifications (docs/methods.md)
- :mod:`measures.catalogue`: the measure catalogue loaded from ``catalogue.yaml``
- :mod:`measures.narrative`: plain-English sentences from estimates and SPC results

See docs/measures.md for the methods and their sources.
"""

from measures.catalogue import Catalogue, CatalogueError, Measure, load_catalogue
from measures.disclosure import (
    DEFAULT_POLICY,
    DisclosurePolicy,
    PublishedTable,
    RowTotals,
    Totals,
    publish_count,
    publish_counts,
    publish_estimates,
    publish_table,
)
from measures.narrative import describe_ratio, describe_spc
from measures.spc import SpcResult, xmr, xmr_by_group
from measures.stats import (
    Estimate,
    crude_rate,
    crude_rates,
    dsr,
    dsr_by_group,
    dsr_ratio,
    isr_rate,
    isr_ratio,
    mha_standardised_rate,
    mha_standardised_rates,
    proportion,
    proportions,
    rate_ratio,
    rate_ratios,
    relative_likelihood,
    relative_likelihoods,
)

__all__ = [
    "DEFAULT_POLICY",
    "Catalogue",
    "CatalogueError",
    "DisclosurePolicy",
    "Estimate",
    "Measure",
    "PublishedTable",
    "RowTotals",
    "SpcResult",
    "Totals",
    "crude_rate",
    "crude_rates",
    "describe_ratio",
    "describe_spc",
    "dsr",
    "dsr_by_group",
    "dsr_ratio",
    "isr_rate",
    "isr_ratio",
    "load_catalogue",
    "mha_standardised_rate",
    "mha_standardised_rates",
    "proportion",
    "proportions",
    "publish_count",
    "publish_counts",
    "publish_estimates",
    "publish_table",
    "rate_ratio",
    "rate_ratios",
    "relative_likelihood",
    "relative_likelihoods",
    "xmr",
    "xmr_by_group",
]
