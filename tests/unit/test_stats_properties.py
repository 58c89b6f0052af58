"""Properties every interval must have, checked with hypothesis on generated inputs."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from measures.stats import (
    crude_rate,
    crude_rates,
    dsr,
    proportion,
    rate_ratio,
    relative_likelihood,
)

# No deadline and no "too slow" health check: a busy CI machine must not fail a correct property.
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
confidences = st.sampled_from([0.95, 0.998])
counts = st.one_of(st.integers(0, 30), st.integers(0, 10**6))
populations = st.integers(1, 10**8)


def ordered(est) -> bool:
    return est.lower <= est.value <= est.upper


class TestCrudeRateProperties:
    @FAST
    @given(count=counts, population=populations, confidence=confidences)
    def test_lower_le_value_le_upper(self, count, population, confidence):
        est = crude_rate(count, population, confidence=confidence)
        assert 0 <= est.lower <= est.value <= est.upper

    @FAST
    @given(count=st.integers(0, 5000), population=st.integers(1, 10**6), factor=st.integers(2, 50))
    def test_interval_narrows_as_n_grows_at_a_fixed_rate(self, count, population, factor):
        small = crude_rate(count, population)
        large = crude_rate(count * factor, population * factor)
        assert large.value == small.value or abs(large.value - small.value) < 1e-9 * small.value
        assert large.upper - large.lower < small.upper - small.lower

    @FAST
    @given(data=st.lists(st.tuples(counts, populations), min_size=1, max_size=8))
    def test_vectorised_equals_scalar(self, data):
        frame = crude_rates([c for c, _ in data], [p for _, p in data])
        for i, (c, p) in enumerate(data):
            est = crude_rate(c, p)
            assert (est.value, est.lower, est.upper) == tuple(frame.loc[i, ["value", "lower", "upper"]])


class TestProportionProperties:
    @FAST
    @given(n=st.integers(1, 10**7), fraction=st.floats(0, 1), confidence=confidences)
    def test_limits_are_ordered_and_inside_0_1(self, n, fraction, confidence):
        est = proportion(round(n * fraction), n, confidence=confidence)
        assert 0 <= est.lower <= est.value <= est.upper <= 1

    @FAST
    @given(count=st.integers(0, 1000), extra=st.integers(1, 1000), factor=st.integers(2, 50))
    def test_interval_narrows_as_n_grows_at_a_fixed_proportion(self, count, extra, factor):
        n = count + extra
        small, large = proportion(count, n), proportion(count * factor, n * factor)
        assert large.upper - large.lower < small.upper - small.lower


class TestDsrProperties:
    @FAST
    @given(
        bands=st.lists(st.tuples(st.integers(0, 200), st.integers(1, 10**6)), min_size=19, max_size=19),
        confidence=confidences,
    )
    def test_lower_le_value_le_upper_when_produced(self, bands, confidence):
        est = dsr([c for c, _ in bands], [p for _, p in bands], confidence=confidence)
        if sum(c for c, _ in bands) < 10:
            assert est.value is None
        else:
            assert ordered(est)

    @FAST
    @given(
        bands=st.lists(st.tuples(st.integers(0, 50), st.integers(100, 10**5)), min_size=19, max_size=19),
        factor=st.integers(2, 20),
    )
    def test_interval_narrows_as_n_grows_at_fixed_rates(self, bands, factor):
        assume(sum(c for c, _ in bands) >= 10)
        small = dsr([c for c, _ in bands], [p for _, p in bands])
        large = dsr([c * factor for c, _ in bands], [p * factor for _, p in bands])
        assert large.upper - large.lower < small.upper - small.lower


class TestRatioProperties:
    @FAST
    @given(
        a=st.integers(1, 10**5),
        b=st.integers(1, 10**5),
        na=populations,
        nb=populations,
        confidence=confidences,
    )
    def test_rate_ratio_limits_are_ordered(self, a, b, na, nb, confidence):
        assert ordered(rate_ratio(a, na, b, nb, confidence=confidence))

    @FAST
    @given(
        a=st.integers(1, 10**4),
        extra_a=st.integers(0, 10**4),
        b=st.integers(1, 10**4),
        extra_b=st.integers(0, 10**4),
    )
    def test_relative_likelihood_limits_are_ordered(self, a, extra_a, b, extra_b):
        assert ordered(relative_likelihood(a, a + extra_a, b, b + extra_b))

    @FAST
    @given(a=st.integers(1, 500), b=st.integers(1, 500), factor=st.integers(2, 50))
    def test_rate_ratio_interval_narrows_as_counts_grow(self, a, b, factor):
        small = rate_ratio(a, 10**6, b, 10**6)
        large = rate_ratio(a * factor, 10**6 * factor, b * factor, 10**6 * factor)
        assert large.upper - large.lower < small.upper - small.lower
