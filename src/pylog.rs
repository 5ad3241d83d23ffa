//! The two line formats of Python's `logging` that the guide's chapter 4
//! originals configure, so a port's log reads like its original's: both go
//! to standard error, as `logging.basicConfig` sends them.
//!
//! * The Lazy Pirate pair uses `format="%(levelname)s: %(message)s"`:
//!   [`info`], [`warning`] and [`error`] print `INFO: Sending (b'1')`.
//! * The Majordomo broker and APIs use `format="%(asctime)s %(message)s"`
//!   with `datefmt="%Y-%m-%d %H:%M:%S"`: [`stamped`] prints
//!   `2024-05-01 09:30:00 I: MDP broker/0.1.1 is active at tcp://*:5555`,
//!   the level being part of the message (`I:`, `W:`, `E:`).

use std::fmt::Display;
use std::time::{SystemTime, UNIX_EPOCH};

/// `logging.info(message)` under the Lazy Pirate's format.
pub fn info(message: impl Display) {
    eprintln!("INFO: {message}");
}

/// `logging.warning(message)` under the Lazy Pirate's format.
pub fn warning(message: impl Display) {
    eprintln!("WARNING: {message}");
}

/// `logging.error(message)` under the Lazy Pirate's format.
pub fn error(message: impl Display) {
    eprintln!("ERROR: {message}");
}

/// A log line under the Majordomo format: the local time, a space, the
/// message.
pub fn stamped(message: impl Display) {
    eprintln!("{} {message}", asctime());
}

/// The local time now as `%Y-%m-%d %H:%M:%S`.
pub fn asctime() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let seconds = libc::time_t::try_from(seconds).unwrap_or(libc::time_t::MAX);
    // SAFETY: an all-zero `tm` is a valid value (every field an integer,
    // the zone name a null pointer), overwritten by localtime_r below.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are to live locals of the right types;
    // localtime_r is the thread-safe form and keeps no reference to them.
    // On failure it returns null and leaves `tm` zeroed, which formats as
    // a harmless date rather than failing a log line.
    unsafe { libc::localtime_r(&seconds, &mut tm) };
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        i64::from(tm.tm_year) + 1900,
        tm.tm_mon + 1,
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asctime_has_the_python_datefmt_shape() {
        let now = asctime();
        let bytes = now.as_bytes();
        assert_eq!(now.len(), 19, "{now}");
        for (i, byte) in bytes.iter().enumerate() {
            match i {
                4 | 7 => assert_eq!(*byte, b'-', "{now}"),
                10 => assert_eq!(*byte, b' ', "{now}"),
                13 | 16 => assert_eq!(*byte, b':', "{now}"),
                _ => assert!(byte.is_ascii_digit(), "{now}"),
            }
        }
        assert!(now.as_str() > "2020", "{now}");
    }
}
