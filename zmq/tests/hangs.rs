//! Calls that could wait forever return: the last context with a message
//! for a peer that never comes, a dropped monitor whose socket lives on, a
//! reactor run again after a panic, timeouts too long or streams that
//! never pause, and polls with nothing to wait for.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use common::{TIMEOUT, isolated, watchdog};
use zmq::reactor::Reactor;
use zmq::{
    Context, ErrorKind, Monitor, MonitorEvents, PollEvents, SocketEvent, SocketType, ctxopt,
    sockopt,
};

/// Generous: the default linger is one second.
const RETURNS_WITHIN: Duration = Duration::from_secs(15);

/// A `tcp://` endpoint nobody listens on (a port the OS just freed).
fn absent_peer() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("tcp://{}", listener.local_addr().unwrap())
}

#[test]
fn dropping_the_last_context_with_a_message_for_an_absent_peer_returns() {
    watchdog(RETURNS_WITHIN, "dropping the last context", || {
        let ctx = Context::new().unwrap();
        // No linger set anywhere: the crate's default applies.
        let push = ctx.socket(SocketType::Push).unwrap();
        push.connect(&absent_peer()).unwrap();
        push.send("never delivered").unwrap();
        drop(push);
        drop(ctx);
    });
    watchdog(RETURNS_WITHIN, "dropping after a shutdown", || {
        let ctx = Context::new().unwrap();
        let dealer = ctx.socket(SocketType::Dealer).unwrap();
        dealer.connect(&absent_peer()).unwrap();
        dealer.send("never delivered").unwrap();
        ctx.shutdown().unwrap();
        drop(dealer);
        drop(ctx);
    });
}

#[test]
fn the_context_linger_is_given_to_every_new_socket() {
    let ctx = Context::new().unwrap();
    assert_eq!(ctx.get(ctxopt::Linger).unwrap(), Some(zmq::DEFAULT_LINGER));
    let before = ctx.socket(SocketType::Push).unwrap();
    ctx.set(ctxopt::Linger, None).unwrap();
    let forever = ctx.socket(SocketType::Push).unwrap();
    assert_eq!(forever.get(sockopt::Linger).unwrap(), None);
    ctx.set(ctxopt::Linger, Some(Duration::from_millis(250)))
        .unwrap();
    let quarter = ctx.socket(SocketType::Dealer).unwrap();
    assert_eq!(
        quarter.get(sockopt::Linger).unwrap(),
        Some(Duration::from_millis(250))
    );
    // Sockets already made keep theirs.
    assert_eq!(
        before.get(sockopt::Linger).unwrap(),
        Some(zmq::DEFAULT_LINGER)
    );
    // ZMQ_BLOCKY means a default linger to libzmq: it does here too.
    ctx.set(ctxopt::Blocky, false).unwrap();
    assert_eq!(ctx.get(ctxopt::Linger).unwrap(), Some(Duration::ZERO));
    let unblocky = ctx.socket(SocketType::Push).unwrap();
    assert_eq!(unblocky.get(sockopt::Linger).unwrap(), Some(Duration::ZERO));
    assert!(ctx.set(ctxopt::Linger, Some(Duration::MAX)).is_err());
    forever.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
}

#[test]
fn destroy_returns_within_its_wait_even_when_a_socket_lingers_forever() {
    // The termination it gives up on goes on in the background for good:
    // in a child process, so it does not outlive this test.
    isolated(RETURNS_WITHIN, || {
        let ctx = Context::new().unwrap();
        let push = ctx.socket(SocketType::Push).unwrap();
        push.set(sockopt::Linger, None).unwrap();
        push.connect(&absent_peer()).unwrap();
        push.send("never delivered").unwrap();
        drop(push);
        let error = ctx.destroy(Duration::from_millis(200)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Again);
        assert!(
            error.to_string().contains("did not terminate within"),
            "{error}"
        );
    });
}

#[test]
fn destroy_ends_other_threads_blocking_calls_and_terminates() {
    watchdog(RETURNS_WITHIN, "destroying the context", || {
        let ctx = Context::new().unwrap();
        let pull = ctx.socket(SocketType::Pull).unwrap();
        pull.bind("inproc://destroy-waits").unwrap();
        let waiting = std::thread::spawn(move || pull.recv().map(drop));
        std::thread::sleep(Duration::from_millis(50));
        ctx.destroy(TIMEOUT).unwrap();
        let error = waiting.join().unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Terminated);
    });
}

#[test]
fn a_dropped_monitor_does_not_stall_a_router_with_many_connections() {
    watchdog(
        RETURNS_WITHIN * 2,
        "a router after its monitor was dropped",
        || {
            let ctx = Context::new().unwrap();
            let router = ctx.socket(SocketType::Router).unwrap();
            router.set(sockopt::RcvTimeo, Some(TIMEOUT)).unwrap();
            router.bind("tcp://127.0.0.1:*").unwrap();
            let endpoint = router.last_endpoint().unwrap();
            let monitor = Monitor::new(&router, MonitorEvents::ALL).unwrap();
            drop(monitor);
            // Each connection makes events; with no reader left libzmq's
            // I/O thread blocked sending them, at about the 8th connection.
            let mut dealers = Vec::new();
            for n in 0..50 {
                let dealer = ctx.socket(SocketType::Dealer).unwrap();
                dealer.connect(&endpoint).unwrap();
                dealer.send(format!("hello {n}")).unwrap();
                let frames = router
                    .recv_multipart()
                    .unwrap_or_else(|e| panic!("connection {n}: {e}"));
                assert_eq!(frames[1], format!("hello {n}").as_bytes());
                dealers.push(dealer);
            }
            // Closing everything ends the drain and the context terminates.
            drop(dealers);
            drop(router);
            drop(ctx);
        },
    );
}

