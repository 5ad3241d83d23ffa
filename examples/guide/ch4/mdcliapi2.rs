//! The asynchronous Majordomo client API (`mdcliapi2.py`), used by
//! `mdclient2`: requests go out on a DEALER as fast as the caller sends
//! them, and replies are collected in any order later, so many requests
//! are in flight at once. There are no retries: a reply that does not come
//! within the timeout is reported lost.
//!
//! ```ignore
//! let mut client = MajorDomoClient::new("tcp://localhost:5555", false)?;
//! for _ in 0..10 {
//!     client.send(b"echo", &[b"Hello world"])?;
//! }
//! for _ in 0..10 {
//!     let Some(reply) = client.recv()? else { break };
//! }
//! ```
//!
//! The wire format is MDP/0.1's client side (`zmq_guide::mdp`) with the
//! empty frame a REQ socket would have added; the timeout (2.5 s) follows
//! `ZGUIDE_TIME_SCALE`.

use std::time::Duration;

use zmq::{Context, ErrorKind, PollEvents, Socket, SocketType, sockopt};
use zmq_guide::logging;
use zmq_guide::mdp::{self, Error};
use zmq_guide::pyfmt;
use zmq_guide::settings::scaled_ms;
use zmq_guide::zhelpers::dump_frames;

/// An asynchronous Majordomo client session with one broker.
#[derive(Debug)]
pub(crate) struct MajorDomoClient {
    client: Socket,
    timeout: Duration,
    verbose: bool,
    /// Kept for the socket's lifetime.
    _ctx: Context,
}

impl MajorDomoClient {
    /// A session with the broker at `broker` (an endpoint to connect to);
    /// `verbose` logs and dumps every message.
    pub(crate) fn new(broker: &str, verbose: bool) -> zmq::Result<Self> {
        let ctx = Context::new()?;
        let client = ctx.socket(SocketType::Dealer)?;
        client.set(sockopt::Linger, Some(Duration::ZERO))?;
        client.connect(broker)?;
        if verbose {
            logging::info(format_args!("I: connecting to broker at {broker}..."));
        }
        Ok(MajorDomoClient {
            client,
            timeout: scaled_ms(2500),
            verbose,
            _ctx: ctx,
        })
    }

    /// Sends `request` (its frames) to `service` without waiting.
    pub(crate) fn send<F: AsRef<[u8]>>(
        &mut self,
        service: &[u8],
        request: &[F],
    ) -> zmq::Result<()> {
        // The frames: empty (as REQ would add), the MDP/Client header, the
        // service name, then the request.
        let mut frames: Vec<&[u8]> = vec![b"", mdp::C_CLIENT, service];
        frames.extend(request.iter().map(AsRef::as_ref));
        if self.verbose {
            logging::info(format_args!(
                "I: send request to '{}' service: ",
                pyfmt::bytes(service)
            ));
            dump_frames(&frames);
        }
        self.client.send_multipart(frames.iter().copied())
    }

    /// The next reply's body frames, or `None` when none came within the
    /// timeout or a signal caught with `zmq::interrupt` (Ctrl-C) has
    /// arrived.
    ///
    /// # Errors
    ///
    /// [`Error::Zmq`] if a socket call fails, [`Error::Protocol`] if the
    /// reply is not an MDP/0.1 reply.
    pub(crate) fn recv(&mut self) -> mdp::Result<Option<Vec<Vec<u8>>>> {
        // A Ctrl-C that came between two polls did not interrupt one.
        if zmq::interrupt::interrupted() {
            return Ok(None);
        }
        let ready = match self.client.poll(PollEvents::POLLIN, Some(self.timeout)) {
            Ok(ready) => ready,
            Err(e) if e.kind() == ErrorKind::Interrupted => return Ok(None),
            Err(e) => return Err(e.into()),
        };

        if ready.contains(PollEvents::POLLIN) {
            let mut msg = self.client.recv_multipart()?;
            if self.verbose {
                logging::info("I: received reply:");
                dump_frames(&msg);
            }

            // The original asserts what a reply must hold.
            if msg.len() < 4 {
                return Err(Error::Protocol(format!(
                    "a reply of {} frames, expected 4 or more",
                    msg.len()
                )));
            }

            let _empty = msg.remove(0);
            let header = msg.remove(0);
            if header != mdp::C_CLIENT {
                return Err(Error::Protocol(format!(
                    "header {}, expected b'MDPC01'",
                    pyfmt::bytes(&header)
                )));
            }

            let _service = msg.remove(0);
            Ok(Some(msg))
        } else {
            logging::info("W: permanent error, abandoning request");
            Ok(None)
        }
    }
}
