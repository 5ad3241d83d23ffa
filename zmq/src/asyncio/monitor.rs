//! A socket's monitor events as a [`Stream`].

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;

use super::AsyncSocket;
use crate::error::{ErrorKind, Result};
use crate::monitor::{Monitor, MonitorEvent, MonitorEvents, SocketEvent};
use crate::socket::Socket;

/// The events of a monitored socket, decoded as [`Monitor`] decodes them,
/// as a [`Stream`]. It ends after [`SocketEvent::MonitorStopped`] (the
/// monitored socket was closed or stopped monitoring) or when the context
/// is terminated. It may be dropped while the monitored socket lives on:
/// as a dropped [`Monitor`], it is drained in the background.
///
/// ```
/// use futures_util::StreamExt;
/// use zmq::asyncio::MonitorStream;
/// use zmq::{MonitorEvents, SocketEvent, SocketType};
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let ctx = zmq::Context::new()?;
/// let server = ctx.socket(SocketType::Rep)?;
/// let mut events = MonitorStream::new(&server, MonitorEvents::LISTENING)?;
/// server.bind("tcp://127.0.0.1:*")?;
/// let event = events.next().await.expect("an event")?;
/// assert!(matches!(event.event, SocketEvent::Listening { .. }));
/// assert_eq!(event.endpoint, server.last_endpoint()?);
/// # Ok::<(), zmq::Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct MonitorStream {
    /// Taken out by `Drop` only.
    pair: Option<AsyncSocket>,
    endpoint: String,
    stopped: bool,
}

impl MonitorStream {
    /// Monitors `events` of `socket` ([`Monitor::new`]), in the current
    /// tokio runtime.
    #[doc(alias = "zmq_socket_monitor")]
    pub fn new(socket: &Socket, events: MonitorEvents) -> Result<Self> {
        Self::from_monitor(Monitor::new(socket, events)?)
    }

    /// Reads the events of a [`Monitor`] asynchronously.
    pub fn from_monitor(monitor: Monitor) -> Result<Self> {
        let (pair, endpoint, stopped) = monitor.into_parts();
        Ok(Self {
            pair: Some(AsyncSocket::new(pair)?),
            endpoint,
            stopped,
        })
    }

    /// The monitor endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

/// Cancel safe: an event is taken off the monitor only when it is yielded.
impl Stream for MonitorStream {
    type Item = Result<MonitorEvent>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let (false, Some(pair)) = (this.stopped, this.pair.as_mut()) else {
            return Poll::Ready(None);
        };
        let frames = match ready!(pair.poll_recv_multipart(cx)) {
            Ok(frames) => frames,
            Err(e) if e.kind() == ErrorKind::Terminated => {
                this.stopped = true;
                return Poll::Ready(None);
            }
            Err(e) => return Poll::Ready(Some(Err(e))),
        };
        let event = MonitorEvent::decode(&frames);
        if matches!(
            &event,
            Ok(MonitorEvent {
                event: SocketEvent::MonitorStopped,
                ..
            })
        ) {
            this.stopped = true;
        }
        Poll::Ready(Some(event))
    }
}

impl Drop for MonitorStream {
    fn drop(&mut self) {
        if let Some(pair) = self.pair.take() {
            crate::monitor::release(pair.into_inner(), self.stopped);
        }
    }
}