#[test]
fn a_monitor_dropped_after_its_socket_closed_lets_the_context_terminate() {
    watchdog(RETURNS_WITHIN, "terminating after a monitor", || {
        let ctx = Context::new().unwrap();
        let rep = ctx.socket(SocketType::Rep).unwrap();
        let monitor = Monitor::new(&rep, MonitorEvents::LISTENING).unwrap();
        rep.bind("tcp://127.0.0.1:*").unwrap();
        drop(rep);
        // MonitorStopped comes last, asked for or not.
        let stopped = monitor
            .wait_for(TIMEOUT, |event| *event == SocketEvent::MonitorStopped)
            .unwrap();
        assert!(stopped.is_some());
        drop(monitor);
        drop(ctx);
    });
}

#[test]
fn monitor_wait_for_ends_at_its_deadline_while_other_events_keep_coming() {
    watchdog(
        RETURNS_WITHIN,
        "waiting for an event that never comes",
        || {
            let ctx = Context::new().unwrap();
            let dealer = ctx.socket(SocketType::Dealer).unwrap();
            dealer
                .set(sockopt::ReconnectIvl, Some(Duration::from_millis(1)))
                .unwrap();
            dealer
                .set(sockopt::ReconnectIvlMax, Duration::from_millis(1))
                .unwrap();
            let monitor = Monitor::new(&dealer, MonitorEvents::ALL).unwrap();
            dealer.connect(&absent_peer()).unwrap();
            // A stream of retries, none of them what is waited for.
            let never = monitor
                .wait_for(Duration::from_millis(300), |event| {
                    *event == SocketEvent::HandshakeSucceeded
                })
                .unwrap();
            assert!(never.is_none());
            // A timeout too long for the clock is no panic.
            let retried = monitor
                .wait_for(Duration::MAX, |event| {
                    matches!(event, SocketEvent::ConnectRetried { .. })
                })
                .unwrap();
            assert!(retried.is_some());
        },
    );
}

#[test]
fn a_reactor_run_again_after_a_handler_panicked_handles_what_was_pending() {
    watchdog(RETURNS_WITHIN, "running a reactor after a panic", || {
        let ctx = Context::new().unwrap();
        let inbox = ctx.socket(SocketType::Pull).unwrap();
        inbox.bind("inproc://reactor-panic").unwrap();
        let sender = ctx.socket(SocketType::Push).unwrap();
        sender.connect("inproc://reactor-panic").unwrap();
        let mut reactor = Reactor::new(Vec::<String>::new()).unwrap();
        reactor.on_recv(inbox, |ctx, _, frames| {
            let text = String::from_utf8(frames[0].clone()).unwrap();
            assert_ne!(text, "boom", "the handler panics on boom");
            ctx.state().push(text);
            ctx.stop();
            Ok(())
        });
        sender.send("boom").unwrap();
        sender.send("next").unwrap();
        let panicked = catch_unwind(AssertUnwindSafe(|| reactor.run()));
        assert!(panicked.is_err(), "the panic reaches the caller");
        // Before, the handler was lost: the loop spun on the pending
        // message at full speed and never delivered it.
        reactor.run().unwrap();
        assert_eq!(reactor.state(), &["next"]);
    });
}

#[test]
fn a_reactor_keeps_its_timers_after_one_panicked() {
    watchdog(RETURNS_WITHIN, "timers after a panic", || {
        let mut reactor = Reactor::new(0u32).unwrap();
        reactor.add_timeout(Duration::ZERO, |_| panic!("one-shot"));
        reactor.add_interval(Duration::from_millis(5), |ctx| {
            *ctx.state() += 1;
            if *ctx.state() == 3 {
                ctx.stop();
            }
            Ok(())
        });
        assert!(catch_unwind(AssertUnwindSafe(|| reactor.run())).is_err());
        // The one-shot timer counts as run; the interval goes on.
        reactor.run().unwrap();
        assert_eq!(*reactor.state(), 3);
    });
}

#[test]
fn timers_too_far_ahead_never_fire_and_leave_the_loop_working() {
    watchdog(RETURNS_WITHIN, "a reactor with far timers", || {
        let mut reactor = Reactor::new(false).unwrap();
        // Instant + Duration::MAX overflowed: a panic, from safe input.
        reactor.add_timeout(Duration::MAX, |_| panic!("never due"));
        reactor.add_interval(Duration::MAX, |_| panic!("never due"));
        reactor.add_timeout(Duration::from_millis(10), |ctx| {
            *ctx.state() = true;
            ctx.stop();
            Ok(())
        });
        reactor.run().unwrap();
        assert!(*reactor.state());
    });
}

#[test]
fn a_poll_with_nothing_to_wait_for_and_no_timeout_is_refused() {
    watchdog(RETURNS_WITHIN, "polling nothing forever", || {
        let error = zmq::poll(&mut [], None).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert!(error.to_string().contains("never return"), "{error}");
        let ctx = Context::new().unwrap();
        let pull = ctx.socket(SocketType::Pull).unwrap();
        assert!(pull.poll(PollEvents::empty(), None).is_err());
        // With a timeout it is a sleep, as asked.
        assert_eq!(
            zmq::poll(&mut [], Some(Duration::from_millis(1))).unwrap(),
            0
        );
        assert!(
            pull.poll(PollEvents::empty(), Some(Duration::ZERO))
                .unwrap()
                .is_empty()
        );
    });
}
