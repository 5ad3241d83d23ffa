//! The context's life cycle: sharing between threads, termination after the
//! last socket, and shutdown.

mod common;

use std::sync::atomic::{AtomicI32, Ordering};
use std::thread;
use std::time::Duration;

use common::{TIMEOUT, socket, watchdog};
use zmq::{Context, ErrorKind, Message, RecvFlags, SendFlags, Socket, SocketType, ctxopt};

const fn assert_send_sync_clone<T: Send + Sync + Clone>() {}
const fn assert_send<T: Send>() {}
const _: () = assert_send_sync_clone::<Context>();
const _: () = assert_send::<Socket>();
const _: () = assert_send::<Message>();

/// A context whose I/O threads carry a name prefix no other test uses, so
/// they can be counted in /proc.
fn named_context() -> (Context, String) {
    static NEXT: AtomicI32 = AtomicI32::new(7100);
    let prefix = NEXT.fetch_add(1, Ordering::Relaxed);
    let ctx = Context::new().unwrap();
    ctx.set(ctxopt::ThreadNamePrefix, prefix).unwrap();
    (ctx, format!("{prefix}/ZMQbg"))
}

/// How many threads of this process have a name starting with `prefix`.
fn threads_named(prefix: &str) -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.starts_with(prefix))
        .count()
}

/// Waits (within [`TIMEOUT`]) until `count` threads carry `prefix`: each
/// libzmq thread names itself once it runs, a moment after it starts, and
/// a thread that has been joined leaves `/proc/self/task` a moment after
/// the join returns (the kernel wakes the joiner before it removes the task).
fn wait_for_threads(prefix: &str, count: usize) {
    let deadline = std::time::Instant::now() + TIMEOUT;
    while threads_named(prefix) != count && std::time::Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(threads_named(prefix), count, "threads named {prefix}");
}

#[test]
fn context_terminates_only_after_its_last_socket_closes() {
    let (ctx, prefix) = named_context();
    let a = socket(&ctx, SocketType::Pair);
    let b = socket(&ctx, SocketType::Pair);
    a.bind("inproc://last-socket").unwrap();
    b.connect("inproc://last-socket").unwrap();
    // libzmq starts an I/O thread and a reaper with the first socket.
    wait_for_threads(&prefix, 2);

    drop(ctx);
    // No handle left, but the sockets keep the context alive and working.
    assert_eq!(threads_named(&prefix), 2);
    a.send("still alive").unwrap();
    assert_eq!(b.recv_string().unwrap(), "still alive");

    drop(a);
    assert_eq!(threads_named(&prefix), 2);
    // zmq_ctx_term joins the context's threads before it returns.
    b.close().unwrap();
    wait_for_threads(&prefix, 0);
}

#[test]
fn dropping_the_context_while_a_socket_lives_in_another_thread_does_not_deadlock() {
    watchdog(TIMEOUT * 2, "context drop with a live socket", || {
        let (ctx, prefix) = named_context();
        let server = socket(&ctx, SocketType::Rep);
        server.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = server.last_endpoint().unwrap();
        let (ready, go) = std::sync::mpsc::channel::<()>();

        let worker = thread::spawn(move || {
            // Wait until the main thread has dropped every context handle.
            go.recv().unwrap();
            let request = server.recv_string().unwrap();
            server.send(format!("re: {request}")).unwrap();
            // Closing the last socket terminates the context, here.
        });

        let client = socket(&ctx, SocketType::Req);
        client.connect(&endpoint).unwrap();
        drop(ctx);
        ready.send(()).unwrap();
        client.send("ping").unwrap();
        assert_eq!(client.recv_string().unwrap(), "re: ping");
        drop(client);
        worker.join().unwrap();
        // The context was terminated: its threads are gone.
        wait_for_threads(&prefix, 0);
    });
}

