//! The log lines of the guide's Python examples that call
//! `logging.basicConfig(format="%(asctime)s %(message)s",
//! datefmt="%Y-%m-%d %H:%M:%S", level=logging.INFO)`: the local date and
//! time, a space, the message, on standard error.
//!
//! ```
//! zmq_guide::logging::info(format_args!("I: publishing update={}", 7));
//! // stderr: "2025-05-19 10:32:07 I: publishing update=7"
//! ```
//!
//! The Lazy Pirate pair configures `format="%(levelname)s: %(message)s"`
//! instead: see [`leveled`].

use std::fmt::Display;
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

/// Writes `message` to standard error after the local time, as the
/// originals' `logging.info` (and `logging.error`, `logging.warn`: the
/// format shows no level) do.
pub fn info(message: impl Display) {
    let line = format!("{} {message}\n", timestamp(SystemTime::now()));
    // Like Python's logging, a closed stderr is not worth a crash.
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// `when` as `YYYY-MM-DD HH:MM:SS` in the local time zone (UTC if the C
/// library cannot tell).
pub fn timestamp(when: SystemTime) -> String {
    let seconds = when
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let seconds = libc::time_t::try_from(seconds).unwrap_or(libc::time_t::MAX);
    // SAFETY: an all-zero `tm` is a valid value (integers and, on glibc, a
    // null zone-name pointer), filled in by localtime_r below.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers refer to live, properly aligned values of the
    // types localtime_r expects; it is the reentrant variant, so no static
    // buffer is shared with other threads.
    let converted = unsafe { libc::localtime_r(&seconds, &mut tm) };
    if converted.is_null() {
        return "1970-01-01 00:00:00".to_owned();
    }
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        tm.tm_year + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    )
}

/// The lines of `logging.basicConfig(format="%(levelname)s: %(message)s")`
/// (chapter 4's lpclient and lpserver): the level's name, a colon, the
/// message, on standard error.
///
/// ```
/// zmq_guide::logging::leveled::warning("No response from server");
/// // stderr: "WARNING: No response from server"
/// ```
pub mod leveled {
    use std::fmt::Display;
    use std::io::Write;

    /// `logging.info(message)`: `INFO: message`.
    pub fn info(message: impl Display) {
        line("INFO", message);
    }

    /// `logging.warning(message)`: `WARNING: message`.
    pub fn warning(message: impl Display) {
        line("WARNING", message);
    }

    /// `logging.error(message)`: `ERROR: message`.
    pub fn error(message: impl Display) {
        line("ERROR", message);
    }

    fn line(level: &str, message: impl Display) {
        let line = format!("{level}: {message}\n");
        // Like Python's logging, a closed stderr is not worth a crash.
        let _ = std::io::stderr().write_all(line.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_the_python_datefmt_shape() {
        let stamp = timestamp(SystemTime::now());
        assert_eq!(stamp.len(), 19, "{stamp}");
        let bytes = stamp.as_bytes();
        for (i, byte) in bytes.iter().enumerate() {
            match i {
                4 | 7 => assert_eq!(*byte, b'-', "{stamp}"),
                10 => assert_eq!(*byte, b' ', "{stamp}"),
                13 | 16 => assert_eq!(*byte, b':', "{stamp}"),
                _ => assert!(byte.is_ascii_digit(), "{stamp}"),
            }
        }
    }
}
