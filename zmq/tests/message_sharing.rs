//! Shared and handed-over messages: `Message::clone` shares the buffer,
//! `from_owner` and `tracked` hand any owner's bytes to libzmq, and owners
//! are dropped away from libzmq's threads.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use common::{TIMEOUT, socket};
use zmq::{Context, ErrorKind, Message, SendFlags, SocketType};

/// A PUSH/PULL pair over TCP, so libzmq's I/O thread is the one that
/// releases what is sent.
fn tcp_pair(ctx: &Context) -> (zmq::Socket, zmq::Socket) {
    let pull = socket(ctx, SocketType::Pull);
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let push = socket(ctx, SocketType::Push);
    push.connect(&pull.last_endpoint().unwrap()).unwrap();
    (push, pull)
}

#[test]
fn a_clone_sent_and_the_original_read_share_one_buffer() {
    let ctx = Context::new().unwrap();
    let (push, pull) = tcp_pair(&ctx);
    let original = Message::from(vec![5u8; 64 * 1024]);
    let clone = original.clone();
    assert_eq!(clone.as_ptr(), original.as_ptr());
    push.send(clone).unwrap();
    let received = pull.recv().unwrap();
    assert_eq!(received.len(), 64 * 1024);
    assert!(original.iter().all(|&b| b == 5));
}

#[test]
fn a_clone_keeps_the_more_flag_and_metadata() {
    let ctx = Context::new().unwrap();
    let (push, pull) = tcp_pair(&ctx);
    push.send_multipart(["first", "second"]).unwrap();
    let first = pull.recv().unwrap();
    let clone = first.clone();
    assert!(clone.more());
    assert_eq!(clone.socket_type(), Some("PUSH"));
    assert_eq!(clone, "first");
}

