//! The context's own background threads and the sockets they use.
//!
//! Some of this crate's machinery runs on threads of its own: the ZAP
//! service that refuses clients while no authenticator runs
//! ([`auth`](crate::auth)), and the readers that keep draining the events
//! of a dropped [`Monitor`](crate::Monitor). Their sockets hold no
//! [`Context`](super::Context) handle, or the context could never
//! terminate; instead the context, when its last handle goes, shuts
//! itself down (which wakes every blocking call of those threads with
//! `ETERM`), joins them (they close their sockets as they end), and only
//! then calls `zmq_ctx_term`.

use std::ffi::c_void;
use std::ptr::NonNull;
use std::sync::{Mutex, PoisonError};
use std::thread::JoinHandle;

use crate::error::{Error, Result};

/// A libzmq socket owned by a background thread of its context: closed
/// when dropped, holding no handle on the context.
#[derive(Debug)]
pub(crate) struct InternalSocket(NonNull<c_void>);

// SAFETY: a classic libzmq socket may move to another thread when a full
// memory barrier separates the uses (zmq_socket(3)); moving a value into a
// spawned thread implies one. It is used by one thread at a time: the one
// owning the value.
unsafe impl Send for InternalSocket {}

impl InternalSocket {
    /// Takes over a socket made by `zmq_socket`.
    pub(crate) fn from_raw(raw: NonNull<c_void>) -> Self {
        Self(raw)
    }

    /// The raw `void *`, valid while this value lives.
    pub(crate) fn as_raw(&self) -> *mut c_void {
        self.0.as_ptr()
    }
}

impl Drop for InternalSocket {
    fn drop(&mut self) {
        // SAFETY: the socket is live and closed exactly once, here.
        unsafe { zmq_sys::zmq_close(self.0.as_ptr()) };
    }
}

/// The background threads of one context.
#[derive(Debug, Default)]
pub(super) struct Background {
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl Background {
    /// Starts `work` on a thread of its own, joined when the context
    /// terminates. Threads that have ended are forgotten first.
    pub(super) fn spawn(&self, name: &str, work: impl FnOnce() + Send + 'static) -> Result<()> {
        let mut threads = self.threads.lock().unwrap_or_else(PoisonError::into_inner);
        threads.retain(|thread| !thread.is_finished());
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(work)
            .map_err(|e| {
                Error::from_errno(e.raw_os_error().unwrap_or(libc::EAGAIN))
                    .context(format!("starting the {name} thread: {e}"))
            })?;
        threads.push(thread);
        Ok(())
    }

    /// Whether any thread was started (and not yet joined).
    pub(super) fn is_empty(&self) -> bool {
        self.threads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty()
    }

    /// Waits for every thread; the context must be shut down first, so
    /// that their blocking calls return.
    pub(super) fn join_all(&self) {
        let threads =
            std::mem::take(&mut *self.threads.lock().unwrap_or_else(PoisonError::into_inner));
        for thread in threads {
            // A panic there has nothing to report to: the thread's work
            // is over either way.
            let _ = thread.join();
        }
    }
}
