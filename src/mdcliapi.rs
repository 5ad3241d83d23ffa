//! The Majordomo client API (`mdcliapi.py`): a synchronous client of
//! MDP/0.1 that sends a request to a named service and waits for the reply,
//! resending it over a fresh connection when the broker stays silent.
//!
//! ```no_run
//! use zmq_guide::mdcliapi::MajorDomoClient;
//!
//! let mut client = MajorDomoClient::new("tcp://localhost:5555", false)?;
//! match client.send(b"echo", &[b"Hello world"])? {
//!     Some(reply) => println!("{:?}", reply),
//!     None => println!("no reply: broker or service unavailable"),
//! }
//! # Ok::<(), zmq_guide::mdp::Error>(())
//! ```
//!
//! The request waits [`MajorDomoClient::set_timeout`] (2.5 s) for a reply,
//! then the REQ socket, stuck waiting, is closed and a new one sends the
//! request again, until [`MajorDomoClient::set_retries`] (3) attempts have
//! gone unanswered. Timeouts follow `ZGUIDE_TIME_SCALE` (see
//! [`crate::settings::scaled_ms`]).
//!
//! The asynchronous variant, which keeps many requests in flight on a
//! DEALER, is `examples/guide/ch4/mdcliapi2.rs`.

use std::time::Duration;

use zmq::{Context, ErrorKind, PollEvents, Socket, SocketType, sockopt};

use crate::logging;
use crate::mdp::{self, expect};
use crate::pyfmt;
use crate::settings::scaled_ms;
use crate::zhelpers::dump_frames;

/// A Majordomo client session with one broker; see the [module
/// documentation](self).
#[derive(Debug)]
pub struct MajorDomoClient {
    broker: String,
    ctx: Context,
    client: Socket,
    timeout: Duration,
    retries: u32,
    verbose: bool,
}

impl MajorDomoClient {
    /// A session with the broker at `broker` (an endpoint to connect to);
    /// `verbose` logs and dumps every message to and from the broker.
    pub fn new(broker: &str, verbose: bool) -> zmq::Result<Self> {
        let ctx = Context::new()?;
        let client = connect_to_broker(&ctx, broker, verbose)?;
        Ok(MajorDomoClient {
            broker: broker.to_owned(),
            ctx,
            client,
            timeout: scaled_ms(2500),
            retries: 3,
            verbose,
        })
    }

    /// How long each attempt waits for the reply (2.5 s by default).
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// How many attempts a request gets (3 by default, at least 1).
    pub fn set_retries(&mut self, retries: u32) {
        self.retries = retries;
    }

    /// Replaces the connection: a REQ socket that sent a request and got no
    /// reply can send nothing else.
    fn reconnect_to_broker(&mut self) -> zmq::Result<()> {
        self.client = connect_to_broker(&self.ctx, &self.broker, self.verbose)?;
        Ok(())
    }

    /// Sends `request` (its frames) to `service` and returns the reply's
    /// body frames, or `None` when every attempt went unanswered or a
    /// signal caught with `zmq::interrupt` (Ctrl-C) has arrived.
    ///
    /// # Errors
    ///
    /// [`mdp::Error::Zmq`] if a socket call fails, [`mdp::Error::Protocol`]
    /// if the reply is not an MDP/0.1 reply from `service`.
    pub fn send<F: AsRef<[u8]>>(
        &mut self,
        service: &[u8],
        request: &[F],
    ) -> mdp::Result<Option<Vec<Vec<u8>>>> {
        let mut frames: Vec<&[u8]> = vec![mdp::C_CLIENT, service];
        frames.extend(request.iter().map(AsRef::as_ref));
        if self.verbose {
            logging::info(format_args!(
                "I: send request to '{}' service: ",
                pyfmt::bytes(service)
            ));
            dump_frames(&frames);
        }
        let mut reply = None;

        let mut retries = self.retries;
        while retries > 0 {
            // A Ctrl-C that came between two polls did not interrupt one.
            if zmq::interrupt::interrupted() {
                break;
            }
            self.client.send_multipart(frames.iter().copied())?;
            let ready = match self.client.poll(PollEvents::POLLIN, Some(self.timeout)) {
                Ok(ready) => ready,
                Err(e) if e.kind() == ErrorKind::Interrupted => break,
                Err(e) => return Err(e.into()),
            };

            if ready.contains(PollEvents::POLLIN) {
                let mut msg = self.client.recv_multipart()?;
                if self.verbose {
                    logging::info("I: received reply:");
                    dump_frames(&msg);
                }

                // The original asserts what a reply must hold.
                expect(msg.len() >= 3, || {
                    format!("a reply of {} frames, expected 3 or more", msg.len())
                })?;

                let header = msg.remove(0);
                expect(header == mdp::C_CLIENT, || {
                    format!("header {}, expected b'MDPC01'", pyfmt::bytes(&header))
                })?;

                let reply_service = msg.remove(0);
                expect(reply_service == service, || {
                    format!(
                        "a reply from service {}, expected {}",
                        pyfmt::bytes(&reply_service),
                        pyfmt::bytes(service)
                    )
                })?;

                reply = Some(msg);
                break;
            }
            // Fix: the original decrements after deciding, so it always
            // "reconnects" and never logs the permanent error; counting
            // the failed attempt first, as the C original does, gives up
            // after the last one with that message.
            retries -= 1;
            if retries > 0 {
                logging::info("W: no reply, reconnecting...");
                self.reconnect_to_broker()?;
            } else {
                logging::info("W: permanent error, abandoning");
            }
        }

        Ok(reply)
    }
}

/// A fresh REQ socket, linger 0, connected to `broker`.
fn connect_to_broker(ctx: &Context, broker: &str, verbose: bool) -> zmq::Result<Socket> {
    let client = ctx.socket(SocketType::Req)?;
    client.set(sockopt::Linger, Some(Duration::ZERO))?;
    client.connect(broker)?;
    if verbose {
        logging::info(format_args!("I: connecting to broker at {broker}..."));
    }
    Ok(client)
}
