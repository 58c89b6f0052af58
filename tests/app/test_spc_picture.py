"""The SPC chart drawn as SVG (the board's overview): a suppressed month is a gap, never a point; every
point has a tooltip with its month, value and type; the months under the axis stay inside the picture."""

from __future__ import annotations

import numpy as np
import pandas as pd

from components.charts import spc_svg
from measures.spc import xmr


def test_a_suppressed_month_is_a_gap_and_every_shown_month_a_point_with_a_tooltip():
    months = pd.date_range("2025-04-01", periods=12, freq="MS")
    values = pd.Series([2.0, 2.2, 1.9, np.nan, 2.1, 2.4, 2.0, 1.8, 2.3, 2.2, 2.1, 2.0], index=months)
    data = xmr(values, improvement="decrease").to_frame()
    svg = spc_svg(data, title="Monthly ratio", unit="Ratio to White", height=190)
    assert svg.count("<circle ") == 11 + len(set(data["point_type"].dropna()))  # 11 points and the key
    assert "Jul 2025:" not in svg  # the suppressed month: no point, no tooltip
    value_lines = [line for line in svg.split("<polyline ")[1:] if 'stroke="#a6a6a6"' in line]
    assert len(value_lines) == 2  # the values' line breaks at the gap
    assert "<title>Apr 2025: 2.00 (Common cause)</title>" in svg
    assert 'text-anchor="start">Apr 2025</text>' in svg and 'text-anchor="end">Mar 2026</text>' in svg
