//! `PubLayer`: a `tracing_subscriber` layer publishing events on a PUB
//! socket, as pyzmq's `PUBHandler` publishes log records.

use std::cell::Cell;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context as LayerContext, Layer};

use super::{LogLevel, TOPIC_DELIM};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::flags::SendFlags;
use crate::socket::{Socket, SocketType};

/// Publishes every `tracing` event it sees on a PUB (or XPUB) socket, in
/// pyzmq's `PUBHandler` layout (see [the module](super)): a topic
/// `ROOT.LEVEL[.SUBTOPIC]` and the formatted text.
///
/// The subtopic is the event's `topic` field (`info!(topic = "db", ...)`),
/// or else, as in pyzmq, the part of the message before
/// [`TOPIC_DELIM`] (`"db::slow query"`). Fields other than `message` and
/// `topic` follow the message as ` name=value`.
///
/// # Threads
///
/// `tracing` calls a layer from whichever thread emits the event, while a
/// libzmq socket must not be used by two threads at once. The layer keeps
/// its socket behind a mutex and publishes while holding it. A PUB socket
/// never blocks on send (it drops messages for subscribers at their high
/// water mark, and the layer sends with `DONTWAIT` anyway), so a thread
/// holds the lock for one `zmq_send` pair, about as long as a channel send
/// to a publishing thread would take, with no thread to run and no queue to
/// bound, and records from one thread keep their order. An event emitted
/// while that same thread is publishing (by a layer below, say) is dropped
/// rather than deadlocking on the lock. Publishing errors are dropped too:
/// a logger has nowhere to report them.
#[derive(Debug)]
pub struct PubLayer {
    socket: Mutex<Socket>,
    root_topic: String,
}

thread_local! {
    /// Set while this thread publishes, to drop re-entrant events.
    static PUBLISHING: Cell<bool> = const { Cell::new(false) };
}

impl PubLayer {
    /// A layer publishing on `socket`, which must be a PUB or XPUB socket
    /// (else [`InvalidInput`](crate::ErrorKind::InvalidInput)), bound or
    /// connected already.
    pub fn new(socket: Socket) -> Result<Self> {
        let kind = socket.get(crate::sockopt::Type)?;
        if !matches!(kind, SocketType::Pub | SocketType::Xpub) {
            return Err(Error::invalid_input(format!(
                "PubLayer publishes on a PUB or XPUB socket, not {kind:?}"
            )));
        }
        Ok(Self {
            socket: Mutex::new(socket),
            root_topic: String::new(),
        })
    }

    /// A layer publishing on a new PUB socket of `ctx` bound to
    /// `endpoint`, as `PUBHandler("tcp://...")` does.
    pub fn bind(ctx: &Context, endpoint: &str) -> Result<Self> {
        let socket = ctx.socket(SocketType::Pub)?;
        socket.bind(endpoint)?;
        Self::new(socket)
    }

    /// Puts `root` in front of every topic: `"myapp"` gives
    /// `"myapp.INFO"`. Empty (the default): topics start with the level.
    pub fn with_root_topic(mut self, root: impl Into<String>) -> Self {
        self.root_topic = root.into();
        self
    }

    /// The root topic.
    pub fn root_topic(&self) -> &str {
        &self.root_topic
    }

    fn publish(&self, topic: &str, text: &str) {
        if PUBLISHING.with(Cell::get) {
            return;
        }
        PUBLISHING.with(|flag| flag.set(true));
        {
            let socket = self.socket.lock().unwrap_or_else(PoisonError::into_inner);
            // PUB never blocks; a failure has nowhere to go.
            let _ = socket.send_multipart_with([topic, text], SendFlags::DONTWAIT);
        }
        PUBLISHING.with(|flag| flag.set(false));
    }
}

/// The Python level name of a `tracing` level (TRACE has none: DEBUG).
pub(super) fn python_level(level: &Level) -> LogLevel {
    match *level {
        Level::ERROR => LogLevel::Error,
        Level::WARN => LogLevel::Warning,
        Level::INFO => LogLevel::Info,
        _ => LogLevel::Debug,
    }
}

