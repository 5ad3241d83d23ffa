//! High water marks, timeouts and linger.

mod common;

use std::time::{Duration, Instant};

use common::{TIMEOUT, socket, watchdog};
use zmq::{Context, ErrorKind, PollEvents, RecvFlags, SendFlags, SocketType, sockopt};

/// A generous bound on a short timeout: half the helper sockets' 5 s, so a
/// test fails if the short timeout it set were ignored. It checks behaviour,
/// not timing precision.
const GAVE_UP_BEFORE: Duration = Duration::from_millis(2500);

#[test]
fn send_into_a_full_hwm_with_dontwait_returns_again() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.set(sockopt::RcvHwm, 4).unwrap();
    pull.bind("inproc://hwm").unwrap();
    let push = socket(&ctx, SocketType::Push);
    push.set(sockopt::SndHwm, 4).unwrap();
    push.connect("inproc://hwm").unwrap();

    let mut queued = 0;
    let error = loop {
        match push.send_with("x", SendFlags::DONTWAIT) {
            Ok(()) => queued += 1,
            Err(error) => break error,
        }
        assert!(queued < 1000, "the HWM never filled");
    };
    assert_eq!(error.kind(), ErrorKind::Again, "{error}");
    assert!(error.is_again());
    // An inproc pipe holds the sender's and the receiver's HWM.
    assert!((4..=8).contains(&queued), "{queued} messages queued");

    // Draining the queue makes room again, once the sender has seen the
    // reader's progress (poll processes libzmq's pending commands).
    for _ in 0..queued {
        pull.recv().unwrap();
    }
    let events = push.poll(PollEvents::POLLOUT, Some(TIMEOUT)).unwrap();
    assert!(events.contains(PollEvents::POLLOUT));
    push.send_with("room again", SendFlags::DONTWAIT).unwrap();
    assert_eq!(pull.recv_string().unwrap(), "room again");
}

#[test]
fn blocking_send_into_a_full_hwm_gives_up_after_sndtimeo() {
    let ctx = Context::new().unwrap();
    let push = socket(&ctx, SocketType::Push);
    push.set(sockopt::SndTimeo, Some(Duration::from_millis(100)))
        .unwrap();
    // No peer at all: nothing can be queued.
    let started = Instant::now();
    let error = push.send("nowhere").unwrap_err();
    let waited = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Again, "{error}");
    // At least the 100 ms asked for, and well below the helper's 5 s
    // SNDTIMEO, which an ignored setting would leave in force.
    assert!(
        waited >= Duration::from_millis(90) && waited < GAVE_UP_BEFORE,
        "waited {waited:?}"
    );
}

#[test]
fn recv_times_out_with_again_after_rcvtimeo() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind("tcp://127.0.0.1:*").unwrap();
    pull.set(sockopt::RcvTimeo, Some(Duration::from_millis(200)))
        .unwrap();

    let started = Instant::now();
    let error = pull.recv().unwrap_err();
    let waited = started.elapsed();
    assert_eq!(error.kind(), ErrorKind::Again, "{error}");
    // At least the 200 ms asked for, and well below the helper's 5 s
    // RCVTIMEO, which an ignored setting would leave in force.
    assert!(
        waited >= Duration::from_millis(190) && waited < GAVE_UP_BEFORE,
        "waited {waited:?}"
    );

    // A zero timeout returns at once; so does DONTWAIT.
    pull.set(sockopt::RcvTimeo, Some(Duration::ZERO)).unwrap();
    assert_eq!(pull.recv().unwrap_err().kind(), ErrorKind::Again);
    pull.set(sockopt::RcvTimeo, None).unwrap();
    assert_eq!(
        pull.recv_with(RecvFlags::DONTWAIT).unwrap_err().kind(),
        ErrorKind::Again
    );
    let mut buffer = [0u8; 8];
    let error = pull
        .recv_into_with(&mut buffer, RecvFlags::DONTWAIT)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Again);
}

#[test]
fn linger_zero_lets_the_context_terminate_with_undelivered_messages() {
    watchdog(TIMEOUT * 2, "context termination with LINGER 0", || {
        // A port that was free a moment ago: nobody accepts there.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);

        let ctx = Context::new().unwrap();
        let push = ctx.socket(SocketType::Push).unwrap();
        push.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
        push.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
        // A connecting socket queues messages before the peer is there.
        for _ in 0..10 {
            push.send_with("undelivered", SendFlags::DONTWAIT).unwrap();
        }
        drop(push);
        drop(ctx);
    });
}

#[test]
fn linger_bounds_how_long_termination_waits() {
    watchdog(
        TIMEOUT * 2,
        "context termination with a short LINGER",
        || {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            drop(listener);

            let ctx = Context::new().unwrap();
            let push = ctx.socket(SocketType::Push).unwrap();
            push.set(sockopt::Linger, Some(Duration::from_millis(100)))
                .unwrap();
            push.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
            push.send_with("undelivered", SendFlags::DONTWAIT).unwrap();
            push.close().unwrap();
            drop(ctx);
        },
    );
}
