// The layer exists with the `tracing` feature only: link it only then, so
// the default build's documentation has no broken link.
#![cfg_attr(
    feature = "tracing",
    doc = "Logging over PUB/SUB with pyzmq's wire layout: [`PubLayer`] (feature"
)]
#![cfg_attr(
    not(feature = "tracing"),
    doc = "Logging over PUB/SUB with pyzmq's wire layout: `PubLayer` (feature"
)]
//! `tracing`) publishes `tracing` events as pyzmq's
//! `zmq.log.handlers.PUBHandler` publishes Python log records, and
//! [`LogWatcher`] reads them back, from this crate or from Python.
//!
//! Each record is a two-frame message:
//!
//! 1. the topic, `ROOT.LEVEL.SUBTOPIC` with the empty parts left out:
//!    `"INFO"`, `"myapp.WARNING"`, `"myapp.ERROR.db.pool"`. `LEVEL` is a
//!    Python level name ([`LogLevel`]); SUB sockets filter on this prefix.
//! 2. the text, formatted as PUBHandler's default formatters do:
//!    `"message\n"` for INFO, `"LEVEL file.rs:line - message\n"` for the
//!    others, with `" - None"` before the newline for ERROR (Python's empty
//!    exception slot: a `tracing` event carries no exception).
//!
//! ```
//! # #[cfg(feature = "tracing")] {
//! use std::time::Duration;
//! use tracing_subscriber::layer::SubscriberExt;
//! use zmq::log::{LogLevel, LogWatcher, PubLayer};
//!
//! let ctx = zmq::Context::new()?;
//! let layer = PubLayer::bind(&ctx, "inproc://doc-log")?.with_root_topic("myapp");
//! let watcher = LogWatcher::connect(&ctx, "inproc://doc-log")?;
//! watcher.subscribe("myapp.WARNING")?;
//!
//! let subscriber = tracing_subscriber::registry().with(layer);
//! let record = tracing::subscriber::with_default(subscriber, || loop {
//!     // PUB drops what no subscriber has asked for yet: publish until the
//!     // subscription has arrived (the slow-joiner dance).
//!     tracing::warn!(topic = "disk", "{}% full", 91);
//!     if let Some(record) = watcher.next(Some(Duration::from_millis(10)))? {
//!         break Ok::<_, zmq::Error>(record);
//!     }
//! })?;
//! assert_eq!(record.topic, "myapp.WARNING.disk");
//! assert_eq!(record.level, Some(LogLevel::Warning));
//! assert!(record.message().starts_with("WARNING "));
//! assert!(record.message().ends_with(" - 91% full"));
//! # }
//! # Ok::<(), zmq::Error>(())
//! ```

#[cfg(feature = "tracing")]
mod layer;
mod watcher;

#[cfg(feature = "tracing")]
pub use layer::PubLayer;
pub use watcher::{LogRecord, LogWatcher};

/// The separator pyzmq's PUBHandler looks for in a message to split off a
/// subtopic: `"db.pool::connection lost"` is published under
/// `...LEVEL.db.pool` as `"connection lost"`.
pub const TOPIC_DELIM: &str = "::";

/// A log level by its Python name, the second part of a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LogLevel {
    /// `DEBUG` (also `tracing`'s TRACE, which Python lacks).
    Debug,
    /// `INFO`.
    Info,
    /// `WARNING`.
    Warning,
    /// `ERROR`.
    Error,
    /// `CRITICAL`: Python's highest level; `tracing` has no counterpart, so
    /// only other publishers (pyzmq) send it.
    Critical,
}

impl LogLevel {
    /// Every level, lowest first.
    pub const ALL: [LogLevel; 5] = [
        Self::Debug,
        Self::Info,
        Self::Warning,
        Self::Error,
        Self::Critical,
    ];

    /// The Python level name: `"DEBUG"`, `"INFO"`, `"WARNING"`, `"ERROR"`,
    /// `"CRITICAL"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Debug => "DEBUG",
            Self::Info => "INFO",
            Self::Warning => "WARNING",
            Self::Error => "ERROR",
            Self::Critical => "CRITICAL",
        }
    }

    /// The level of a Python level name; `None` for other text.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.as_str() == name)
    }
}

impl std::fmt::Display for LogLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
