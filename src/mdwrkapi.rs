//! The Majordomo worker API (`mdwrkapi.py`): serves one named service for
//! a broker speaking MDP/0.1, with heartbeats both ways and a reconnect
//! when the broker falls silent.
//!
//! A worker is a loop of [`MajorDomoWorker::recv`], which sends the reply
//! to the previous request (none the first time) and returns the next:
//!
//! ```no_run
//! use zmq_guide::mdwrkapi::MajorDomoWorker;
//!
//! let mut worker = MajorDomoWorker::new("tcp://localhost:5555", b"echo", false)?;
//! let mut reply = None;
//! while let Some(request) = worker.recv(reply.take())? {
//!     reply = Some(request); // an echo service
//! }
//! # Ok::<(), zmq_guide::mdp::Error>(())
//! ```
//!
//! Between requests the worker sends a heartbeat every 2.5 s; when three
//! polls of 2.5 s pass without a word from the broker, it waits 2.5 s and
//! connects again with a new socket, announcing itself with READY as at
//! the start. A DISCONNECT from the broker does the same at once. These
//! intervals follow `ZGUIDE_TIME_SCALE` (see
//! [`crate::settings::scaled_ms`]).

use std::thread;
use std::time::{Duration, Instant};

use zmq::{Context, ErrorKind, PollEvents, Socket, SocketType, sockopt};

use crate::logging;
use crate::mdp::{self, expect};
use crate::pyfmt;
use crate::settings::scaled_ms;
use crate::zhelpers::dump_frames;

/// Missed heartbeats before the broker counts as gone (3..5 is sensible).
const HEARTBEAT_LIVENESS: u32 = 3;

/// A Majordomo worker for one service; see the [module
/// documentation](self).
#[derive(Debug)]
pub struct MajorDomoWorker {
    broker: String,
    ctx: Context,
    service: Vec<u8>,
    worker: Socket,
    /// When the next heartbeat is due.
    heartbeat_at: Instant,
    /// Polls that may still pass in silence before reconnecting.
    liveness: u32,
    /// Heartbeat interval.
    heartbeat: Duration,
    /// Pause before reconnecting.
    reconnect: Duration,
    /// False only before the first request.
    expect_reply: bool,
    /// How long one poll waits.
    timeout: Duration,
    verbose: bool,
    /// The address of the client whose request is being served.
    reply_to: Option<Vec<u8>>,
}

impl MajorDomoWorker {
    /// A worker for `service`, connected to the broker at `broker` and
    /// registered with it; `verbose` logs and dumps every message.
    pub fn new(broker: &str, service: &[u8], verbose: bool) -> zmq::Result<Self> {
        let ctx = Context::new()?;
        let worker = ctx.socket(SocketType::Dealer)?;
        let mut this = MajorDomoWorker {
            broker: broker.to_owned(),
            ctx,
            service: service.to_vec(),
            worker,
            heartbeat_at: Instant::now(),
            liveness: 0,
            heartbeat: scaled_ms(2500),
            reconnect: scaled_ms(2500),
            expect_reply: false,
            timeout: scaled_ms(2500),
            verbose,
            reply_to: None,
        };
        this.reconnect_to_broker()?;
        Ok(this)
    }

    /// A fresh DEALER, connected and announced to the broker.
    fn reconnect_to_broker(&mut self) -> zmq::Result<()> {
        // The new socket replaces (and closes) the old one.
        self.worker = self.ctx.socket(SocketType::Dealer)?;
        self.worker.set(sockopt::Linger, Some(Duration::ZERO))?;
        self.worker.connect(&self.broker)?;
        if self.verbose {
            logging::info(format_args!(
                "I: connecting to broker at {}...",
                self.broker
            ));
        }

        // Tell the broker which service we serve.
        let service = self.service.clone();
        self.send_to_broker(mdp::W_READY, Some(&service), &[])?;

        // Silence from the broker is counted from here.
        self.liveness = HEARTBEAT_LIVENESS;
        self.heartbeat_at = Instant::now() + self.heartbeat;
        Ok(())
    }

