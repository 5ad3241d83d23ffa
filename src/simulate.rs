//! The failures the guide's chapter 4 servers and workers stage on purpose:
//! after a few cycles, at random, a "crash" (the process ends) or "CPU
//! overload" (a reply seconds late), so their clients have something to
//! recover from.
//!
//! By hand the dice decide, as in the originals. A test that must know when
//! the trouble comes sets the cycle instead:
//!
//! * `ZGUIDE_CRASH_CYCLE=N`: crash at cycle N and at no other;
//! * `ZGUIDE_OVERLOAD_CYCLE=N`: overload at cycle N and at no other;
//! * either set to `never`: that failure never happens.
//!
//! ```
//! use zmq_guide::simulate::{Failures, Script};
//!
//! let failures = Failures::new(Script::At(5), Script::Never);
//! let mut dice = || true; // a die that always says "fail"
//! assert!(!failures.crash(4, &mut dice));
//! assert!(failures.crash(5, &mut dice));
//! assert!(!failures.overload(5, &mut dice));
//! ```

use std::str::FromStr;

use crate::settings::env_value;

/// Environment variable: the cycle at which to simulate a crash.
pub const CRASH_CYCLE_VAR: &str = "ZGUIDE_CRASH_CYCLE";
/// Environment variable: the cycle at which to simulate CPU overload.
pub const OVERLOAD_CYCLE_VAR: &str = "ZGUIDE_OVERLOAD_CYCLE";

/// When one kind of failure happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// When the original's dice say so.
    Random,
    /// At exactly this cycle.
    At(u64),
    /// Never.
    Never,
}

impl FromStr for Script {
    type Err = String;

    /// `never` or a cycle number.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text == "never" {
            return Ok(Script::Never);
        }
        text.parse()
            .map(Script::At)
            .map_err(|_| "expected a cycle number or `never`".to_owned())
    }
}

impl Script {
    fn happens(self, cycle: u64, roll: impl FnOnce() -> bool) -> bool {
        match self {
            Script::Random => roll(),
            Script::At(at) => cycle == at,
            Script::Never => false,
        }
    }
}

/// The failures one process stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    crash: Script,
    overload: Script,
}

impl Failures {
    /// Failures scripted as given.
    pub fn new(crash: Script, overload: Script) -> Self {
        Failures { crash, overload }
    }

    /// Failures as [`CRASH_CYCLE_VAR`] and [`OVERLOAD_CYCLE_VAR`] script
    /// them, [`Script::Random`] where unset.
    ///
    /// # Exits
    ///
    /// With status 2 and a message naming the variable if one is set to
    /// something else than a number or `never`.
    pub fn from_env() -> Self {
        Failures {
            crash: env_value(CRASH_CYCLE_VAR).unwrap_or(Script::Random),
            overload: env_value(OVERLOAD_CYCLE_VAR).unwrap_or(Script::Random),
        }
    }

    /// Whether to crash at `cycle`; `roll` is the original's condition
    /// (`cycles > 3 and randint(0, 3) == 0`), asked only when unscripted.
    pub fn crash(&self, cycle: u64, roll: impl FnOnce() -> bool) -> bool {
        self.crash.happens(cycle, roll)
    }

    /// Whether to simulate CPU overload at `cycle`; `roll` as for
    /// [`Failures::crash`].
    pub fn overload(&self, cycle: u64, roll: impl FnOnce() -> bool) -> bool {
        self.overload.happens(cycle, roll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_parse_from_a_number_or_never() {
        assert_eq!("7".parse(), Ok(Script::At(7)));
        assert_eq!("never".parse(), Ok(Script::Never));
        assert!("soon".parse::<Script>().is_err());
    }

    #[test]
    fn unscripted_failures_ask_the_dice_and_scripted_ones_do_not() {
        let random = Failures::new(Script::Random, Script::Random);
        assert!(random.crash(0, || true));
        assert!(!random.overload(9, || false));
        let scripted = Failures::new(Script::At(3), Script::Never);
        assert!(scripted.crash(3, || panic!("the dice were asked")));
        assert!(!scripted.crash(4, || panic!("the dice were asked")));
        assert!(!scripted.overload(3, || panic!("the dice were asked")));
    }
}