/// Collects an event's fields: `message`, `topic`, and the rest as text.
#[derive(Default)]
struct Fields {
    message: String,
    topic: Option<String>,
    rest: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "message" => self.message.push_str(value),
            "topic" => self.topic = Some(value.to_owned()),
            name => {
                let _ = write!(self.rest, " {name}={value}");
            }
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "message" => {
                let _ = write!(self.message, "{value:?}");
            }
            "topic" => self.topic = Some(format!("{value:?}")),
            name => {
                let _ = write!(self.rest, " {name}={value:?}");
            }
        }
    }
}

/// The two frames pyzmq's PUBHandler would send for a record: the topic
/// and the text of its default formatter for the level.
pub(super) fn format_record(
    root_topic: &str,
    level: LogLevel,
    file: Option<&str>,
    line: Option<u32>,
    subtopic: Option<&str>,
    message: &str,
) -> (String, String) {
    // pyzmq takes a subtopic from "topic::message" when none is given.
    let (subtopic, message) = match subtopic {
        Some(subtopic) => (subtopic, message),
        None => message.split_once(TOPIC_DELIM).unwrap_or(("", message)),
    };
    let mut topic = String::new();
    for part in [root_topic, level.as_str(), subtopic] {
        if !part.is_empty() {
            if !topic.is_empty() {
                topic.push('.');
            }
            topic.push_str(part);
        }
    }
    // Python's %(filename)s is the file's name without its directory.
    let file = file
        .map(|path| path.rsplit(['/', '\\']).next().unwrap_or(path))
        .unwrap_or("<unknown>");
    let line = line.unwrap_or(0);
    let text = match level {
        LogLevel::Info => format!("{message}\n"),
        LogLevel::Error => format!("{level} {file}:{line} - {message} - None\n"),
        _ => format!("{level} {file}:{line} - {message}\n"),
    };
    (topic, text)
}

impl<S: Subscriber> Layer<S> for PubLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: LayerContext<'_, S>) {
        let metadata = event.metadata();
        let mut fields = Fields::default();
        event.record(&mut fields);
        fields.message.push_str(&fields.rest);
        let (topic, text) = format_record(
            &self.root_topic,
            python_level(metadata.level()),
            metadata.file(),
            metadata.line(),
            fields.topic.as_deref(),
            &fields.message,
        );
        self.publish(&topic, &text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expected frames are what pyzmq 27.3.0's PUBHandler (root topic
    /// "myapp") sent for the same calls, seen on a SUB socket: e.g.
    /// `logger.error("db.pool::connection lost")` gave
    /// `[b"myapp.ERROR.db.pool", b"ERROR check.py:21 - connection lost - None\n"]`.
    #[test]
    fn topics_and_texts_follow_pyzmq_pubhandler() {
        let cases = [
            (("", LogLevel::Info, None, "hello"), ("INFO", "hello\n")),
            (
                ("myapp", LogLevel::Warning, None, "disk low"),
                ("myapp.WARNING", "WARNING main.rs:42 - disk low\n"),
            ),
            (
                ("myapp", LogLevel::Debug, Some("db.pool"), "opened"),
                ("myapp.DEBUG.db.pool", "DEBUG main.rs:42 - opened\n"),
            ),
            (
                ("", LogLevel::Error, None, "net::peer gone"),
                ("ERROR.net", "ERROR main.rs:42 - peer gone - None\n"),
            ),
            (
                ("app", LogLevel::Critical, None, "down"),
                ("app.CRITICAL", "CRITICAL main.rs:42 - down\n"),
            ),
        ];
        for ((root, level, subtopic, message), (topic, text)) in cases {
            let formatted = format_record(
                root,
                level,
                Some("src/bin/main.rs"),
                Some(42),
                subtopic,
                message,
            );
            assert_eq!(formatted, (topic.to_owned(), text.to_owned()));
        }
    }

    #[test]
    fn trace_is_published_as_debug() {
        assert_eq!(python_level(&Level::TRACE), LogLevel::Debug);
        assert_eq!(python_level(&Level::WARN), LogLevel::Warning);
    }
}