    /// Sends `command`, then `option` if any, then `msg`'s frames, behind
    /// the empty delimiter and the MDP/Worker header.
    fn send_to_broker(
        &self,
        command: &[u8],
        option: Option<&[u8]>,
        msg: &[Vec<u8>],
    ) -> zmq::Result<()> {
        let mut frames: Vec<&[u8]> = vec![b"", mdp::W_WORKER, command];
        frames.extend(option.filter(|option| !option.is_empty()));
        frames.extend(msg.iter().map(Vec::as_slice));
        if self.verbose {
            logging::info(format_args!(
                "I: sending {} to broker",
                pyfmt::bytes(command)
            ));
            dump_frames(&frames);
        }
        self.worker.send_multipart(frames.iter().copied())
    }

    /// Sends `reply` to the request [`recv`](Self::recv) returned last,
    /// then waits for the next request and returns its body frames.
    /// Returns `None` once a signal caught with `zmq::interrupt` (Ctrl-C)
    /// has arrived.
    ///
    /// # Errors
    ///
    /// [`mdp::Error::Protocol`] if `reply` is `None` although a request is
    /// waiting for it, or the broker sends something that is not MDP/0.1;
    /// [`mdp::Error::Zmq`] if a socket call fails.
    pub fn recv(&mut self, reply: Option<Vec<Vec<u8>>>) -> mdp::Result<Option<Vec<Vec<u8>>>> {
        expect(reply.is_some() || !self.expect_reply, || {
            "a request was received, so recv needs its reply".to_owned()
        })?;

        if let Some(reply) = reply {
            let reply_to = self.reply_to.take().ok_or_else(|| {
                mdp::Error::Protocol("a reply, but no request to answer".to_owned())
            })?;
            let mut frames = vec![reply_to, Vec::new()];
            frames.extend(reply);
            self.send_to_broker(mdp::W_REPLY, None, &frames)?;
        }

        self.expect_reply = true;

        loop {
            // A Ctrl-C that came between two polls did not interrupt one.
            if zmq::interrupt::interrupted() {
                break;
            }
            let ready = match self.worker.poll(PollEvents::POLLIN, Some(self.timeout)) {
                Ok(ready) => ready,
                Err(e) if e.kind() == ErrorKind::Interrupted => break,
                Err(e) => return Err(e.into()),
            };

            if ready.contains(PollEvents::POLLIN) {
                let mut msg = self.worker.recv_multipart()?;
                if self.verbose {
                    logging::info("I: received message from broker: ");
                    dump_frames(&msg);
                }

                self.liveness = HEARTBEAT_LIVENESS;
                // The original asserts what every message must hold.
                expect(msg.len() >= 3, || {
                    format!("a message of {} frames, expected 3 or more", msg.len())
                })?;

                let empty = msg.remove(0);
                expect(empty.is_empty(), || "no empty delimiter frame".to_owned())?;

                let header = msg.remove(0);
                expect(header == mdp::W_WORKER, || {
                    format!("header {}, expected b'MDPW01'", pyfmt::bytes(&header))
                })?;

                let command = msg.remove(0);
                if command == mdp::W_REQUEST {
                    // Only one address is kept: the broker's envelope is
                    // one client address and an empty frame.
                    expect(msg.len() >= 2, || {
                        "a request without its client envelope".to_owned()
                    })?;
                    self.reply_to = Some(msg.remove(0));
                    let empty = msg.remove(0);
                    expect(empty.is_empty(), || {
                        "no empty frame after the client address".to_owned()
                    })?;

                    return Ok(Some(msg));
                } else if command == mdp::W_HEARTBEAT {
                    // Hearing from the broker is all a heartbeat is for.
                } else if command == mdp::W_DISCONNECT {
                    self.reconnect_to_broker()?;
                } else {
                    logging::info("E: invalid input message: ");
                    dump_frames(&msg);
                }
            } else {
                self.liveness -= 1;
                if self.liveness == 0 {
                    if self.verbose {
                        logging::info("W: disconnected from broker - retrying...");
                    }
                    thread::sleep(self.reconnect);
                    // A Ctrl-C during the pause did not wake a poll.
                    if zmq::interrupt::interrupted() {
                        break;
                    }
                    self.reconnect_to_broker()?;
                }
            }

            // Heartbeat when it is time.
            if Instant::now() > self.heartbeat_at {
                self.send_to_broker(mdp::W_HEARTBEAT, None, &[])?;
                self.heartbeat_at = Instant::now() + self.heartbeat;
            }
        }

        logging::info("W: interrupt received, killing worker...");
        Ok(None)
    }
}
