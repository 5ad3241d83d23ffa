//! An authenticator: a ZAP handler (rfc.zeromq.org/spec/27) running in its
//! own thread, the counterpart of pyzmq's `ThreadAuthenticator` and czmq's
//! `zauth`.
//!
//! Once started on a [`Context`], libzmq asks it about every connection
//! that a server socket of that context accepts with PLAIN or CURVE, or
//! with NULL and a ZAP domain (see [`Security`](crate::Security)). It
//! answers by these rules, which may change while it runs:
//!
//! 1. Addresses: a client whose IP address was [denied](Authenticator::deny)
//!    is refused; once any address is [allowed](Authenticator::allow), only
//!    allowed addresses get in. The lists apply to every domain.
//! 2. A [custom handler](Authenticator::set_handler) for the domain, if any,
//!    decides, or [defers](Decision::Defer) to the next rule.
//! 3. By mechanism: NULL is allowed (user id `anonymous`); PLAIN needs a
//!    user name and password from [`configure_plain`](Authenticator::configure_plain)
//!    (user id: the name); CURVE needs [`configure_curve`](Authenticator::configure_curve)
//!    to allow any key or the client's (user id: the key in Z85); GSSAPI,
//!    already authenticated by Kerberos, is allowed (user id: the principal).
//!
//! Per-domain settings are looked up under the server socket's ZAP domain;
//! each of them (PLAIN passwords, CURVE policy, handler) that the domain
//! lacks is taken from [`ANY_DOMAIN`] (`"*"`) on its own. The user id is the
//! `User-Id` property of the client's messages ([`Message::gets`]).
//!
//! ```
//! use std::time::Duration;
//! use zmq::auth::Authenticator;
//! use zmq::{Security, SocketType, sockopt};
//!
//! let ctx = zmq::Context::new()?;
//! let auth = Authenticator::start(&ctx)?;
//! auth.configure_plain("*", [("admin", "secret")]);
//!
//! let server = ctx.socket(SocketType::Pull)?;
//! server.set_security(&Security::PlainServer { zap_domain: None })?;
//! server.bind("tcp://127.0.0.1:*")?;
//! let client = ctx.socket(SocketType::Push)?;
//! client.set_security(&Security::PlainClient { username: "admin", password: "secret" })?;
//! client.connect(&server.last_endpoint()?)?;
//!
//! client.send("hello")?;
//! server.set(sockopt::RcvTimeo, Some(Duration::from_secs(5)))?;
//! let msg = server.recv()?;
//! assert_eq!(msg.gets("User-Id"), Some("admin"));
//! auth.stop()?;
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! [`Message::gets`]: crate::Message::gets

mod policy;
mod zap;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

pub use policy::{ANY_DOMAIN, CurvePolicy, Decision, Handler};
pub use zap::{Credentials, StatusCode, ZAP_ENDPOINT, ZAP_VERSION, ZapRequest};

use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::flags::{PollEvents, RecvFlags, SendFlags};
use crate::poll::{PollItem, poll};
use crate::socket::{Socket, SocketType};
use crate::sockopt;
use policy::Policy;

/// Distinguishes the control endpoints of authenticators in one process.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// The message that tells the handler thread to stop.
pub(crate) const TERMINATE: &[u8] = b"TERMINATE";

/// How long the handler thread waits before polling again after a poll
/// error, so that an error that repeats does not spin a core.
pub(crate) const ERROR_BACKOFF: Duration = Duration::from_millis(100);

/// The longest the handler thread polls before it looks at the stop flag:
/// bounds `stop` should the TERMINATE message not arrive.
const STOP_CHECK: Duration = Duration::from_millis(250);

/// What the application and the handler thread (or task) share.
#[derive(Default)]
pub(crate) struct Shared {
    policy: Mutex<Policy>,
    /// Set by `stop`/`Drop` before they send TERMINATE.
    stopping: AtomicBool,
    /// The last error the handler thread met and carried on after.
    last_error: Mutex<Option<Error>>,
}

impl Shared {
    pub(crate) fn record(&self, error: Error) {
        *self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(error);
    }

