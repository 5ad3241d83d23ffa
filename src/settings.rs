//! Knobs the tests turn: long-running examples read their counts through
//! [`setting`], whose default is the original's number.

use std::str::FromStr;

/// The value of environment variable `var` parsed as a `T`, or `default`
/// when it is unset or does not parse.
///
/// `wuclient` averages `setting("ZGUIDE_UPDATES", 100)` updates: 100 by
/// hand, as in the guide, and a handful under test.
pub fn setting<T: FromStr>(var: &str, default: T) -> T {
    std::env::var(var)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}
