//! Zero-copy messages from any owner of bytes, the [`Tracker`] that tells
//! when libzmq has let go of them, and the thread that drops owners.
//!
//! libzmq frees a buffer handed to `zmq_msg_init_data` by calling a free
//! function when the last message sharing it is closed, on whichever
//! thread closes it: often one of libzmq's own I/O threads (after a TCP
//! send). Dropping the owner there is not safe in general: an owner may
//! hold crate handles, and if it holds the last [`Context`](crate::Context)
//! its drop runs `zmq_ctx_term`, which waits for the very I/O thread it
//! runs on and never returns. So the free function never drops an owner
//! itself: it passes it to one dedicated thread of this crate
//! (`zmq-rs-release`, started on first use), which drops owners one after
//! another and then marks their trackers done.
//!
//! Owners of [`Message::from_owner`], [`Message::tracked`] and (feature
//! `bytes`) `bytes::Bytes` go that way, since any of them may hold
//! anything. `Vec<u8>`, `String` and `Box<[u8]>` handed over through
//! `From` are plain allocations, freed in place by their free function.

use std::any::Any;
use std::ffi::c_void;
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use super::{INLINE_MAX, Message};
use crate::error::{Error, Result};

/// Tells when libzmq has released a buffer handed over by
/// [`Message::tracked`]: every message sharing it (clones, and the copies
/// inside libzmq's queues) has been closed and the owner has been dropped.
/// pyzmq's `MessageTracker`.
///
/// A clone of a `Tracker` watches the same buffer.
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use zmq::{Message, SocketType};
///
/// let ctx = zmq::Context::new()?;
/// let pull = ctx.socket(SocketType::Pull)?;
/// pull.bind("tcp://127.0.0.1:*")?;
/// let push = ctx.socket(SocketType::Push)?;
/// push.connect(&pull.last_endpoint()?)?;
///
/// let payload: Arc<[u8]> = vec![1u8; 100_000].into();
/// let (msg, tracker) = Message::tracked(Arc::clone(&payload));
/// push.send(msg)?;
/// assert_eq!(pull.recv()?.len(), 100_000);
///
/// // Sent and gone from libzmq: the buffer is the caller's alone again.
/// tracker.wait(Some(Duration::from_secs(5)))?;
/// assert!(tracker.done());
/// assert_eq!(Arc::strong_count(&payload), 1);
/// # Ok::<(), zmq::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Tracker {
    state: Arc<TrackerState>,
}

#[derive(Debug, Default)]
struct TrackerState {
    released: Mutex<bool>,
    changed: Condvar,
}

impl TrackerState {
    fn release(&self) {
        *self.released.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.changed.notify_all();
    }
}