    pub(crate) fn last_error(&self) -> Option<Error> {
        self.last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// A running ZAP handler; see the [module documentation](self).
///
/// Dropping it stops it like [`stop`](Self::stop), ignoring errors.
pub struct Authenticator {
    shared: Arc<Shared>,
    /// Our end of the PAIR pipe to the handler thread.
    control: Option<Socket>,
    thread: Option<JoinHandle<Result<()>>>,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("running", &self.is_running())
            .finish_non_exhaustive()
    }
}

/// The configuration methods of an authenticator, the same for the
/// thread ([`Authenticator`]) and the tokio task
/// (`zmq::asyncio::AsyncAuthenticator`): both keep an `Arc<Shared>` in
/// `self.shared`.
macro_rules! policy_methods {
    () => {
        /// The last error the handler met on its sockets, if any. It
        /// carries on after one (a request it could not receive or answer
        /// leaves that client's handshake waiting); only [`stop`](Self::stop),
        /// dropping the authenticator or shutting down the context end it.
        pub fn last_error(&self) -> Option<$crate::Error> {
            self.shared.last_error()
        }

        /// Allows an IP address; once any is allowed, clients from other
        /// addresses are refused.
        pub fn allow(&self, address: &str) {
            $crate::auth::lock_policy(&self.shared).allow(address);
        }

        /// Refuses clients from an IP address.
        pub fn deny(&self, address: &str) {
            $crate::auth::lock_policy(&self.shared).deny(address);
        }

        /// Forgets every allowed and denied address.
        pub fn clear_addresses(&self) {
            $crate::auth::lock_policy(&self.shared).clear_addresses();
        }

        /// Sets the PLAIN user names and passwords of a domain (`"*"`: the
        /// default), replacing those set before.
        pub fn configure_plain<U, P>(
            &self,
            domain: &str,
            passwords: impl IntoIterator<Item = (U, P)>,
        ) where
            U: Into<String>,
            P: Into<String>,
        {
            let passwords: ::std::collections::HashMap<String, String> = passwords
                .into_iter()
                .map(|(u, p)| (u.into(), p.into()))
                .collect();
            $crate::auth::lock_policy(&self.shared).set_passwords(domain, passwords);
        }

        /// Sets which CURVE clients a domain (`"*"`: the default) accepts.
        pub fn configure_curve(&self, domain: &str, curve: $crate::auth::CurvePolicy) {
            $crate::auth::lock_policy(&self.shared).set_curve(domain, curve);
        }

        /// Allows the CURVE clients whose public certificates are in `dir`
        /// ([`load_public_certificates`]($crate::cert::load_public_certificates)), replacing the domain's CURVE
        /// setting. Call again after the directory changes.
        pub fn configure_curve_certificates(
            &self,
            domain: &str,
            dir: impl AsRef<::std::path::Path>,
        ) -> $crate::Result<()> {
            let certs = $crate::cert::load_public_certificates(dir)?;
            let keys = $crate::auth::CurvePolicy::keys(certs.iter().map(|c| *c.public_key()));
            self.configure_curve(domain, keys);
            Ok(())
        }

        /// Installs a handler that decides the requests of a domain (`"*"`:
        /// the default) after the address check, or defers to the built-in
        /// rules. It runs on the authenticator's thread (or task); a panic in it refuses
        /// the client with status 500. It should return promptly: requests
        /// wait while it runs, and so does [`stop`](Self::stop).
        pub fn set_handler<F>(&self, domain: &str, handler: F)
        where
            F: Fn(&$crate::auth::ZapRequest) -> $crate::auth::Decision + Send + Sync + 'static,
        {
            $crate::auth::lock_policy(&self.shared)
                .set_handler(domain, ::std::sync::Arc::new(handler));
        }

        /// Removes a domain's handler, if it has one; the domain then uses the
        /// handler of `"*"`, if any.
        pub fn remove_handler(&self, domain: &str) {
            $crate::auth::lock_policy(&self.shared).remove_handler(domain);
        }
    };
}
#[cfg(all(feature = "tokio", unix))]
pub(crate) use policy_methods;

/// Locks the policy of `shared`.
pub(crate) fn lock_policy(shared: &Shared) -> MutexGuard<'_, Policy> {
    lock(&shared.policy)
}

