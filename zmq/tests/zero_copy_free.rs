//! Zero-copy messages hand their buffer to libzmq, whose free callback must
//! release it exactly once: after delivery, when a send fails, and when the
//! context is terminated with the message still queued. A static buffer
//! must never be released at all.
//!
//! `Vec` and `Box` buffers are watched through this binary's global
//! allocator (their free callback returns them to it); the owners of
//! `Message::from_owner`, `Message::tracked` and `Bytes` buffers count their
//! drops. The tests of this binary run one at a time, since the allocator
//! watches one buffer at a time.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use common::{TIMEOUT, socket, watchdog};
use zmq::{Context, ErrorKind, Message, SendFlags, SocketType, sockopt};

/// Above libzmq's inline size (33 bytes), so the buffer is handed over.
const SIZE: usize = 1000;

/// The System allocator, counting deallocations of one watched address.
struct WatchingAllocator;

/// The address being watched (0: none).
static WATCHED: AtomicUsize = AtomicUsize::new(0);
/// How many times the watched address has been deallocated.
static FREES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to System unchanged; the counters are
// atomics and never allocate.
unsafe impl GlobalAlloc for WatchingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let ptr = unsafe { System.alloc(layout) };
        // The watched buffer was freed and its address handed out again:
        // later frees at that address belong to someone else.
        let _ = WATCHED.compare_exchange(ptr as usize, 0, Ordering::SeqCst, Ordering::SeqCst);
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ptr as usize == WATCHED.load(Ordering::SeqCst) {
            FREES.fetch_add(1, Ordering::SeqCst);
        }
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: WatchingAllocator = WatchingAllocator;

/// Serialises the tests of this binary (one watched address at a time).
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The ways to build a message that does not copy its buffer.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Vec,
    Boxed,
    Static,
    Owner,
    Tracked,
    #[cfg(feature = "bytes")]
    Bytes,
}

const KINDS: &[Kind] = &[
    Kind::Vec,
    Kind::Boxed,
    Kind::Static,
    Kind::Owner,
    Kind::Tracked,
    #[cfg(feature = "bytes")]
    Kind::Bytes,
];

/// Tells how many times a message's buffer has been released.
enum Probe {
    /// A Rust allocation at this address, watched by the allocator.
    Allocation,
    /// A static buffer: never released; its content must stay intact.
    Static,
    /// The drops of an owner handed over, and the tracker of a
    /// `Message::tracked` one.
    Owner(Arc<AtomicUsize>, Option<zmq::Tracker>),
}

impl Probe {
    fn releases(&self) -> usize {
        match self {
            Probe::Allocation => FREES.load(Ordering::SeqCst),
            Probe::Static => {
                assert!(STATIC_BUFFER.iter().all(|&b| b == 0x5A), "static changed");
                0
            }
            Probe::Owner(drops, tracker) => {
                let drops = drops.load(Ordering::SeqCst);
                if let Some(tracker) = tracker {
                    // Done only once the owner has been dropped.
                    assert!(
                        !tracker.done() || drops == 1,
                        "tracker done before the drop"
                    );
                }
                drops
            }
        }
    }

    /// How many releases a buffer of this kind ends with: one, or none for
    /// a static buffer.
    fn expected(&self) -> usize {
        match self {
            Probe::Static => 0,
            _ => 1,
        }
    }

    /// Waits (within [`TIMEOUT`]) for the final count, which an I/O thread
    /// may reach a moment after the call that triggered it, then checks it
    /// stays there.
    fn assert_released(&self, what: &str) {
        let deadline = Instant::now() + TIMEOUT;
        while self.releases() < self.expected() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(self.releases(), self.expected(), "{what}: releases");
        thread::sleep(Duration::from_millis(20));
        assert_eq!(self.releases(), self.expected(), "{what}: released again");
    }

    fn assert_held(&self, what: &str) {
        assert_eq!(self.releases(), 0, "{what}: released too early");
    }
}

static STATIC_BUFFER: [u8; SIZE] = [0x5A; SIZE];

/// An owner of bytes that counts its drops.
struct CountedBuffer {
    data: Vec<u8>,
    drops: Arc<AtomicUsize>,
}

impl CountedBuffer {
    fn new(fill: u8) -> (Self, Arc<AtomicUsize>) {
        let drops = Arc::new(AtomicUsize::new(0));
        let buffer = CountedBuffer {
            data: vec![fill; SIZE],
            drops: Arc::clone(&drops),
        };
        (buffer, drops)
    }
}

