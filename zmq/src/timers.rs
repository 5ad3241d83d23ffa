//! Timers (`zmq_timers_*`): libzmq's timer set for a hand-written event
//! loop, as cppzmq's `timers_t`.
//!
//! Add timers with a handler, poll with [`Timers::timeout`] as the poll
//! timeout, then call [`Timers::execute`], which runs the handler of every
//! timer that is due and schedules it again one interval later.
//!
//! ```
//! use std::cell::Cell;
//! use std::time::{Duration, Instant};
//!
//! let ticks = Cell::new(0);
//! let mut timers = zmq::Timers::new()?;
//! timers.add(Duration::from_millis(5), |_| ticks.set(ticks.get() + 1))?;
//!
//! let deadline = Instant::now() + Duration::from_secs(5);
//! while ticks.get() < 3 && Instant::now() < deadline {
//!     if let Some(wait) = timers.timeout() {
//!         zmq::poll(&mut [], Some(wait))?; // sockets would go here
//!     }
//!     timers.execute()?;
//! }
//! assert_eq!(ticks.get(), 3);
//! # Ok::<(), zmq::Error>(())
//! ```

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::ptr::NonNull;
use std::time::Duration;

use crate::error::{Error, Result, check, check_ptr};

/// The id of a timer in a [`Timers`] set, returned by [`Timers::add`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimerId(c_int);

impl TimerId {
    /// libzmq's number for the timer.
    pub fn to_raw(self) -> c_int {
        self.0
    }
}

/// A handler and what libzmq's callback needs to run it.
type Handler<'h> = Box<dyn FnMut(TimerId) + 'h>;

/// A set of timers, each calling its handler every interval once
/// [`execute`](Self::execute) finds it due. Handlers may borrow local
/// state for the set's lifetime `'h`.
///
/// A handler that panics stops the [`execute`](Self::execute) call: the
/// timers still due are not run, and the panic resumes from `execute` once
/// libzmq has returned (it never unwinds through C).
///
/// Not `Send`: libzmq's timer sets are not thread-safe, and handlers may
/// hold thread-bound state.
pub struct Timers<'h> {
    raw: NonNull<c_void>,
    /// Each handler, boxed so libzmq can be handed a thin pointer to it;
    /// owned here as raw pointers (from `Box::into_raw`), freed on cancel
    /// or drop.
    handlers: HashMap<TimerId, NonNull<Handler<'h>>>,
}

impl std::fmt::Debug for Timers<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Timers")
            .field("timers", &self.handlers.len())
            .finish()
    }
}

thread_local! {
    /// A panic caught in a handler during `zmq_timers_execute`, resumed
    /// once libzmq returns (git2-rs's scheme).
    static PANIC: RefCell<Option<Box<dyn Any + Send>>> = const { RefCell::new(None) };
}

/// libzmq's callback: runs the handler `arg` points to, unless a handler
/// already panicked in this `execute`; catches a panic instead of letting
/// it unwind into C.
///
/// # Safety
///
/// `arg` must point to a live `Handler` that nothing else accesses during
/// the call, as [`Timers::add`] registers it.
unsafe extern "C" fn run_handler(timer_id: c_int, arg: *mut c_void) {
    let pending = PANIC.with(|panic| panic.borrow().is_some());
    if pending {
        return;
    }
    // SAFETY: arg is the handler registered with this timer; Timers keeps
    // it alive until the timer is cancelled (after which libzmq never calls
    // it) or the set is destroyed, and holds no reference to it while
    // zmq_timers_execute runs.
    let handler = unsafe { &mut *arg.cast::<Handler<'_>>() };
    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| handler(TimerId(timer_id)))) {
        PANIC.with(|panic| *panic.borrow_mut() = Some(payload));
    }
}