impl Tracker {
    /// True once libzmq has released the buffer and its owner was dropped.
    pub fn done(&self) -> bool {
        *self
            .state
            .released
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until [`done`](Self::done), for up to `timeout` (`None`:
    /// forever). If the buffer is still in use when the time is up: an
    /// [`ErrorKind::Again`](crate::ErrorKind::Again) error, like pyzmq's
    /// `NotDone`. A message that is never sent and never dropped (kept in a
    /// variable, or queued for a peer that never comes) keeps its tracker
    /// waiting.
    pub fn wait(&self, timeout: Option<Duration>) -> Result<()> {
        let deadline = timeout.map(|timeout| Instant::now().checked_add(timeout));
        let mut released = self
            .state
            .released
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while !*released {
            released = match deadline {
                // Forever, or a deadline past what Instant can hold.
                None | Some(None) => self
                    .state
                    .changed
                    .wait(released)
                    .unwrap_or_else(PoisonError::into_inner),
                Some(Some(deadline)) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(Error::from_errno(libc::EAGAIN).context(format!(
                            "tracked message still in use after {:?}",
                            timeout.unwrap_or_default()
                        )));
                    }
                    self.state
                        .changed
                        .wait_timeout(released, left)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            };
        }
        Ok(())
    }
}

/// What libzmq's free function gets as its hint: the owner of the bytes,
/// and the tracker to mark once the owner is gone.
struct Handover<T> {
    owner: Option<T>,
    tracker: Option<Arc<TrackerState>>,
}

impl<T> Drop for Handover<T> {
    fn drop(&mut self) {
        let owner = self.owner.take();
        // An owner whose Drop panics must not take the release thread (or a
        // caller's Message::from_owner) down with it.
        discard_panic(catch_unwind(AssertUnwindSafe(move || drop(owner))));
        if let Some(tracker) = &self.tracker {
            tracker.release();
        }
    }
}

/// Discards a caught panic's payload without letting anything unwind: the
/// payload is dropped under `catch_unwind` too, and only should that drop
/// panic in turn is the second payload forgotten (leaked) instead.
fn discard_panic(outcome: std::thread::Result<()>) {
    if let Err(payload) = outcome
        && let Err(second) = catch_unwind(AssertUnwindSafe(move || drop(payload)))
    {
        std::mem::forget(second);
    }
}

/// The release thread's inbox; `None` if the thread could not be started.
static RELEASE: OnceLock<Option<Sender<Box<dyn Any + Send>>>> = OnceLock::new();

fn start_release_thread() -> Option<Sender<Box<dyn Any + Send>>> {
    let (sender, inbox) = channel::<Box<dyn Any + Send>>();
    std::thread::Builder::new()
        .name("zmq-rs-release".to_owned())
        .spawn(move || {
            for handover in inbox {
                // Handover::drop catches the owner's panics; this catches
                // anything else, so the thread lives on.
                discard_panic(catch_unwind(AssertUnwindSafe(move || drop(handover))));
            }
        })
        .ok()
        .map(|_| sender)
}

/// Hands `handover` to the release thread. If that thread cannot be
/// started (the process is out of threads) the owner is leaked, never
/// dropped here: a leak is better than a drop that may deadlock libzmq.
fn defer_drop(handover: Box<dyn Any + Send>) {
    let Some(sender) = RELEASE.get_or_init(start_release_thread) else {
        std::mem::forget(handover);
        return;
    };
    if let Err(unsent) = sender.send(handover) {
        std::mem::forget(unsent.0);
    }
}

/// libzmq's free function for buffers handed over by
/// [`Message::handed_over`]: passes the owner to the release thread. It
/// never unwinds into C: the work is caught, and so is the drop of a
/// caught panic's payload.
///
/// # Safety
///
/// `hint` must come from `Box::into_raw` of a `Box<Handover<T>>` for this
/// same `T`, as `handed_over` passes it to `zmq_msg_init_data`, and this
/// must be called at most once for it; `data` is not used. libzmq calls it
/// exactly once, when the last message sharing the buffer is closed.
unsafe extern "C" fn release<T: Send + 'static>(_data: *mut c_void, hint: *mut c_void) {
    // SAFETY: hint is the Box<Handover<T>> leaked in handed_over, released
    // once (our contract).
    let handover = unsafe { Box::from_raw(hint.cast::<Handover<T>>()) };
    discard_panic(catch_unwind(AssertUnwindSafe(move || defer_drop(handover))));
}