impl AsRef<[u8]> for CountedBuffer {
    fn as_ref(&self) -> &[u8] {
        &self.data
    }
}

impl Drop for CountedBuffer {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

/// A message of `kind` whose `SIZE` bytes are handed over without a copy,
/// and the probe counting the releases of its buffer.
fn zero_copy(kind: Kind) -> (Message, Probe) {
    FREES.store(0, Ordering::SeqCst);
    WATCHED.store(0, Ordering::SeqCst);
    let (msg, pointer, probe) = match kind {
        Kind::Vec => {
            let data = vec![1u8; SIZE];
            let pointer = data.as_ptr();
            WATCHED.store(pointer as usize, Ordering::SeqCst);
            (Message::from(data), pointer, Probe::Allocation)
        }
        Kind::Boxed => {
            let data: Box<[u8]> = vec![2u8; SIZE].into_boxed_slice();
            let pointer = data.as_ptr();
            WATCHED.store(pointer as usize, Ordering::SeqCst);
            (Message::from(data), pointer, Probe::Allocation)
        }
        Kind::Static => (
            Message::from_static(&STATIC_BUFFER),
            STATIC_BUFFER.as_ptr(),
            Probe::Static,
        ),
        Kind::Owner => {
            let (owner, drops) = CountedBuffer::new(3);
            let pointer = owner.data.as_ptr();
            (
                Message::from_owner(owner),
                pointer,
                Probe::Owner(drops, None),
            )
        }
        Kind::Tracked => {
            let (owner, drops) = CountedBuffer::new(4);
            let pointer = owner.data.as_ptr();
            let (msg, tracker) = Message::tracked(owner);
            (msg, pointer, Probe::Owner(drops, Some(tracker)))
        }
        #[cfg(feature = "bytes")]
        Kind::Bytes => {
            let (owner, drops) = CountedBuffer::new(5);
            let data = bytes::Bytes::from_owner(owner);
            let pointer = data.as_ptr();
            (Message::from(data), pointer, Probe::Owner(drops, None))
        }
    };
    assert_eq!(msg.as_ptr(), pointer, "{kind:?}: the buffer was copied");
    (msg, probe)
}

/// A PUSH socket connected to a PULL socket over inproc in a new context.
fn push_pull(ctx: &Context, name: &str) -> (zmq::Socket, zmq::Socket) {
    let pull = socket(ctx, SocketType::Pull);
    pull.bind(&format!("inproc://{name}")).unwrap();
    let push = socket(ctx, SocketType::Push);
    push.connect(&format!("inproc://{name}")).unwrap();
    (push, pull)
}

#[test]
fn delivered_buffers_are_released_once_when_the_receiver_drops_them() {
    let _serial = one_at_a_time();
    let ctx = Context::new().unwrap();
    let (push, pull) = push_pull(&ctx, "delivered");
    for &kind in KINDS {
        let (msg, probe) = zero_copy(kind);
        push.send(msg).unwrap();
        let received = pull.recv().unwrap();
        // inproc passes the buffer itself: the receiver holds it now.
        assert_eq!(received.len(), SIZE);
        probe.assert_held(&format!("{kind:?} received"));
        drop(received);
        probe.assert_released(&format!("{kind:?} delivered"));
    }
}

#[test]
fn buffers_sent_over_tcp_are_released_once_after_they_are_written() {
    let _serial = one_at_a_time();
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let push = socket(&ctx, SocketType::Push);
    push.connect(&pull.last_endpoint().unwrap()).unwrap();
    for &kind in KINDS {
        let (msg, probe) = zero_copy(kind);
        push.send(msg).unwrap();
        let received = pull.recv().unwrap();
        assert_eq!(received.len(), SIZE);
        // The receiver holds a copy read from the wire; the sender's buffer
        // is released by the I/O thread once written.
        probe.assert_released(&format!("{kind:?} over tcp"));
    }
}

#[test]
fn a_failed_send_releases_the_buffer_once() {
    let _serial = one_at_a_time();
    let ctx = Context::new().unwrap();
    // A PUSH with no peer cannot queue anything: Again under DONTWAIT.
    let lonely = socket(&ctx, SocketType::Push);
    // A REQ must receive before it sends again: a second send is refused.
    let (req, rep) = (socket(&ctx, SocketType::Req), socket(&ctx, SocketType::Rep));
    rep.bind("inproc://failed-send").unwrap();
    req.connect("inproc://failed-send").unwrap();
    req.send("first request").unwrap();

    for &kind in KINDS {
        let (msg, probe) = zero_copy(kind);
        let error = lonely.send_with(msg, SendFlags::DONTWAIT).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Again);
        probe.assert_released(&format!("{kind:?} refused with Again"));

        let (msg, probe) = zero_copy(kind);
        let error = req.send(msg).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidState);
        probe.assert_released(&format!("{kind:?} refused by REQ"));

