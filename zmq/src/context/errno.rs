//! Clearing errno, so that a -1 returned by `zmq_ctx_get` can be told
//! apart from a failure.

// `clear_errno` sets this thread's errno to 0, so that a -1 returned by
// zmq_ctx_get can be told apart from a failure (which sets errno). It
// returns false where this crate knows no way to do it; a -1 is then taken
// as a failure.

#[cfg(any(target_os = "linux", target_os = "emscripten", target_os = "fuchsia"))]
pub(super) fn clear_errno() -> bool {
    // SAFETY: __errno_location returns this thread's errno, always valid.
    unsafe { *libc::__errno_location() = 0 };
    true
}

#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "dragonfly"
))]
pub(super) fn clear_errno() -> bool {
    // SAFETY: __error returns this thread's errno, always valid.
    unsafe { *libc::__error() = 0 };
    true
}

#[cfg(any(target_os = "android", target_os = "netbsd", target_os = "openbsd"))]
pub(super) fn clear_errno() -> bool {
    // SAFETY: __errno returns this thread's errno, always valid.
    unsafe { *libc::__errno() = 0 };
    true
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "emscripten",
    target_os = "fuchsia",
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "android",
    target_os = "netbsd",
    target_os = "openbsd"
)))]
pub(super) fn clear_errno() -> bool {
    false
}
