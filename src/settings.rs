//! Knobs the tests turn: long-running examples read their counts through
//! [`setting`], whose default is the original's number.

use std::env::VarError;
use std::fmt::Display;
use std::str::FromStr;

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
}
