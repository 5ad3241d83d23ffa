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
//! Per-domain settings are looked up under the server socket's ZAP domain,
//! falling back to those of [`ANY_DOMAIN`] (`"*"`). The user id is the
//! `User-Id` property of the client's messages ([`Message::gets`]).
//!
//! ```
//! use std::time::Duration;
//! use zmq::auth::Authenticator;
//! use zmq::{RecvFlags, SendFlags, Security, SocketType, sockopt};
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
//! client.send("hello", SendFlags::empty())?;
//! server.set(sockopt::RcvTimeo, Some(Duration::from_secs(5)))?;
//! let msg = server.recv(RecvFlags::empty())?;
//! assert_eq!(msg.gets("User-Id"), Some("admin"));
//! auth.stop()?;
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! [`Message::gets`]: crate::Message::gets

mod policy;
mod zap;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

pub use policy::{ANY_DOMAIN, CurvePolicy, Decision, Handler};
pub use zap::{Credentials, StatusCode, ZAP_ENDPOINT, ZAP_VERSION, ZapRequest};

use crate::cert::load_public_certificates;
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
const TERMINATE: &[u8] = b"TERMINATE";

/// A running ZAP handler; see the [module documentation](self).
///
/// Dropping it stops it like [`stop`](Self::stop), ignoring errors.
pub struct Authenticator {
    policy: Arc<Mutex<Policy>>,
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
        let zap = ctx.socket(SocketType::Rep)?;
        zap.set(sockopt::Linger, Some(std::time::Duration::ZERO))?;
        zap.bind(ZAP_ENDPOINT).map_err(|e| {
            if e.kind() == ErrorKind::AddrInUse {
                e.context("this context already has a ZAP handler")
            } else {
                e
            }
        })?;

        let endpoint = format!(
            "inproc://zmq-authenticator-{}-{}",
            std::process::id(),
            NEXT_ID.fetch_add(1, Ordering::Relaxed)
        );
        let control = ctx.socket(SocketType::Pair)?;
        control.bind(&endpoint)?;
        let pipe = ctx.socket(SocketType::Pair)?;
        pipe.connect(&endpoint)?;

        let policy = Arc::new(Mutex::new(Policy::default()));
        let shared = Arc::clone(&policy);
        let thread = std::thread::Builder::new()
            .name("zmq-authenticator".to_owned())
            .spawn(move || serve(&zap, &pipe, &shared))
            .map_err(|e| {
                Error::from_errno(e.raw_os_error().unwrap_or(libc::EAGAIN))
                    .context(format!("starting the authenticator thread: {e}"))
            })?;
        Ok(Self {
            policy,
            control: Some(control),
            thread: Some(thread),
        })
    }

    /// True while the handler thread runs.
    pub fn is_running(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Allows an IP address; once any is allowed, clients from other
    /// addresses are refused.
    pub fn allow(&self, address: &str) {
        lock(&self.policy).allow(address);
    }

    /// Refuses clients from an IP address.
    pub fn deny(&self, address: &str) {
        lock(&self.policy).deny(address);
    }

    /// Forgets every allowed and denied address.
    pub fn clear_addresses(&self) {
        lock(&self.policy).clear_addresses();
    }

    /// Sets the PLAIN user names and passwords of a domain (`"*"`: the
    /// default), replacing those set before.
    pub fn configure_plain<U, P>(&self, domain: &str, passwords: impl IntoIterator<Item = (U, P)>)
    where
        U: Into<String>,
        P: Into<String>,
    {
        let passwords: HashMap<String, String> = passwords
            .into_iter()
            .map(|(u, p)| (u.into(), p.into()))
            .collect();
        lock(&self.policy).set_passwords(domain, passwords);
    }

    /// Sets which CURVE clients a domain (`"*"`: the default) accepts.
    pub fn configure_curve(&self, domain: &str, curve: CurvePolicy) {
        lock(&self.policy).set_curve(domain, curve);
    }

    /// Allows the CURVE clients whose public certificates are in `dir`
    /// ([`load_public_certificates`]), replacing the domain's CURVE
    /// setting. Call again after the directory changes.
    pub fn configure_curve_certificates(&self, domain: &str, dir: impl AsRef<Path>) -> Result<()> {
        let certs = load_public_certificates(dir)?;
        let keys = CurvePolicy::keys(certs.iter().map(|c| *c.public_key()));
        self.configure_curve(domain, keys);
        Ok(())
    }

    /// Installs a handler that decides the requests of a domain (`"*"`:
    /// the default) after the address check, or defers to the built-in
    /// rules. It runs on the authenticator's thread; a panic in it refuses
    /// the client with status 500.
    pub fn set_handler<F>(&self, domain: &str, handler: F)
    where
        F: Fn(&ZapRequest) -> Decision + Send + Sync + 'static,
    {
        lock(&self.policy).set_handler(domain, Some(Arc::new(handler)));
    }

    /// Removes a domain's handler.
    pub fn remove_handler(&self, domain: &str) {
        lock(&self.policy).set_handler(domain, None);
    }

    /// Stops the handler thread, waits for it, and reports whether it ran
    /// without error. The ZAP endpoint is unbound when this returns, so a
    /// new authenticator can start at once.
    pub fn stop(mut self) -> Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<()> {
        let sent = match self.control.take() {
            // The thread may already have ended (context shut down).
            Some(control) => control.send(TERMINATE, SendFlags::DONTWAIT),
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

/// The handler thread: answers ZAP requests until told to stop or the
/// context shuts down, then unbinds the ZAP endpoint.
fn serve(zap: &Socket, pipe: &Socket, policy: &Mutex<Policy>) -> Result<()> {
    let result = serve_until_stopped(zap, pipe, policy);
    let unbound = zap.unbind(ZAP_ENDPOINT);
    match result {
        Err(e) if e.kind() == ErrorKind::Terminated => Ok(()),
        Err(e) => Err(e),
        Ok(()) => unbound.or_else(|e| {
            if e.kind() == ErrorKind::Terminated {
                Ok(())
            } else {
                Err(e)
            }
        }),
    }
}

fn serve_until_stopped(zap: &Socket, pipe: &Socket, policy: &Mutex<Policy>) -> Result<()> {
    loop {
        let mut items = [
            PollItem::from_socket(pipe, PollEvents::POLLIN),
            PollItem::from_socket(zap, PollEvents::POLLIN),
        ];
        match poll(&mut items, None) {
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
            Ok(_) => {}
        }
        if items[0].is_readable() {
            pipe.recv_multipart(RecvFlags::DONTWAIT)?;
            return Ok(());
        }
        if items[1].is_readable() {
            let frames = zap.recv_multipart(RecvFlags::DONTWAIT)?;
            let reply = match ZapRequest::parse(&frames) {
                Ok(request) => {
                    let verdict = lock(policy).prepare(&request);
                    verdict.reply(&request)
                }
                Err(bad) => bad.reply,
            };
            zap.send_multipart(reply.to_frames(), SendFlags::empty())?;
        }
    }
}
