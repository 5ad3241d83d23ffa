//! The ZAP authenticator for tokio programs, like pyzmq's
//! `AsyncioAuthenticator`: the same rules as [`Authenticator`], installed
//! in the context's ZAP service.
//!
//! [`Authenticator`]: crate::auth::Authenticator

use std::sync::Arc;

use crate::auth::{Shared, ZapSlot, install, is_installed, uninstall};
use crate::context::Context;
use crate::error::Result;

/// A ZAP handler for programs on a tokio runtime; the counterpart of
/// [`Authenticator`](crate::auth::Authenticator), with the same rules and
/// configuration methods (see [`auth`](crate::auth)).
///
/// Its rules are installed in the context's ZAP service, which answers
/// requests on a thread of its own, so no request waits for the runtime
/// and the service keeps refusing clients (fail closed) once the
/// authenticator stops, as with the thread version. A custom handler runs
/// on that thread. Dropping it removes its rules, like
/// [`stop`](Self::stop).
///
/// ```
/// use zmq::asyncio::{AsyncAuthenticator, AsyncSocket};
/// use zmq::{Security, SocketType};
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let ctx = zmq::Context::new()?;
/// let auth = AsyncAuthenticator::start(&ctx)?;
/// auth.configure_plain("*", [("admin", "secret")]);
///
/// let mut server = AsyncSocket::with_type(&ctx, SocketType::Pull)?;
/// server.get_ref().set_security(&Security::PlainServer { zap_domain: None })?;
/// server.bind("tcp://127.0.0.1:*")?;
/// let mut client = AsyncSocket::with_type(&ctx, SocketType::Push)?;
/// client.get_ref().set_security(&Security::PlainClient { username: "admin", password: "secret" })?;
/// client.connect(&server.last_endpoint()?)?;
///
/// client.send("hello").await?;
/// let msg = server.recv().await?;
/// assert_eq!(msg.gets("User-Id"), Some("admin"));
/// auth.stop().await?;
/// # Ok::<(), zmq::Error>(())
/// # }).unwrap();
/// ```
#[doc(alias = "AsyncioAuthenticator")]
pub struct AsyncAuthenticator {
    shared: Arc<Shared>,
    slot: Arc<ZapSlot>,
}

impl std::fmt::Debug for AsyncAuthenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncAuthenticator")
            .field("running", &self.is_running())
            .finish_non_exhaustive()
    }
}

impl AsyncAuthenticator {
    /// Installs a ZAP handler in `ctx`, as
    /// [`Authenticator::start`](crate::auth::Authenticator::start) does.
    /// Until configured it allows NULL clients and refuses PLAIN and CURVE
    /// ones.
    ///
    /// `Err` of kind [`AddrInUse`](crate::ErrorKind::AddrInUse) if the
    /// context already has an authenticator, or a ZAP handler socket of the
    /// application's own.
    pub fn start(ctx: &Context) -> Result<Self> {
        let (shared, slot) = install(ctx)?;
        Ok(Self { shared, slot })
    }

    /// True while this authenticator's rules decide: until it is stopped
    /// or the context shut down.
    pub fn is_running(&self) -> bool {
        is_installed(&self.shared, &self.slot)
    }

    crate::auth::policy_methods!();

    /// Removes this authenticator's rules and reports whether the service
    /// ran without error meanwhile (the [last error](Self::last_error) it
    /// met, if any). From then on the context's ZAP service refuses every
    /// client that asks it, until another authenticator starts, which it
    /// may at once. Nothing to wait for: it returns at once.
    pub async fn stop(self) -> Result<()> {
        uninstall(&self.shared, &self.slot)
    }
}

impl Drop for AsyncAuthenticator {
    fn drop(&mut self) {
        let _ = uninstall(&self.shared, &self.slot);
    }
}