        // Sent by reference, a refused message keeps its buffer until the
        // caller drops it.
        let (mut msg, probe) = zero_copy(kind);
        let error = lonely.send_with(&mut msg, SendFlags::DONTWAIT).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Again);
        assert_eq!(msg.len(), SIZE);
        probe.assert_held(&format!("{kind:?} kept after a refused send"));
        drop(msg);
        probe.assert_released(&format!("{kind:?} dropped after a refused send"));
    }
}

#[test]
fn a_multipart_send_that_fails_releases_every_buffer_once() {
    let _serial = one_at_a_time();
    let ctx = Context::new().unwrap();
    let lonely = socket(&ctx, SocketType::Push);
    for &kind in KINDS {
        let (msg, probe) = zero_copy(kind);
        // The first frame is refused; the message is dropped with the rest.
        let error = lonely
            .send_multipart_with([msg, Message::from("tail")], SendFlags::DONTWAIT)
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Again);
        probe.assert_released(&format!("{kind:?} as a refused first frame"));

        let (msg, probe) = zero_copy(kind);
        let error = lonely
            .send_multipart_with([Message::from("head"), msg], SendFlags::DONTWAIT)
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Again);
        probe.assert_released(&format!("{kind:?} behind a refused first frame"));
    }
}

/// Queues one message of `kind` where nobody receives it, then ends the
/// context with `end`; the buffer must be released exactly once by then.
fn released_when_the_context_ends_with_it_queued(
    kind: Kind,
    queue: &str,
    end: fn(Context, Vec<zmq::Socket>),
) {
    let ctx = Context::new().unwrap();
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let (msg, probe) = zero_copy(kind);
    let sockets = match queue {
        // Connected to a PULL that never receives: the message waits in
        // the pipe between them.
        "inproc" => {
            let (push, pull) = push_pull(&ctx, "queued");
            push.send(msg).unwrap();
            vec![push, pull]
        }
        // Connected to a TCP listener that never speaks ZMTP: the
        // handshake never completes, so the message waits in the pipe.
        "tcp" => {
            let push = socket(&ctx, SocketType::Push);
            push.connect(&format!("tcp://{}", silent.local_addr().unwrap()))
                .unwrap();
            push.send(msg).unwrap();
            vec![push]
        }
        _ => unreachable!("queue {queue}"),
    };
    probe.assert_held(&format!("{kind:?} queued on {queue}"));
    watchdog(TIMEOUT, "ending the context", move || end(ctx, sockets));
    probe.assert_released(&format!("{kind:?} queued on {queue} at termination"));
    drop(silent);
}

#[test]
fn terminating_the_context_releases_queued_buffers_once() {
    let _serial = one_at_a_time();
    for &kind in KINDS {
        for queue in ["inproc", "tcp"] {
            // Sockets closed (LINGER 0), then the last context handle.
            released_when_the_context_ends_with_it_queued(kind, queue, |ctx, sockets| {
                drop(sockets);
                drop(ctx);
            });
            // The context handle dropped first: the sockets keep it alive
            // until the last one closes.
            released_when_the_context_ends_with_it_queued(kind, queue, |ctx, sockets| {
                drop(ctx);
                drop(sockets);
            });
            // zmq_ctx_shutdown while the sockets are open, then close them.
            released_when_the_context_ends_with_it_queued(kind, queue, |ctx, sockets| {
                ctx.shutdown().unwrap();
                drop(sockets);
                drop(ctx);
            });
        }
    }
}

#[test]
fn a_queued_buffer_outlives_a_finite_linger_then_is_released_once() {
    let _serial = one_at_a_time();
    for &kind in KINDS {
        released_when_the_context_ends_with_it_queued(kind, "tcp", |ctx, sockets| {
            for socket in &sockets {
                socket
                    .set(sockopt::Linger, Some(Duration::from_millis(50)))
                    .unwrap();
            }
            drop(sockets);
            drop(ctx);
        });
    }
}