#[test]
fn shutdown_wakes_a_blocked_recv_with_terminated() {
    let ctx = Context::new().unwrap();
    let pull = ctx.socket(SocketType::Pull).unwrap();
    pull.set(zmq::sockopt::RcvTimeo, Some(TIMEOUT * 2)).unwrap();
    pull.bind("inproc://blocked").unwrap();
    let (started, wait_started) = std::sync::mpsc::channel();

    let blocked = thread::spawn(move || {
        started.send(()).unwrap();
        let error = pull.recv().unwrap_err();
        (error, pull)
    });
    wait_started.recv().unwrap();
    // Give the thread a moment to block in zmq_msg_recv; the result is the
    // same if shutdown comes first.
    thread::sleep(Duration::from_millis(50));
    let started_at = std::time::Instant::now();
    ctx.shutdown().unwrap();
    let (error, pull) = blocked.join().unwrap();
    assert_eq!(error.kind(), ErrorKind::Terminated, "{error}");
    assert!(
        started_at.elapsed() < TIMEOUT,
        "recv returned by timeout, not by shutdown"
    );

    // Every later call on the socket fails the same way.
    assert_eq!(
        pull.recv_with(RecvFlags::DONTWAIT).unwrap_err().kind(),
        ErrorKind::Terminated
    );
    assert_eq!(
        pull.bind("inproc://again").unwrap_err().kind(),
        ErrorKind::Terminated
    );
    assert_eq!(
        pull.get(zmq::sockopt::RcvHwm).unwrap_err().kind(),
        ErrorKind::Terminated
    );
    // Closing still works, and lets the context terminate.
    pull.close().unwrap();
}

#[test]
fn every_call_after_shutdown_returns_terminated() {
    let ctx = Context::new().unwrap();
    let push = ctx.socket(SocketType::Push).unwrap();
    push.bind("inproc://after-shutdown").unwrap();
    ctx.shutdown().unwrap();
    // Shutting down twice is harmless.
    ctx.shutdown().unwrap();

    let error = ctx.socket(SocketType::Pull).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Terminated, "{error}");
    for error in [
        push.send_with("x", SendFlags::DONTWAIT).unwrap_err(),
        push.connect("inproc://elsewhere").unwrap_err(),
        push.unbind("inproc://after-shutdown").unwrap_err(),
        push.set(zmq::sockopt::SndHwm, 10).unwrap_err(),
    ] {
        assert_eq!(error.kind(), ErrorKind::Terminated, "{error}");
    }
    drop(push);
}

#[test]
fn clones_share_one_context() {
    let ctx = Context::new().unwrap();
    let clone = ctx.clone();
    assert!(clone.same_as(&ctx));
    assert!(!Context::new().unwrap().same_as(&ctx));
    ctx.set(ctxopt::MaxSockets, 100).unwrap();
    assert_eq!(clone.get(ctxopt::MaxSockets).unwrap(), 100);

    // A socket of one handle reaches an inproc endpoint bound through another.
    let a = clone.socket(SocketType::Pair).unwrap();
    a.bind("inproc://shared").unwrap();
    let handle = thread::spawn(move || {
        let b = socket(&ctx, SocketType::Pair);
        b.connect("inproc://shared").unwrap();
        b.send("across threads").unwrap();
        b
    });
    let b = handle.join().unwrap();
    assert!(b.context().same_as(&clone));
    a.set(zmq::sockopt::RcvTimeo, Some(TIMEOUT)).unwrap();
    assert_eq!(a.recv_string().unwrap(), "across threads");
}

#[test]
fn instance_is_one_process_wide_context() {
    let first = Context::instance().unwrap();
    let second = thread::spawn(|| Context::instance().unwrap())
        .join()
        .unwrap();
    assert!(first.same_as(&second));
}

#[test]
fn with_io_threads_sets_the_pool_size() {
    let ctx = Context::with_io_threads(0).unwrap();
    assert_eq!(ctx.get(ctxopt::IoThreads).unwrap(), 0);
    // Zero I/O threads still serve inproc.
    let a = socket(&ctx, SocketType::Pair);
    a.bind("inproc://no-io-threads").unwrap();
    let b = socket(&ctx, SocketType::Pair);
    b.connect("inproc://no-io-threads").unwrap();
    a.send("inproc only").unwrap();
    assert_eq!(b.recv_string().unwrap(), "inproc only");

    let ctx = Context::with_io_threads(3).unwrap();
    assert_eq!(ctx.get(ctxopt::IoThreads).unwrap(), 3);
    let error = Context::with_io_threads(-1).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
}

#[test]
fn max_sockets_limits_socket_creation() {
    let ctx = Context::new().unwrap();
    ctx.set(ctxopt::MaxSockets, 2).unwrap();
    let _a = ctx.socket(SocketType::Pair).unwrap();
    let _b = ctx.socket(SocketType::Pair).unwrap();
    let error = ctx.socket(SocketType::Pair).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::TooManyOpenFiles, "{error}");
}
