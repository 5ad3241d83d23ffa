//! Knobs the tests turn: long-running examples read their counts through
//! [`setting`], whose default is the original's number, and the examples
//! that time out, heartbeat or sleep take their durations through
//! [`scaled_ms`], which the tests shrink with `ZGUIDE_TIME_SCALE`.

use std::env::VarError;
use std::fmt::Display;
use std::str::FromStr;
use std::sync::OnceLock;
use std::time::Duration;

/// Environment variable: a factor applied to every timeout, heartbeat
/// interval and sleep an example takes through [`scaled_ms`]. Unset means
/// 1, the original's timing; the tests set e.g. `0.2` so a Paranoid Pirate
/// notices a dead queue in 0.6 s rather than 3 s, every ratio (liveness,
/// retries, back-off) unchanged. Processes that talk to each other must
/// share the factor, so it is never set against a Python original.
pub const TIME_SCALE_VAR: &str = "ZGUIDE_TIME_SCALE";

/// The value of environment variable `var` parsed as a `T`, or `default`
/// when it is unset.
///
/// `wuclient` averages `setting("ZGUIDE_UPDATES", 100)` updates: 100 by
/// hand, as in the guide, and a handful under test.
///
/// # Exits
///
/// If `var` is set but is not Unicode or does not parse as a `T`, prints an
/// error naming the variable and ends the process with status 2: a typo
/// must not quietly run the original's million messages instead.
pub fn setting<T>(var: &str, default: T) -> T
where
    T: FromStr,
    T::Err: Display,
{
    env_value(var).unwrap_or(default)
}

/// `ms` milliseconds of the original's time, multiplied by
/// [`TIME_SCALE_VAR`]: `scaled_ms(2500)` is the Lazy Pirate's 2.5 s
/// request timeout by hand and a quarter of a second at a scale of 0.1.
///
/// # Exits
///
/// As [`setting`] does, if the factor is not a positive, finite number.
pub fn scaled_ms(ms: u64) -> Duration {
    static SCALE: OnceLock<f64> = OnceLock::new();
    let scale = *SCALE.get_or_init(|| env_value::<TimeScale>(TIME_SCALE_VAR).map_or(1.0, |s| s.0));
    Duration::from_secs_f64(ms as f64 / 1000.0 * scale)
}

/// A factor for [`scaled_ms`]: a positive, finite number.
#[derive(Debug, Clone, Copy, PartialEq)]
struct TimeScale(f64);

impl FromStr for TimeScale {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let factor: f64 = text.parse().map_err(|e| format!("{e}"))?;
        if factor.is_finite() && factor > 0.0 {
            Ok(TimeScale(factor))
        } else {
            Err("the factor must be a positive, finite number".to_owned())
        }
    }
}

/// The value of `var` parsed as a `T`, `None` when it is unset; exits as
/// [`setting`] describes when it is set but unusable.
pub(crate) fn env_value<T>(var: &str) -> Option<T>
where
    T: FromStr,
    T::Err: Display,
{
    parse_value(var, std::env::var(var)).unwrap_or_else(|why| {
        eprintln!("error: {why}");
        std::process::exit(2)
    })
}

/// [`env_value`] without the exit: the error says what is wrong with `var`.
fn parse_value<T>(var: &str, raw: Result<String, VarError>) -> Result<Option<T>, String>
where
    T: FromStr,
    T::Err: Display,
{
    let value = match raw {
        Ok(value) => value,
        Err(VarError::NotPresent) => return Ok(None),
        Err(VarError::NotUnicode(value)) => {
            return Err(format!(
                "environment variable {var}={value:?} is not Unicode"
            ));
        }
    };
    value.parse().map(Some).map_err(|e| {
        format!(
            "environment variable {var}={value:?} is not a valid {}: {e}",
            std::any::type_name::<T>()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_means_none_and_a_number_parses() {
        assert_eq!(
            parse_value::<u32>("ZGUIDE_X", Err(VarError::NotPresent)),
            Ok(None)
        );
        assert_eq!(
            parse_value::<u32>("ZGUIDE_X", Ok("42".into())),
            Ok(Some(42))
        );
    }

    #[test]
    fn a_typo_is_an_error_naming_the_variable_and_value() {
        let why = parse_value::<u32>("ZGUIDE_UPDATES", Ok("1o0".into())).unwrap_err();
        assert!(why.contains("ZGUIDE_UPDATES=\"1o0\""), "{why}");
        assert!(why.contains("u32"), "{why}");
        let why = parse_value::<u16>("ZGUIDE_PORT_OFFSET", Ok("70000".into())).unwrap_err();
        assert!(why.contains("ZGUIDE_PORT_OFFSET"), "{why}");
    }

    #[test]
    fn a_time_scale_is_a_positive_finite_factor() {
        assert_eq!(
            parse_value::<TimeScale>(TIME_SCALE_VAR, Ok("0.25".into())),
            Ok(Some(TimeScale(0.25)))
        );
        for bad in ["0", "-1", "inf", "NaN", "fast"] {
            let why = parse_value::<TimeScale>(TIME_SCALE_VAR, Ok(bad.into())).unwrap_err();
            assert!(why.contains(TIME_SCALE_VAR), "{why}");
        }
    }
}
