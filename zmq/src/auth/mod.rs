//! An authenticator: a ZAP handler (rfc.zeromq.org/spec/27) answering on
//! a thread of its context, the counterpart of pyzmq's
//! `ThreadAuthenticator` and czmq's `zauth`.
//!
//! Once started on a [`Context`], libzmq asks it about every connection
//! that a server socket of that context accepts with PLAIN or CURVE, or
//! with NULL and a ZAP domain (see [`Security`](crate::Security)).
//!
//! # Failing closed
//!
//! With libzmq 4.3's stable API, a CURVE server (and a NULL server with a
//! ZAP domain) lets every client in when no ZAP handler is bound: a server
//! whose authenticator stopped, or never started, admitted anyone. So the
//! handler is the context's own: a ZAP service, started the first time a
//! server is configured through [`Socket::set_security`](crate::Socket::set_security)
//! or an authenticator starts, bound until the context terminates. An
//! authenticator installs its rules in it; while none is installed the
//! service refuses every request (status 400, "No authenticator is
//! running"). The Stonehouse pattern (any CURVE client that knows the
//! server's key) is an authenticator with [`CurvePolicy::AllowAny`].
//! Servers configured through the raw options in a context where the
//! service runs are refused the same way; a ZAP handler socket of the
//! application's own, bound first, keeps the endpoint and the service
//! does not start.
//!
//! # Rules
//!
//! An authenticator answers by these rules, which may change while it
//! runs:
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
mod service;
mod zap;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

pub use policy::{ANY_DOMAIN, CurvePolicy, Decision, Handler};
pub(crate) use service::{ZapSlot, ensure as ensure_zap_service};
pub use zap::{Credentials, StatusCode, ZAP_ENDPOINT, ZAP_VERSION, ZapRequest};

use crate::context::Context;
use crate::error::{Error, Result};
use policy::Policy;

/// What an authenticator and its context's ZAP service share.
#[derive(Default)]
pub(crate) struct Shared {
    policy: Mutex<Policy>,
    /// The last error the service met while this authenticator ran.
    last_error: Mutex<Option<Error>>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").finish_non_exhaustive()
    }
}

impl Shared {
    pub(crate) fn last_error(&self) -> Option<Error> {
        self.last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Installs a new authenticator's rules in the ZAP service of `ctx`,
/// starting the service if needed. `Err` if another authenticator's are
/// installed, or the context was shut down.
pub(crate) fn install(ctx: &Context) -> Result<(Arc<Shared>, Arc<ZapSlot>)> {
    let slot = ctx.zap_slot(service::start)?;
    let shared = Arc::new(Shared::default());
    {
        let mut installed = slot.installed();
        if installed.is_some() {
            return Err(Error::from_errno(libc::EADDRINUSE)
                .context("this context already has a running authenticator"));
        }
        if !slot.is_serving() {
            return Err(Error::from_errno(crate::error::ETERM)
                .context("starting an authenticator: the context was shut down"));
        }
        *installed = Some(Arc::clone(&shared));
    }
    Ok((shared, slot))
}

/// Whether `shared` are the rules the service applies now.
pub(crate) fn is_installed(shared: &Arc<Shared>, slot: &ZapSlot) -> bool {
    slot.is_serving()
        && slot
            .installed()
            .as_ref()
            .is_some_and(|installed| Arc::ptr_eq(installed, shared))
}

/// Removes `shared` from the service, if installed, and reports the last
/// error the service met meanwhile. A request being decided is decided
/// first (the service holds the lock while it decides).
pub(crate) fn uninstall(shared: &Arc<Shared>, slot: &ZapSlot) -> Result<()> {
    let removed = {
        let mut installed = slot.installed();
        match &*installed {
            Some(ours) if Arc::ptr_eq(ours, shared) => installed.take(),
            _ => None,
        }
    };
    // The service kept no other reference: these rules, and any custom
    // handler in them, are dropped on the caller's thread (the caller
    // still holds `shared`).
    drop(removed);
    match shared.last_error() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// A running authenticator; see the [module documentation](self).
///
/// Dropping it stops it like [`stop`](Self::stop), ignoring errors.
pub struct Authenticator {
    shared: Arc<Shared>,
    slot: Arc<ZapSlot>,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("running", &self.is_running())
            .finish_non_exhaustive()
    }
}

/// The configuration methods of an authenticator, the same for
/// [`Authenticator`] and `zmq::asyncio::AsyncAuthenticator`: both keep an
/// `Arc<Shared>` in `self.shared`.
macro_rules! policy_methods {
    () => {
        /// The last error the context's ZAP service met on its socket while
        /// this authenticator ran, if any. It carries on after one (a
        /// request it could not receive or answer leaves that client's
        /// handshake waiting); only shutting down the context ends it.
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
        ///
        /// Returns what was loaded, with the files that were refused (not
        /// certificates, too large, unreadable) and why: their clients are
        /// not allowed.
        pub fn configure_curve_certificates(
            &self,
            domain: &str,
            dir: impl AsRef<::std::path::Path>,
        ) -> $crate::Result<$crate::cert::CertificateDir> {
            let found = $crate::cert::load_public_certificates(dir)?;
            let keys =
                $crate::auth::CurvePolicy::keys(found.certificates.iter().map(|c| *c.public_key()));
            self.configure_curve(domain, keys);
            Ok(found)
        }

        /// Installs a handler that decides the requests of a domain (`"*"`:
        /// the default) after the address check, or defers to the built-in
        /// rules. It runs on the context's ZAP service thread; a panic in it
        /// refuses the client with status 500. It should return promptly: requests
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
    /// Installs a ZAP handler in `ctx`: the rules of this authenticator,
    /// applied by the context's ZAP service (one thread per context,
    /// started on first use, bound on [`ZAP_ENDPOINT`] until the context
    /// terminates). Until configured it allows NULL clients and refuses
    /// PLAIN and CURVE ones.
    ///
    /// `Err` of kind [`AddrInUse`](crate::ErrorKind::AddrInUse) if the context
    /// already has an authenticator, or a ZAP handler socket of the
    /// application's own.
    #[doc(alias = "zauth")]
    #[doc(alias = "ThreadAuthenticator")]
    pub fn start(ctx: &Context) -> Result<Self> {
        let (shared, slot) = install(ctx)?;
        Ok(Self { shared, slot })
    }

    /// True while this authenticator's rules decide: until it is stopped
    /// or the context shut down.
    pub fn is_running(&self) -> bool {
        is_installed(&self.shared, &self.slot)
    }

    policy_methods!();

    /// Removes this authenticator's rules, and reports whether the
    /// service ran without error meanwhile (the [last error](Self::last_error)
    /// it met, if any). From then on the context's ZAP service refuses
    /// every client that asks it (PLAIN, CURVE, and NULL with a ZAP
    /// domain) until another authenticator starts, which it may at once.
    /// A request being decided when this is called is decided first.
    pub fn stop(mut self) -> Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<()> {
        uninstall(&self.shared, &self.slot)
    }
}

impl Drop for Authenticator {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}
