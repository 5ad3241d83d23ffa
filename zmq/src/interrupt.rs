//! Ending a blocking program cleanly on Ctrl-C (SIGINT) or SIGTERM.
//!
//! By default these signals kill the process on the spot. After
//! [`catch_signals`] they only raise a flag: a call blocked in libzmq
//! (`recv`, `send`, `poll`, a proxy) returns an error of kind
//! [`ErrorKind::Interrupted`](crate::ErrorKind::Interrupted), and the
//! program checks [`interrupted`] and shuts down in order — closes its
//! sockets, lets the context terminate and exits with status 0. This is the
//! guide's `interrupt` example and czmq's `zsys_catch_interrupts`.
//!
//! ```no_run
//! use zmq::{ErrorKind, SocketType, interrupt};
//!
//! interrupt::catch_signals()?;
//! let ctx = zmq::Context::new()?;
//! let socket = ctx.socket(SocketType::Rep)?;
//! socket.bind("tcp://*:5558")?;
//! loop {
//!     match socket.recv() {
//!         Ok(request) => println!("received {} bytes", request.len()),
//!         Err(e) if e.kind() == ErrorKind::Interrupted && interrupt::interrupted() => {
//!             println!("W: interrupt received, stopping...");
//!             break;
//!         }
//!         Err(e) => return Err(e),
//!     }
//! }
//! # Ok::<(), zmq::Error>(())
//! ```
//!
//! The handlers are installed without `SA_RESTART`, so blocking system calls
//! are interrupted rather than silently resumed, and they do nothing but
//! store to an atomic flag (all a signal handler may safely do). A signal is
//! delivered to one thread; libzmq's own threads block signals, so in a
//! program that only blocks on its main thread that is the one interrupted.
//! Other threads should check [`interrupted`] when their calls time out.

use std::ffi::c_int;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// Set by the signal handler; read by [`interrupted`].
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The handler: async-signal-safe, it only stores to an atomic.
extern "C" fn on_signal(_signal: c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Installs the SIGINT and SIGTERM handlers (again and again is harmless).
pub fn catch_signals() -> Result<()> {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: an all-zero sigaction is a valid value (no flags, empty
        // mask, SIG_DFL), filled in below before use.
        let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
        action.sa_sigaction = on_signal as extern "C" fn(c_int) as libc::sighandler_t;
        // No SA_RESTART: blocked calls must fail with EINTR.
        action.sa_flags = 0;
        // SAFETY: sa_mask is a valid sigset_t owned by `action`.
        unsafe { libc::sigemptyset(&mut action.sa_mask) };
        // SAFETY: `action` is fully initialised and outlives the call; the
        // handler is an extern "C" fn that is async-signal-safe; the old
        // action is not asked for (NULL).
        let rc = unsafe { libc::sigaction(signal, &action, std::ptr::null_mut()) };
        if rc != 0 {
            let errno = std::io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EINVAL);
            return Err(Error::from_errno(errno).context("installing a signal handler"));
        }
    }
    Ok(())
}

/// True once SIGINT or SIGTERM arrived after [`catch_signals`].
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Clears the flag, for a program that handles an interrupt and carries on.
pub fn reset() {
    INTERRUPTED.store(false, Ordering::SeqCst);
}