/// A timer interval in whole milliseconds, rounded up so a non-zero
/// interval never becomes 0. Zero itself is refused: libzmq 4.3.5
/// reschedules a due timer at `now + interval` while still walking the
/// due timers, so a 0 ms timer is due again at once and
/// `zmq_timers_execute` never returns. So is an interval beyond
/// `c_long::MAX` milliseconds: `zmq_timers_timeout` returns the distance
/// to the next timer as a C `long`, and a longer one wrapped negative and
/// came back as 0, "due now", while the timer never ran: a caller polling
/// with that timeout spun at full speed.
fn interval_millis(interval: Duration) -> Result<usize> {
    if interval.is_zero() {
        return Err(Error::invalid_input(
            "a timer interval of zero would make libzmq run the timer forever in one execute",
        ));
    }
    let ms = interval.as_nanos().div_ceil(1_000_000);
    let max = u64::try_from(std::ffi::c_long::MAX).unwrap_or(u64::MAX);
    u64::try_from(ms)
        .ok()
        .filter(|&ms| ms <= max)
        .and_then(|ms| usize::try_from(ms).ok())
        .ok_or_else(|| {
            Error::invalid_input(format!(
                "timer interval {interval:?} is longer than {max} ms, the most \
                 zmq_timers_timeout can report"
            ))
        })
}

impl<'h> Timers<'h> {
    /// An empty timer set.
    #[doc(alias = "zmq_timers_new")]
    pub fn new() -> Result<Self> {
        // SAFETY: zmq_timers_new takes no arguments; NULL means no memory.
        let raw = check_ptr(unsafe { zmq_sys::zmq_timers_new() })?;
        Ok(Self {
            raw,
            handlers: HashMap::new(),
        })
    }

