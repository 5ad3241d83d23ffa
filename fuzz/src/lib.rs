//! Helpers shared by the fuzz targets: turning the fuzzer's bytes into
//! frames, and one context (with its I/O thread) for every iteration.

use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use zmq::{Context, ErrorKind, Socket, SocketType, sockopt};

/// How long any single wait of a target may last before the target fails
/// (a hang is a finding too). Generous: the machine may be loaded.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// The context every iteration of a target shares: creating one per input
/// would start and join an I/O thread each time. Its creation first
/// shields this thread from libFuzzer's alarm ([`shield_from_alarm`]).
pub fn context() -> &'static Context {
    static CONTEXT: OnceLock<Context> = OnceLock::new();
    CONTEXT.get_or_init(|| {
        shield_from_alarm();
        Context::new().expect("zmq context")
    })
}

/// Keeps libFuzzer's timeout alarm (SIGALRM, every half timeout) out of
/// libzmq's calls: a signal landing in one makes it fail with `EINTR`,
/// which a target would report as a failure (a blocking call could be
/// retried, but not a multipart send, which could be cut between two
/// frames). A thread started here, with SIGALRM open, takes the
/// alarm for the process, so libFuzzer still catches slow inputs; then
/// this thread blocks SIGALRM, and so do the threads it starts afterwards
/// (libzmq's, the authenticator's), which inherit its signal mask.
pub fn shield_from_alarm() {
    static SHIELDED: OnceLock<()> = OnceLock::new();
    SHIELDED.get_or_init(|| {
        std::thread::Builder::new()
            .name("alarm-sink".to_owned())
            .spawn(|| {
                loop {
                    std::thread::park();
                }
            })
            .expect("start the alarm sink thread");
        // SAFETY: `set` is a local sigset_t, initialised by sigemptyset
        // before use; pthread_sigmask only changes this thread's mask.
        unsafe {
            let mut set = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
            libc::sigemptyset(set.as_mut_ptr());
            libc::sigaddset(set.as_mut_ptr(), libc::SIGALRM);
            libc::pthread_sigmask(libc::SIG_BLOCK, set.as_ptr(), std::ptr::null_mut());
        }
    });
}

/// State made by a target's first iteration and kept for the others:
/// bound sockets, connected pairs, an authenticator. Sockets are `Send` but
/// not `Sync`, hence the lock (uncontended: libFuzzer runs one input at a
/// time).
#[derive(Debug)]
pub struct Fixture<T>(OnceLock<Mutex<T>>);

impl<T: Send> Fixture<T> {
    /// An empty fixture, for a `static`.
    pub const fn new() -> Self {
        Self(OnceLock::new())
    }

    /// The state, made by `init` the first time.
    pub fn get(&self, init: impl FnOnce() -> T) -> MutexGuard<'_, T> {
        self.0
            .get_or_init(|| Mutex::new(init()))
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T: Send> Default for Fixture<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// A new socket of the shared context.
///
/// libzmq destroys a closed socket in its reaper thread, a moment later: a
/// target that makes a socket per iteration can run ahead of the reaper
/// (on a loaded machine) into the context's limit of 1023 sockets, which
/// libzmq reports as `EMFILE`. That error is waited out, up to
/// [`DEADLINE`]; a socket that is never reaped still fails the target.
pub fn new_socket(kind: SocketType) -> Socket {
    let deadline = Instant::now() + DEADLINE;
    loop {
        match context().socket(kind) {
            Ok(socket) => return socket,
            Err(e) if e.kind() == ErrorKind::TooManyOpenFiles && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(e) => panic!("create a {kind:?} socket: {e}"),
        }
    }
}

/// Calls `call` again while it fails with `Interrupted`: a signal (other
/// than the alarm, which [`shield_from_alarm`] keeps away) interrupts a
/// blocking libzmq call, which then fails with `EINTR` having consumed
/// nothing. For receives, polls and single frames.
pub fn uninterrupted<T>(mut call: impl FnMut() -> zmq::Result<T>) -> zmq::Result<T> {
    loop {
        match call() {
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            result => return result,
        }
    }
}

/// A socket whose waits end at [`DEADLINE`] and whose close never waits.
pub fn socket(kind: SocketType) -> Socket {
    let socket = new_socket(kind);
    socket
        .set(sockopt::RcvTimeo, Some(DEADLINE))
        .expect("RCVTIMEO");
    socket
        .set(sockopt::SndTimeo, Some(DEADLINE))
        .expect("SNDTIMEO");
    socket
        .set(sockopt::Linger, Some(Duration::ZERO))
        .expect("LINGER");
    socket
}

/// Splits the fuzzer's bytes into frames: each frame is a length byte and
/// that many bytes; a last frame shorter than its length byte says takes
/// what is left. `[2, a, b, 0, 1, c]` is the frames `ab`, ``, `c`.
///
/// The seed files are written in this layout (see `seeds/README.md`).
pub fn frames(data: &[u8]) -> Vec<&[u8]> {
    let mut frames = Vec::new();
    let mut rest = data;
    while let Some((&len, tail)) = rest.split_first() {
        let len = usize::from(len).min(tail.len());
        let (frame, tail) = tail.split_at(len);
        frames.push(frame);
        rest = tail;
    }
    frames
}

/// Takes `N` bytes off the front of `data`, padding with zeros when it is
/// shorter.
pub fn take<const N: usize>(data: &mut &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let n = N.min(data.len());
    out[..n].copy_from_slice(&data[..n]);
    *data = &data[n..];
    out
}

/// Takes one byte off the front of `data` (0 when empty).
pub fn byte(data: &mut &[u8]) -> u8 {
    take::<1>(data)[0]
}

pub mod zmtp;

/// gcc's `-fsanitize-coverage=trace-cmp` (the fuzz build's libzmq, see
/// `scripts/fuzz.sh`) also reports floating-point comparisons, which
/// libFuzzer has no hook for; they carry nothing worth steering by.
#[unsafe(no_mangle)]
pub extern "C" fn __sanitizer_cov_trace_cmpf(_a: f32, _b: f32) {}

/// See [`__sanitizer_cov_trace_cmpf`].
#[unsafe(no_mangle)]
pub extern "C" fn __sanitizer_cov_trace_cmpd(_a: f64, _b: f64) {}
