//! The ZAP authenticator as a tokio task, like pyzmq's
//! `AsyncioAuthenticator`: the same rules as [`Authenticator`]'s thread.
//!
//! [`Authenticator`]: crate::auth::Authenticator

use std::future::poll_fn;
use std::sync::Arc;
use std::task::Poll;

use tokio::task::JoinHandle;

use super::AsyncSocket;
use crate::auth::{ERROR_BACKOFF, Shared, TERMINATE, bind_zap, control_pipe, finish, reply_frames};
use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::flags::SendFlags;
use crate::socket::Socket;

/// A ZAP handler running as a task on the current tokio runtime; the
/// counterpart of [`Authenticator`](crate::auth::Authenticator), with the
/// same rules and configuration methods (see [`auth`](crate::auth)).
///
/// Dropping it tells the task to stop; [`stop`](Self::stop) also waits
/// for it and reports its last error.
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
    /// Our end of the PAIR pipe to the task.
    control: Option<Socket>,
    task: Option<JoinHandle<Result<()>>>,
}

impl std::fmt::Debug for AsyncAuthenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncAuthenticator")
            .field("running", &self.is_running())
            .finish_non_exhaustive()
    }
}

impl AsyncAuthenticator {
    /// Binds a ZAP handler on [`ZAP_ENDPOINT`](crate::auth::ZAP_ENDPOINT)
    /// in `ctx` and spawns its task on the current tokio runtime. Until
    /// configured it allows NULL clients and refuses PLAIN and CURVE ones.
    ///
    /// `Err` of kind [`AddrInUse`](ErrorKind::AddrInUse) if the context
    /// already has a ZAP handler.
    pub fn start(ctx: &Context) -> Result<Self> {
        let zap = AsyncSocket::new(bind_zap(ctx)?)?;
        let (control, pipe) = control_pipe(ctx)?;
        let pipe = AsyncSocket::new(pipe)?;
        let shared = Arc::new(Shared::default());
        let task = tokio::spawn(serve(zap, pipe, Arc::clone(&shared)));
        Ok(Self {
            shared,
            control: Some(control),
            task: Some(task),
        })
    }

    /// True while the task runs.
    pub fn is_running(&self) -> bool {
        self.task.as_ref().is_some_and(|t| !t.is_finished())
    }

    crate::auth::policy_methods!();

    /// Stops the task, waits for it, and reports whether it ran without
    /// error (the [last error](Self::last_error) it met, if any). The ZAP
    /// endpoint is unbound when this returns, so a new authenticator can
    /// start at once.
    pub async fn stop(mut self) -> Result<()> {
        let sent = self.tell_stop();
        let joined = match self.task.take() {
            Some(task) => task.await.unwrap_or_else(|e| {
                Err(Error::from_errno(libc::EINVAL)
                    .context(format!("the authenticator task failed: {e}")))
            }),
            None => Ok(()),
        };
        match (joined, sent) {
            (Err(e), _) => Err(e),
            (Ok(()), Err(e)) if e.kind() != ErrorKind::Terminated => Err(e),
            _ => Ok(()),
        }
    }

    /// Sends TERMINATE to the task, once.
    fn tell_stop(&mut self) -> Result<()> {
        match self.control.take() {
            // The task may already have ended (context shut down).
            Some(control) => control.send_with(TERMINATE, SendFlags::DONTWAIT),
            None => Ok(()),
        }
    }
}

impl Drop for AsyncAuthenticator {
    fn drop(&mut self) {
        let _ = self.tell_stop();
    }
}

/// What woke the task.
enum Wake {
    Stop,
    Request(Result<Vec<crate::Message>>),
}

/// The task: answers ZAP requests until told to stop or the context shuts
/// down, then unbinds the ZAP endpoint, as the thread does.
async fn serve(mut zap: AsyncSocket, mut pipe: AsyncSocket, shared: Arc<Shared>) -> Result<()> {
    loop {
        let wake = poll_fn(|cx| {
            // TERMINATE is the only message on the pipe; an error there
            // (the context shut down) stops the task too.
            if pipe.poll_recv_multipart(cx).is_ready() {
                return Poll::Ready(Wake::Stop);
            }
            zap.poll_recv_multipart(cx).map(Wake::Request)
        })
        .await;
        let frames = match wake {
            Wake::Stop => break,
            Wake::Request(Ok(frames)) => frames,
            Wake::Request(Err(e)) if e.kind() == ErrorKind::Terminated => break,
            Wake::Request(Err(e)) => {
                shared.record(e.context("authenticator: receiving a ZAP request"));
                // Do not spin on an error that repeats.
                tokio::time::sleep(ERROR_BACKOFF).await;
                continue;
            }
        };
        let frames: Vec<Vec<u8>> = frames.iter().map(|frame| frame.to_vec()).collect();
        if let Some(reply) = reply_frames(&frames, &shared) {
            // A ROUTER drops a reply to a peer that has gone: this never
            // waits for long.
            match zap.send_multipart(reply).await {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::Terminated => break,
                Err(e) => shared.record(e.context("authenticator: answering a ZAP request")),
            }
        }
    }
    finish(zap.get_ref(), &shared)
}
