//! The statistics the side-by-side comparison (`cargo bench --bench
//! compare`) reports: medians, and how far a median of few, noisy runs can
//! be trusted.

/// The median of values sorted in ascending order (`NaN` if there are none).
///
/// ```
/// use zmq_guide::perf::stats::median;
///
/// assert_eq!(median(&[1.0, 2.0, 9.0]), 2.0);
/// assert_eq!(median(&[1.0, 2.0, 3.0, 9.0]), 2.5);
/// ```
pub fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// A confidence interval for the median of the population that values
/// sorted in ascending order were drawn from, with no assumption about its
/// distribution: `(low, high, level)`.
///
/// `low` and `high` are the k-th smallest and the k-th largest value, for
/// the largest k that keeps the level (the chance that the true median lies
/// between them) at 95% or more: the sign-test interval. Fewer than six
/// values cannot reach 95%; then the interval is their whole range, at the
/// level that range has (93.75% for five).
///
/// ```
/// use zmq_guide::perf::stats::median_interval;
///
/// let runs: Vec<f64> = (1..=15).map(f64::from).collect();
/// let (low, high, level) = median_interval(&runs);
/// assert_eq!((low, high), (4.0, 12.0));
/// assert!(level > 0.95 && level < 0.97);
/// ```
pub fn median_interval(sorted: &[f64]) -> (f64, f64, f64) {
    let n = sorted.len();
    if n == 0 {
        return (f64::NAN, f64::NAN, 0.0);
    }
    // below[j] = P(B <= j) for B ~ Binomial(n, 1/2): the interval from the
    // k-th smallest to the k-th largest misses the median when k-1 or fewer
    // values fall on one side of it, with probability 2 * below[k - 1].
    let mut below = Vec::with_capacity(n);
    let (mut term, mut total) = (0.5f64.powi(n as i32), 0.0);
    for j in 0..n {
        total += term;
        below.push(total);
        term *= (n - j) as f64 / (j + 1) as f64;
    }
    let mut k = 1;
    while k < n.div_ceil(2) && 1.0 - 2.0 * below[k] >= 0.95 {
        k += 1;
    }
    (sorted[k - 1], sorted[n - k], 1.0 - 2.0 * below[k - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(n: u32) -> Vec<f64> {
        (1..=n).map(f64::from).collect()
    }

    #[test]
    fn the_interval_is_the_widest_95_percent_sign_test_interval() {
        // Known sign-test ranks (k) for 95%: n=6: 1, n=10: 2, n=15: 4,
        // n=20: 6, n=35: 12.
        for (n, k) in [(6, 1), (10, 2), (15, 4), (20, 6), (35, 12)] {
            let (low, high, level) = median_interval(&sorted(n));
            assert_eq!((low, high), (f64::from(k), f64::from(n - k + 1)), "n = {n}");
            assert!(level >= 0.95, "n = {n}: level {level}");
        }
    }

    #[test]
    fn too_few_values_give_the_whole_range_at_a_lower_level() {
        let (low, high, level) = median_interval(&sorted(5));
        assert_eq!((low, high), (1.0, 5.0));
        assert!((level - 0.9375).abs() < 1e-12, "{level}");
        let (low, high, level) = median_interval(&[7.0]);
        assert_eq!((low, high, level), (7.0, 7.0, 0.0));
        assert!(median_interval(&[]).0.is_nan());
    }

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&sorted(5)), 3.0);
        assert_eq!(median(&sorted(4)), 2.5);
        assert!(median(&[]).is_nan());
    }
}