    /// Adds a timer that calls `handler` every `interval` (rounded up to
    /// whole milliseconds), the first time one interval from now. A zero
    /// interval, or one too long for libzmq, is an
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) error.
    #[doc(alias = "zmq_timers_add")]
    pub fn add(
        &mut self,
        interval: Duration,
        handler: impl FnMut(TimerId) + 'h,
    ) -> Result<TimerId> {
        let interval = interval_millis(interval)?;
        let handler: Handler<'h> = Box::new(handler);
        let slot = NonNull::from(Box::leak(Box::new(handler)));
        // SAFETY: the timer set is live; slot points to a boxed handler
        // that stays at its address until freed below or in cancel/drop.
        let rc = unsafe {
            zmq_sys::zmq_timers_add(
                self.raw.as_ptr(),
                interval,
                Some(run_handler),
                slot.as_ptr().cast(),
            )
        };
        match check(rc) {
            Ok(id) => {
                self.handlers.insert(TimerId(id), slot);
                Ok(TimerId(id))
            }
            Err(e) => {
                // SAFETY: libzmq did not register the slot; free it once.
                drop(unsafe { Box::from_raw(slot.as_ptr()) });
                Err(e.context("adding a timer"))
            }
        }
    }

    fn known(&self, id: TimerId, what: &'static str) -> Result<()> {
        if self.handlers.contains_key(&id) {
            Ok(())
        } else {
            Err(Error::invalid_input(format!(
                "{what}: no timer {} in this set",
                id.0
            )))
        }
    }

    /// Removes a timer; its handler is dropped. An id that is not in this
    /// set (cancelled already, or from another set) is an
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) error.
    #[doc(alias = "zmq_timers_cancel")]
    pub fn cancel(&mut self, id: TimerId) -> Result<()> {
        self.known(id, "cancel")?;
        // SAFETY: the timer set is live.
        check(unsafe { zmq_sys::zmq_timers_cancel(self.raw.as_ptr(), id.0) })
            .map_err(|e| e.context(format!("cancel timer {}", id.0)))?;
        if let Some(slot) = self.handlers.remove(&id) {
            // SAFETY: libzmq never calls a cancelled timer's handler again;
            // the slot came from Box::leak in add and is freed once, here.
            drop(unsafe { Box::from_raw(slot.as_ptr()) });
        }
        Ok(())
    }

    /// Changes a timer's interval; the new one counts from its next run.
    #[doc(alias = "zmq_timers_set_interval")]
    pub fn set_interval(&mut self, id: TimerId, interval: Duration) -> Result<()> {
        self.known(id, "set_interval")?;
        let interval = interval_millis(interval)?;
        // SAFETY: the timer set is live.
        check(unsafe { zmq_sys::zmq_timers_set_interval(self.raw.as_ptr(), id.0, interval) })
            .map(drop)
            .map_err(|e| e.context(format!("set_interval of timer {}", id.0)))
    }

    /// Restarts a timer: it next runs one full interval from now.
    #[doc(alias = "zmq_timers_reset")]
    pub fn reset(&mut self, id: TimerId) -> Result<()> {
        self.known(id, "reset")?;
        // SAFETY: the timer set is live.
        check(unsafe { zmq_sys::zmq_timers_reset(self.raw.as_ptr(), id.0) })
            .map(drop)
            .map_err(|e| e.context(format!("reset timer {}", id.0)))
    }

    /// How long until the next timer is due (zero if one is due now);
    /// `None` when the set has no timers. Use it as the poll timeout.
    #[doc(alias = "zmq_timers_timeout")]
    pub fn timeout(&self) -> Option<Duration> {
        // SAFETY: the timer set is live; the call only reads it.
        let ms = unsafe { zmq_sys::zmq_timers_timeout(self.raw.as_ptr()) };
        u64::try_from(ms).ok().map(Duration::from_millis)
    }

    /// Runs the handler of every timer that is due, and schedules each
    /// again one interval later. A handler's panic resumes here, after
    /// libzmq has returned.
    #[doc(alias = "zmq_timers_execute")]
    pub fn execute(&mut self) -> Result<()> {
        // SAFETY: the timer set is live; the handlers it calls are alive
        // (see run_handler), and `&mut self` keeps anyone else from
        // touching the set or its handlers meanwhile.
        let rc = unsafe { zmq_sys::zmq_timers_execute(self.raw.as_ptr()) };
        if let Some(payload) = PANIC.with(|panic| panic.borrow_mut().take()) {
            resume_unwind(payload);
        }
        check(rc).map(drop)
    }

    /// How many timers the set holds.
    pub fn len(&self) -> usize {
        self.handlers.len()
    }

    /// True if the set holds no timer.
    pub fn is_empty(&self) -> bool {
        self.handlers.is_empty()
    }
}

impl Drop for Timers<'_> {
    fn drop(&mut self) {
        let mut raw = self.raw.as_ptr();
        // SAFETY: the set is live and destroyed once, here; it only fails
        // (EFAULT) for a NULL set.
        unsafe { zmq_sys::zmq_timers_destroy(&mut raw) };
        for (_, slot) in self.handlers.drain() {
            // SAFETY: the set is gone, so no callback can run; each slot
            // came from Box::leak in add and is freed once, here.
            drop(unsafe { Box::from_raw(slot.as_ptr()) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_round_up_to_whole_milliseconds() {
        assert_eq!(interval_millis(Duration::from_micros(1)).unwrap(), 1);
        assert_eq!(interval_millis(Duration::from_micros(2001)).unwrap(), 3);
        assert!(interval_millis(Duration::ZERO).is_err());
        let max = u64::try_from(std::ffi::c_long::MAX).unwrap_or(u64::MAX);
        assert!(interval_millis(Duration::from_millis(max)).is_ok());
        let error = interval_millis(Duration::from_millis(max + 1)).unwrap_err();
        assert!(error.to_string().contains("zmq_timers_timeout"), "{error}");
        assert!(interval_millis(Duration::MAX).is_err());
    }

    #[test]
    fn an_empty_set_has_no_timeout() {
        let timers = Timers::new().unwrap();
        assert_eq!(timers.timeout(), None);
        assert!(timers.is_empty());
    }
}