#[test]
fn from_owner_shares_the_owners_bytes_without_a_copy() {
    let shared: Arc<[u8]> = vec![1u8; 4096].into();
    let msg = Message::from_owner(Arc::clone(&shared));
    assert_eq!(msg.as_ptr(), shared.as_ptr());
    assert_eq!(Arc::strong_count(&shared), 2);
    drop(msg);
    // The owner is dropped on the release thread: wait for it.
    let deadline = std::time::Instant::now() + TIMEOUT;
    while Arc::strong_count(&shared) > 1 {
        assert!(std::time::Instant::now() < deadline, "owner never dropped");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn writing_to_a_message_from_an_owner_copies_first() {
    let shared: Arc<[u8]> = vec![1u8; 100].into();
    let mut msg = Message::from_owner(Arc::clone(&shared));
    msg[0] = 9;
    assert_eq!(shared[0], 1, "the owner's bytes were written");
    assert_eq!(msg[0], 9);
    assert_ne!(msg.as_ptr(), shared.as_ptr());
}

#[test]
fn small_owners_are_copied_and_dropped_at_once() {
    let (msg, tracker) = Message::tracked(b"tiny".to_vec());
    assert_eq!(msg, "tiny");
    assert!(tracker.done(), "a copied owner is released at once");
}

#[test]
fn a_tracker_is_done_once_libzmq_has_sent_the_buffer() {
    let ctx = Context::new().unwrap();
    let (push, pull) = tcp_pair(&ctx);
    let payload: Arc<[u8]> = vec![3u8; 100_000].into();
    let (msg, tracker) = Message::tracked(Arc::clone(&payload));
    assert!(!tracker.done());
    push.send(msg).unwrap();
    assert_eq!(pull.recv().unwrap().len(), 100_000);
    tracker.wait(Some(TIMEOUT)).unwrap();
    assert!(tracker.clone().done());
    assert_eq!(
        Arc::strong_count(&payload),
        1,
        "done means the owner is dropped"
    );
}

#[test]
fn a_tracker_waits_for_every_clone() {
    let (msg, tracker) = Message::tracked(vec![0u8; 1000]);
    let clone = msg.clone();
    drop(msg);
    let error = tracker.wait(Some(Duration::from_millis(20))).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Again);
    assert!(error.to_string().contains("still in use"), "{error}");
    drop(clone);
    tracker.wait(Some(TIMEOUT)).unwrap();
}

#[test]
fn a_tracker_of_a_message_never_sent_times_out_with_again() {
    let (msg, tracker) = Message::tracked(vec![0u8; 1000]);
    let error = tracker.wait(Some(Duration::ZERO)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Again);
    drop(msg);
    tracker.wait(Some(TIMEOUT)).unwrap();
}

/// An owner holding a context handle, whose drop releases the handle and
/// then reports on a channel which thread it ran on.
struct ContextOwner {
    bytes: Vec<u8>,
    ctx: Option<Context>,
    dropped: mpsc::Sender<std::thread::ThreadId>,
}

impl AsRef<[u8]> for ContextOwner {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Drop for ContextOwner {
    fn drop(&mut self) {
        // The last handle: this runs zmq_ctx_term, and reports only once
        // that has returned.
        drop(self.ctx.take());
        let _ = self.dropped.send(std::thread::current().id());
    }
}

/// Queues a message whose owner holds a context handle on a PUSH socket
/// whose peer never answers, then drops the test's context handle and the
/// socket, leaving the owner with the last handle. libzmq discards the
/// queued message on one of its own threads (the reaper's or the I/O
/// thread's), so releasing the owner there would run zmq_ctx_term on a
/// thread that zmq_ctx_term waits for: it would never return. Returns the
/// thread the owner was dropped on, once the context has terminated.
fn queue_and_drop_everything_but_the_owner(
    make: impl FnOnce(ContextOwner) -> Message,
) -> std::thread::ThreadId {
    let (dropped, on_thread) = mpsc::channel();
    let ctx = Context::new().unwrap();
    let push = socket(&ctx, SocketType::Push);
    // Nothing listens on port 1 of the loopback: the connection is refused
    // and retried, and the message waits in the connection's pipe.
    push.connect("tcp://127.0.0.1:1").unwrap();
    let owner = ContextOwner {
        bytes: vec![8u8; 50_000],
        ctx: Some(ctx.clone()),
        dropped,
    };
    push.send_with(make(owner), SendFlags::DONTWAIT).unwrap();
    drop(ctx);
    drop(push);
    on_thread
        .recv_timeout(TIMEOUT)
        .expect("dropping the owner holding the last Context never finished")
}

#[test]
fn an_owner_holding_the_last_context_is_dropped_off_libzmqs_threads() {
    let thread = queue_and_drop_everything_but_the_owner(Message::from_owner);
    assert_ne!(thread, std::thread::current().id());
}

#[cfg(feature = "bytes")]
#[test]
fn a_bytes_owner_holding_the_last_context_does_not_deadlock() {
    queue_and_drop_everything_but_the_owner(|owner| Message::from(bytes::Bytes::from_owner(owner)));
}

#[test]
fn a_panicking_owner_drop_does_not_unwind_into_libzmq() {
    static DROPS: AtomicUsize = AtomicUsize::new(0);
    struct Panics(Vec<u8>);
    impl AsRef<[u8]> for Panics {
        fn as_ref(&self) -> &[u8] {
            &self.0
        }
    }
    impl Drop for Panics {
        fn drop(&mut self) {
            DROPS.fetch_add(1, Ordering::SeqCst);
            panic!("owner drop panics");
        }
    }
    let (msg, tracker) = Message::tracked(Panics(vec![0; 100]));
    drop(msg);
    tracker.wait(Some(TIMEOUT)).unwrap();
    assert_eq!(DROPS.load(Ordering::SeqCst), 1);
    // The release thread lives on: another owner is still released.
    let (msg, tracker) = Message::tracked(vec![0u8; 100]);
    drop(msg);
    tracker.wait(Some(TIMEOUT)).unwrap();
}