/// Locks the policy, recovering it if a thread panicked while holding it
/// (every update leaves it consistent).
fn lock(policy: &Mutex<Policy>) -> MutexGuard<'_, Policy> {
    policy.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Authenticator {
    /// Binds a ZAP handler on [`ZAP_ENDPOINT`] in `ctx` and starts its
    /// thread. Until configured it allows NULL clients and refuses PLAIN and
    /// CURVE ones.
    ///
    /// `Err` of kind [`AddrInUse`](ErrorKind::AddrInUse) if the context
    /// already has a ZAP handler.
    #[doc(alias = "zauth")]
    #[doc(alias = "ThreadAuthenticator")]
    pub fn start(ctx: &Context) -> Result<Self> {
        let zap = bind_zap(ctx)?;
        let (control, pipe) = control_pipe(ctx)?;
        let shared = Arc::new(Shared::default());
        let theirs = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("zmq-authenticator".to_owned())
            .spawn(move || serve(&zap, &pipe, &theirs))
            .map_err(|e| {
                Error::from_errno(e.raw_os_error().unwrap_or(libc::EAGAIN))
                    .context(format!("starting the authenticator thread: {e}"))
            })?;
        Ok(Self {
            shared,
            control: Some(control),
            thread: Some(thread),
        })
    }

    /// True while the handler thread runs.
    pub fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    policy_methods!();

    /// Stops the handler thread, waits for it, and reports whether it ran
    /// without error (the [last error](Self::last_error) it met, if any).
    /// The ZAP endpoint is unbound when this returns, so a new
    /// authenticator can start at once.
    pub fn stop(mut self) -> Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<()> {
        // The flag ends the thread within STOP_CHECK even if TERMINATE
        // cannot be sent, so the join below cannot wait forever (unless a
        // custom handler never returns).
        self.shared.stopping.store(true, Ordering::Release);
        let sent = match self.control.take() {
            // The thread may already have ended (context shut down).
            Some(control) => control.send_with(TERMINATE, SendFlags::DONTWAIT),
            None => Ok(()),
        };
        let joined = match self.thread.take() {
            Some(thread) => thread.join().unwrap_or_else(|_| {
                Err(Error::from_errno(libc::EINVAL).context("the authenticator thread panicked"))
            }),
            None => Ok(()),
        };
        match (joined, sent) {
            (Err(e), _) => Err(e),
            (Ok(()), Err(e)) if e.kind() != ErrorKind::Terminated => Err(e),
            _ => Ok(()),
        }
    }
}

