//! `LogWatcher`: the reading side of pyzmq's log publishing.

use std::time::Duration;

use super::LogLevel;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flags::{PollEvents, RecvFlags};
use crate::socket::{Socket, SocketType};

/// One published log record, split as pyzmq's topics are laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRecord {
    /// The whole topic frame, e.g. `"myapp.ERROR.db"`.
    pub topic: String,
    /// The part before the level (`"myapp"`); empty without a root topic.
    pub root_topic: String,
    /// The level named in the topic; `None` if no part of the topic is a
    /// Python level name (a publisher with another layout).
    pub level: Option<LogLevel>,
    /// The part after the level (`"db"`); often empty.
    pub subtopic: String,
    /// The formatted text as published, newline included (invalid UTF-8
    /// replaced).
    pub text: String,
}

impl LogRecord {
    /// Splits a `[topic, text]` message; another frame count is an
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) error.
    pub fn decode<F: AsRef<[u8]>>(frames: &[F]) -> Result<Self> {
        let [topic, text] = frames else {
            return Err(Error::invalid_input(format!(
                "log record: expected 2 frames (topic, text), got {}",
                frames.len()
            )));
        };
        let topic = String::from_utf8_lossy(topic.as_ref()).into_owned();
        let text = String::from_utf8_lossy(text.as_ref()).into_owned();
        let parts: Vec<&str> = topic.split('.').collect();
        let at = parts
            .iter()
            .position(|part| LogLevel::from_name(part).is_some());
        let (root_topic, level, subtopic) = match at {
            Some(at) => (
                parts[..at].join("."),
                LogLevel::from_name(parts[at]),
                parts[at + 1..].join("."),
            ),
            None => (topic.clone(), None, String::new()),
        };
        Ok(Self {
            topic,
            root_topic,
            level,
            subtopic,
            text,
        })
    }

    /// The text without the newline the formatters end it with.
    pub fn message(&self) -> &str {
        self.text.strip_suffix('\n').unwrap_or(&self.text)
    }
}

#[cfg_attr(
    feature = "tracing",
    doc = "Reads log records from publishers such as [`PubLayer`](super::PubLayer)"
)]
#[cfg_attr(
    not(feature = "tracing"),
    doc = "Reads log records from publishers such as `PubLayer` (feature `tracing`)"
)]
/// or pyzmq's `PUBHandler`, on a SUB socket: pyzmq's log watcher
/// (`python -m zmq.log`). Subscribe to topic prefixes (`""` for all,
/// `"myapp.ERROR"`, ...) first.
#[derive(Debug)]
pub struct LogWatcher {
    socket: Socket,
}

impl LogWatcher {
    /// A watcher reading from `socket`, a SUB socket (else
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput)) connected or bound
    /// already.
    pub fn new(socket: Socket) -> Result<Self> {
        let kind = socket.get(crate::sockopt::Type)?;
        if kind != SocketType::Sub {
            return Err(Error::invalid_input(format!(
                "LogWatcher reads from a SUB socket, not {kind:?}"
            )));
        }
        Ok(Self { socket })
    }

    /// A watcher on a new SUB socket of `ctx` connected to `endpoint`.
    pub fn connect(ctx: &Context, endpoint: &str) -> Result<Self> {
        let socket = ctx.socket(SocketType::Sub)?;
        socket.connect(endpoint)?;
        Self::new(socket)
    }

    /// Receives records whose topic starts with `prefix`.
    pub fn subscribe(&self, prefix: &str) -> Result<()> {
        self.socket.subscribe(prefix)
    }

    /// The SUB socket, to poll with others.
    pub fn socket(&self) -> &Socket {
        &self.socket
    }

    /// The next record, waiting up to `timeout` (`None`: forever);
    /// `Ok(None)` if none came in time.
    pub fn next(&self, timeout: Option<Duration>) -> Result<Option<LogRecord>> {
        if self.socket.poll(PollEvents::POLLIN, timeout)?.is_empty() {
            return Ok(None);
        }
        let frames = self.socket.recv_multipart_with(RecvFlags::DONTWAIT)?;
        LogRecord::decode(&frames).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_split_around_the_level() {
        let record =
            LogRecord::decode(&["myapp.ERROR.db.pool", "ERROR a.rs:1 - x - None\n"]).unwrap();
        assert_eq!(record.root_topic, "myapp");
        assert_eq!(record.level, Some(LogLevel::Error));
        assert_eq!(record.subtopic, "db.pool");
        assert_eq!(record.message(), "ERROR a.rs:1 - x - None");

        let record = LogRecord::decode(&["INFO", "hi\n"]).unwrap();
        assert_eq!(
            (record.root_topic.as_str(), record.level),
            ("", Some(LogLevel::Info))
        );

        let record = LogRecord::decode(&["weather.report", "sunny"]).unwrap();
        assert_eq!(record.level, None);
        assert_eq!(record.root_topic, "weather.report");
    }

    #[test]
    fn other_frame_counts_are_errors() {
        let error = LogRecord::decode(&["INFO"]).unwrap_err();
        assert_eq!(error.kind(), crate::ErrorKind::InvalidInput);
        assert!(LogRecord::decode(&["a", "b", "c"]).is_err());
    }
}