impl Message {
    /// Hands the bytes of any owner to libzmq without copying them (for
    /// more than 33 bytes; smaller ones are copied into the message and the
    /// owner dropped at once). The owner is kept until libzmq has released
    /// the buffer, then dropped on this crate's release thread (see
    /// [`Tracker`] for a way to learn when).
    ///
    /// The bytes are read-only: writing to the message through `DerefMut`
    /// gives it a private copy first. An `Arc<[u8]>`, a memory map or a
    /// `Vec` inside a struct of your own all work.
    ///
    /// # Where the owner is dropped
    ///
    /// libzmq releases the buffer on whichever thread closes the last
    /// message sharing it, often one of its own I/O threads (after a TCP
    /// send) or its reaper thread (a socket closed with messages queued).
    /// An owner dropped there could block libzmq itself: one holding the
    /// last [`Context`](crate::Context) handle would run `zmq_ctx_term` on
    /// the very thread that call waits for, and never return. So the owner
    /// is never dropped on the releasing thread: it goes to one thread of
    /// this crate, `zmq-rs-release` (started on first use), which drops
    /// owners one after another. An owner whose `Drop` blocks for long
    /// delays the owners queued behind it; one whose `Drop` panics is
    /// caught there. Should that thread fail to start, owners are leaked
    /// rather than dropped on libzmq's threads. `bytes::Bytes` (feature
    /// `bytes`) takes the same path.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use zmq::Message;
    ///
    /// let shared: Arc<[u8]> = vec![9u8; 1 << 20].into();
    /// let msg = Message::from_owner(Arc::clone(&shared));
    /// assert_eq!(msg.as_ptr(), shared.as_ptr()); // the same megabyte
    /// ```
    #[doc(alias = "zmq_msg_init_data")]
    pub fn from_owner<T: AsRef<[u8]> + Send + 'static>(owner: T) -> Self {
        Self::handed_over(owner, None)
    }

    /// [`from_owner`](Self::from_owner), with a [`Tracker`] that says when
    /// libzmq has released the buffer and the owner has been dropped.
    #[doc(alias = "zmq_msg_init_data")]
    pub fn tracked<T: AsRef<[u8]> + Send + 'static>(owner: T) -> (Self, Tracker) {
        let state = Arc::new(TrackerState::default());
        let msg = Self::handed_over(owner, Some(Arc::clone(&state)));
        (msg, Tracker { state })
    }

    /// Shares `owner`'s bytes with libzmq; see the module docs for where
    /// the owner is dropped.
    fn handed_over<T: AsRef<[u8]> + Send + 'static>(
        owner: T,
        tracker: Option<Arc<TrackerState>>,
    ) -> Self {
        let handover = Box::new(Handover {
            owner: Some(owner),
            tracker,
        });
        let bytes: &[u8] = handover.owner.as_ref().map_or(&[], |owner| owner.as_ref());
        if bytes.len() <= INLINE_MAX {
            // Copied: the owner goes now, on the caller's thread.
            return Self::copied(bytes);
        }
        let (ptr, len) = (bytes.as_ptr(), bytes.len());
        let hint = Box::into_raw(handover);
        let mut raw = MaybeUninit::<zmq_sys::zmq_msg_t>::uninit();
        // SAFETY: ptr/len describe bytes owned by the boxed owner, which
        // does not move (it is boxed) and is only dropped by release::<T>,
        // which libzmq calls exactly once, after its last use of the bytes.
        let rc = unsafe {
            zmq_sys::zmq_msg_init_data(
                raw.as_mut_ptr(),
                ptr.cast_mut().cast(),
                len,
                Some(release::<T>),
                hint.cast(),
            )
        };
        if rc != 0 {
            // libzmq could not allocate its bookkeeping and did not take
            // the owner: copy the bytes instead.
            // SAFETY: hint came from Box::into_raw just above and was not
            // taken over.
            let handover = unsafe { Box::from_raw(hint) };
            let bytes: &[u8] = handover.owner.as_ref().map_or(&[], |owner| owner.as_ref());
            return Self::copied(bytes);
        }
        let mut msg = Self {
            // SAFETY: initialised by the successful call above.
            raw: unsafe { raw.assume_init() },
            _not_sync: PhantomData,
        };
        // The owner only lends the bytes for reading.
        msg.mark_shared();
        msg
    }
}

/// Shares the `Bytes` buffer with libzmq without copying it (for more than
/// 33 bytes). libzmq releases it on any thread, and a `Bytes` made by
/// `Bytes::from_owner` may hold anything, so its drop goes to the release
/// thread like any [`Message::from_owner`] owner.
#[cfg(feature = "bytes")]
impl From<bytes::Bytes> for Message {
    #[doc(alias = "zmq_msg_init_data")]
    fn from(data: bytes::Bytes) -> Self {
        Self::handed_over(data, None)
    }
}