impl Drop for Authenticator {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Binds the ZAP handler's socket on [`ZAP_ENDPOINT`] in `ctx`.
pub(crate) fn bind_zap(ctx: &Context) -> Result<Socket> {
    // A ROUTER rather than a REP: it has no send/receive state that a
    // failed reply could leave stuck, so the handler keeps serving.
    let zap = ctx.socket(SocketType::Router)?;
    zap.set(sockopt::Linger, Some(Duration::ZERO))?;
    zap.bind(ZAP_ENDPOINT).map_err(|e| {
        if e.kind() == ErrorKind::AddrInUse {
            e.context("this context already has a ZAP handler")
        } else {
            e
        }
    })?;
    Ok(zap)
}

/// The PAIR pipe that tells the handler to stop: our end, its end.
pub(crate) fn control_pipe(ctx: &Context) -> Result<(Socket, Socket)> {
    let endpoint = format!(
        "inproc://zmq-authenticator-{}-{}",
        std::process::id(),
        NEXT_ID.fetch_add(1, Ordering::Relaxed)
    );
    let control = ctx.socket(SocketType::Pair)?;
    control.bind(&endpoint)?;
    let pipe = ctx.socket(SocketType::Pair)?;
    pipe.connect(&endpoint)?;
    Ok((control, pipe))
}

/// Unbinds the ZAP endpoint once the handler stopped, and reports the last
/// error it met, if any.
pub(crate) fn finish(zap: &Socket, shared: &Shared) -> Result<()> {
    let unbound = match zap.unbind(ZAP_ENDPOINT) {
        Err(e) if e.kind() != ErrorKind::Terminated => Err(e),
        _ => Ok(()),
    };
    match shared.last_error() {
        Some(e) => Err(e),
        None => unbound,
    }
}

/// The handler thread: answers ZAP requests until told to stop or the
/// context shuts down, then unbinds the ZAP endpoint. Nothing a client or
/// a failed call does ends it early: while it runs, the ZAP endpoint stays
/// bound, and libzmq 4.3 without `ZMQ_ZAP_ENFORCE_DOMAIN` lets clients in
/// unchecked once it is gone.
fn serve(zap: &Socket, pipe: &Socket, shared: &Shared) -> Result<()> {
    serve_until_stopped(zap, pipe, shared);
    finish(zap, shared)
}

fn serve_until_stopped(zap: &Socket, pipe: &Socket, shared: &Shared) {
    while !shared.stopping.load(Ordering::Acquire) {
        let mut items = [
            PollItem::from_socket(pipe, PollEvents::POLLIN),
            PollItem::from_socket(zap, PollEvents::POLLIN),
        ];
        if let Err(e) = poll(&mut items, Some(STOP_CHECK)) {
            match e.kind() {
                ErrorKind::Terminated => return,
                ErrorKind::Interrupted => continue,
                _ => {
                    shared.record(e.context("authenticator: polling"));
                    // Do not spin on an error that repeats.
                    std::thread::sleep(ERROR_BACKOFF);
                    continue;
                }
            }
        }
        if items[0].is_readable() {
            // TERMINATE is the only message on the pipe.
            return;
        }
        if items[1].is_readable() {
            match answer_one(zap, shared) {
                Ok(()) => {}
                Err(e) => match e.kind() {
                    ErrorKind::Terminated => return,
                    ErrorKind::Again | ErrorKind::Interrupted => {}
                    _ => shared.record(e.context("authenticator: answering a ZAP request")),
                },
            }
        }
    }
}

/// Receives one request on the ROUTER and sends its reply.
fn answer_one(zap: &Socket, shared: &Shared) -> Result<()> {
    let frames = zap.recv_multipart_with(RecvFlags::DONTWAIT)?;
    match reply_frames(&frames, shared) {
        // A ROUTER drops a reply to a peer that has gone instead of blocking.
        Some(reply) => zap.send_multipart_with(reply, SendFlags::DONTWAIT),
        None => Ok(()),
    }
}

/// The reply to a request received on the ROUTER, envelope first. A
/// request that does not parse gets a 400 naming the problem, as pyzmq's
/// authenticator does; a message without the empty delimiter frame libzmq
/// (and REQ) put before a request has nowhere to go: `None`.
pub(crate) fn reply_frames(frames: &[Vec<u8>], shared: &Shared) -> Option<Vec<Vec<u8>>> {
    let delimiter = frames.iter().position(Vec::is_empty)?;
    let (envelope, body) = frames.split_at(delimiter + 1);
    let reply = match ZapRequest::parse(body) {
        Ok(request) => {
            let verdict = lock(&shared.policy).prepare(&request);
            verdict.reply(&request)
        }
        Err(bad) => bad.reply,
    };
    Some(envelope.iter().cloned().chain(reply.to_frames()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_ends_the_thread_even_when_terminate_is_not_delivered() {
        let ctx = Context::new().unwrap();
        let mut auth = Authenticator::start(&ctx).unwrap();
        // Lose the control socket, as if sending TERMINATE had failed.
        drop(auth.control.take());
        let (done, stopped) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(auth.stop());
        });
        let result = stopped
            .recv_timeout(Duration::from_secs(10))
            .expect("stop returns within the stop flag's polling interval");
        result.unwrap();
        // The ZAP endpoint is free again.
        Authenticator::start(&ctx).unwrap().stop().unwrap();
    }
}
