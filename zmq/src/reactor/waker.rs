//! The self-pipe that wakes a reactor's poll, and the handle that uses it.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// The self-pipe a [`StopHandle`] writes to, waking the loop's poll.
#[derive(Debug)]
pub(super) struct Waker {
    pub(super) read: OwnedFd,
    write: OwnedFd,
    stop: AtomicBool,
}

impl Waker {
    pub(super) fn new() -> Result<Self> {
        let last_error = |what: &str| {
            let errno = std::io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EMFILE);
            Error::from_errno(errno).context(format!("{what} the reactor's wake-up pipe"))
        };
        let mut fds = [0; 2];
        // SAFETY: fds has room for the two descriptors pipe writes.
        if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
            return Err(last_error("creating"));
        }
        // SAFETY: pipe just opened both; they are owned here, once.
        let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        let waker = Self {
            read,
            write,
            stop: AtomicBool::new(false),
        };
        for fd in fds {
            // SAFETY: fcntl on descriptors we just opened; F_SETFL/F_SETFD
            // take an int argument. (pipe2 would do this atomically but is
            // not portable to every Unix.)
            let ok = unsafe {
                libc::fcntl(fd, libc::F_SETFL, libc::O_NONBLOCK) == 0
                    && libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) == 0
            };
            if !ok {
                return Err(last_error("configuring"));
            }
        }
        Ok(waker)
    }

    fn wake(&self) {
        self.stop.store(true, Ordering::SeqCst);
        // SAFETY: writes one byte from a live buffer to our own pipe. A
        // full pipe (EAGAIN) already guarantees a wake-up, so errors are
        // ignored.
        unsafe { libc::write(self.write.as_raw_fd(), [1u8].as_ptr().cast(), 1) };
    }

    /// Empties the pipe; returns whether a stop was asked for (and clears it).
    pub(super) fn drain(&self) -> bool {
        let mut buffer = [0u8; 64];
        // SAFETY: reads into a live buffer of the given size from our own
        // non-blocking pipe; stops at EAGAIN or end of data.
        while unsafe {
            libc::read(
                self.read.as_raw_fd(),
                buffer.as_mut_ptr().cast(),
                buffer.len(),
            )
        } > 0
        {}
        self.stop.swap(false, Ordering::SeqCst)
    }
}

/// Stops a running [`Reactor`](super::Reactor) from any thread (or before it runs).
#[derive(Debug, Clone)]
pub struct StopHandle {
    pub(super) waker: Arc<Waker>,
}

impl StopHandle {
    /// Makes [`Reactor::run`](super::Reactor::run) return `Ok(())` after the handler it is
    /// running, if any; at once if it is waiting.
    pub fn stop(&self) {
        self.waker.wake();
    }
}
