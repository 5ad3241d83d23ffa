//! The reactor: socket and descriptor handlers, one-shot and periodic
//! timers, changes from inside handlers, stopping, and no busy waiting.

use std::os::fd::AsRawFd;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use zmq::reactor::Reactor;
use zmq::{Context, ErrorKind, PollEvents, RecvFlags, Socket, SocketType, sockopt};

/// Runs `body` in a thread and fails the test if it takes longer than
/// 20 s, instead of hanging.
fn watchdog<T: Send + 'static>(body: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || tx.send(body()));
    rx.recv_timeout(Duration::from_secs(20))
        .expect("test timed out")
}

/// A connected PAIR pipe over inproc.
fn pipe(ctx: &Context, name: &str) -> (Socket, Socket) {
    let a = ctx.socket(SocketType::Pair).unwrap();
    a.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
    a.bind(&format!("inproc://{name}")).unwrap();
    let b = ctx.socket(SocketType::Pair).unwrap();
    b.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
    b.connect(&format!("inproc://{name}")).unwrap();
    (a, b)
}

/// CPU time consumed by the calling thread.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0);
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[test]
fn periodic_timer_fires_at_its_period() {
    watchdog(|| {
        let period = Duration::from_millis(40);
        let mut reactor = Reactor::new(Vec::<Instant>::new()).unwrap();
        // The schedule starts when the timer is added, not when the loop
        // runs.
        let added = Instant::now();
        reactor.add_interval(period, |ctx| {
            ctx.state().push(Instant::now());
            if ctx.state().len() == 6 {
                ctx.stop();
            }
            Ok(())
        });
        reactor.run().unwrap();
        let ticks = reactor.into_state();
        assert_eq!(ticks.len(), 6);
        // Never ahead of the schedule: tick k comes at or after k + 1
        // periods. (The schedule is fixed: after a late tick the next one
        // keeps its own deadline, so the gap between two ticks may be short
        // on a loaded machine; a loop that falls behind is tested below.)
        for (k, tick) in (1u32..).zip(&ticks) {
            assert!(
                *tick - added >= period * k,
                "tick {k} after {:?}",
                *tick - added
            );
        }
        // And not grossly late.
        let total = ticks[5] - added;
        assert!(total < period * 6 + Duration::from_secs(2), "{total:?}");
    });
}

#[test]
fn periodic_timer_that_falls_behind_skips_ticks_instead_of_bursting() {
    watchdog(|| {
        let period = Duration::from_millis(40);
        // (when each tick began, when the first one's stall ended)
        let mut reactor = Reactor::new((Vec::<Instant>::new(), None::<Instant>)).unwrap();
        reactor.add_interval(period, move |ctx| {
            let (ticks, stalled_until) = ctx.state();
            ticks.push(Instant::now());
            if ticks.len() == 1 {
                // The first tick holds the loop for four periods: three
                // deadlines pass meanwhile.
                thread::sleep(period * 4);
                *stalled_until = Some(Instant::now());
            }
            if ticks.len() == 4 {
                ctx.stop();
            }
            Ok(())
        });
        reactor.run().unwrap();
        let (ticks, stalled_until) = reactor.into_state();
        let stalled_until = stalled_until.expect("the first tick stalled");
        assert_eq!(ticks.len(), 4);
        // The overdue deadline fires once; the missed ones are dropped, so
        // the schedule starts again from there: one period after the stall
        // for the next tick, two for the one after.
        assert!(ticks[1] >= stalled_until);
        for (k, tick) in (1u32..).zip(&ticks[2..]) {
            assert!(
                *tick - stalled_until >= period * k,
                "a burst: tick {} came {:?} after the stall",
                k + 2,
                *tick - stalled_until
            );
        }
    });
}

#[test]
fn one_shot_timer_fires_once_then_the_loop_idles_without_cpu() {
    watchdog(|| {
        let mut reactor = Reactor::new(0u32).unwrap();
        reactor.add_timeout(Duration::from_millis(20), |ctx| {
            *ctx.state() += 1;
            Ok(())
        });
        // Nothing else is due for 500 ms: the loop must sleep, not spin.
        reactor.add_timeout(Duration::from_millis(500), |ctx| {
            ctx.stop();
            Ok(())
        });
        let cpu_before = thread_cpu_time();
        let start = Instant::now();
        reactor.run().unwrap();
        let cpu = thread_cpu_time() - cpu_before;
        assert!(start.elapsed() >= Duration::from_millis(500));
        assert_eq!(*reactor.state(), 1, "the one-shot timer fired once");
        assert!(
            cpu < Duration::from_millis(100),
            "an idle loop used {cpu:?} of CPU"
        );
    });
}

#[test]
fn socket_handler_receives_and_can_remove_itself() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let (inbox, sender) = pipe(&ctx, "reactor-remove-self");
        let mut reactor = Reactor::new(Vec::<String>::new()).unwrap();
        let handler = reactor.on_recv(inbox, |ctx, _socket, frames| {
            ctx.state()
                .push(String::from_utf8(frames[0].clone()).unwrap());
            if ctx.state().len() == 2 {
                ctx.remove(ctx.current());
            }
            Ok(())
        });
        for text in ["one", "two", "three"] {
            sender.send(text).unwrap();
        }
        reactor.add_timeout(Duration::from_millis(200), |ctx| {
            ctx.stop();
            Ok(())
        });
        reactor.run().unwrap();
        assert_eq!(reactor.state(), &["one", "two"]);
        assert!(reactor.socket(handler).is_none(), "the socket was removed");
    });
}

#[test]
fn handlers_add_timers_and_sockets_and_reach_other_sockets() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let (frontend, client) = pipe(&ctx, "reactor-front");
        let (backend, worker) = pipe(&ctx, "reactor-back");
        worker
            .set(sockopt::RcvTimeo, Some(Duration::from_secs(5)))
            .unwrap();

        #[derive(Default)]
        struct State {
            relayed: u32,
            timer_fired: bool,
            late_socket: Option<Socket>,
        }
        let (late, late_peer) = pipe(&ctx, "reactor-late");
        let mut reactor = Reactor::new(State {
            late_socket: Some(late),
            ..State::default()
        })
        .unwrap();
        let backend = reactor.add_socket(backend, PollEvents::empty(), |_, _| Ok(()));
        reactor.on_recv(frontend, move |ctx, _socket, frames| {
            // Relay to a socket the loop owns, then change the loop.
            ctx.socket(backend)
                .expect("backend is registered")
                .send_multipart(frames)?;
            ctx.state().relayed += 1;
            ctx.add_timeout(Duration::from_millis(10), |ctx| {
                ctx.state().timer_fired = true;
                Ok(())
            });
            if let Some(late) = ctx.state().late_socket.take() {
                ctx.add_socket(late, PollEvents::POLLIN, |ctx, socket| {
                    assert_eq!(socket.recv_string_with(RecvFlags::DONTWAIT)?, "late");
                    ctx.stop();
                    Ok(())
                });
            }
            Ok(())
        });
        client.send("job").unwrap();
        late_peer.send("late").unwrap();
        reactor.run().unwrap();
        assert_eq!(worker.recv_string().unwrap(), "job");
        assert_eq!(reactor.state().relayed, 1);
        // The late socket may win the race against the timer: give the
        // timer its turn.
        reactor.add_timeout(Duration::from_millis(50), |ctx| {
            ctx.stop();
            Ok(())
        });
        reactor.run().unwrap();
        assert!(reactor.state().timer_fired);
    });
}

#[test]
fn timers_can_be_cancelled_by_other_handlers() {
    watchdog(|| {
        let mut reactor = Reactor::new(0u32).unwrap();
        let ticker = reactor.add_interval(Duration::from_millis(10), |ctx| {
            *ctx.state() += 1;
            Ok(())
        });
        reactor.add_timeout(Duration::from_millis(55), move |ctx| {
            ctx.remove(ticker);
            Ok(())
        });
        reactor.add_timeout(Duration::from_millis(200), |ctx| {
            ctx.stop();
            Ok(())
        });
        reactor.run().unwrap();
        let ticks = *reactor.state();
        assert!(
            (1..=6).contains(&ticks),
            "{ticks} ticks before cancellation"
        );
    });
}

#[test]
fn stop_handle_stops_an_idle_loop_from_another_thread() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let (idle, _peer) = pipe(&ctx, "reactor-idle");
        let mut reactor = Reactor::new(()).unwrap();
        reactor.add_socket(idle, PollEvents::POLLIN, |_, _| Ok(()));
        let stop = reactor.stop_handle();
        // Taken before the stopper starts its 100 ms, which may begin
        // before this thread runs again.
        let start = Instant::now();
        let stopper = thread::spawn(move || {
            thread::sleep(Duration::from_millis(100));
            stop.stop();
        });
        reactor.run().unwrap();
        assert!(start.elapsed() >= Duration::from_millis(100));
        stopper.join().unwrap();

        // A stop asked for before run makes it return at once, once.
        reactor.stop_handle().stop();
        reactor.run().unwrap();
        reactor.add_timeout(Duration::from_millis(30), |ctx| {
            ctx.stop();
            Ok(())
        });
        let start = Instant::now();
        reactor.run().unwrap();
        assert!(
            start.elapsed() >= Duration::from_millis(30),
            "the old stop was consumed"
        );
    });
}

#[test]
fn a_handler_error_ends_the_loop_with_that_error() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let (inbox, sender) = pipe(&ctx, "reactor-error");
        let mut reactor = Reactor::new(()).unwrap();
        reactor.add_socket(inbox, PollEvents::POLLIN, |_, socket| {
            socket.recv_string_with(RecvFlags::DONTWAIT).map(drop)
        });
        sender.send([0xffu8, 0xfe]).unwrap();
        let error = reactor.run().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidUtf8);
    });
}

#[test]
fn descriptor_handlers_see_a_readable_pipe() {
    watchdog(|| {
        let (read, mut write) = std::io::pipe().unwrap();
        let mut reactor = Reactor::new(Vec::<u8>::new()).unwrap();
        // The loop keeps the read end (shared here through an Arc) until
        // the source is removed.
        let read = std::sync::Arc::new(read);
        let theirs = std::sync::Arc::clone(&read);
        let token = reactor.add_fd(theirs, PollEvents::POLLIN, |ctx, fd| {
            let mut byte = [0u8; 1];
            // SAFETY: reads one byte into a live buffer from the borrowed,
            // open descriptor.
            let got = unsafe { libc::read(fd.as_raw_fd(), byte.as_mut_ptr().cast(), 1) };
            assert_eq!(got, 1);
            assert!(ctx.events().contains(PollEvents::POLLIN));
            ctx.state().push(byte[0]);
            ctx.stop();
            Ok(())
        });
        std::io::Write::write_all(&mut write, b"x").unwrap();
        reactor.run().unwrap();
        assert_eq!(reactor.state(), b"x");
        assert_eq!(std::sync::Arc::strong_count(&read), 2);
        assert!(reactor.remove(token).is_none());
        assert_eq!(std::sync::Arc::strong_count(&read), 1);
    });
}

#[test]
fn paused_socket_handler_keeps_its_socket_and_messages_until_resumed() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let (inbox, sender) = pipe(&ctx, "reactor-pause");
        let mut reactor = Reactor::new(Vec::<String>::new()).unwrap();
        let handler = reactor.on_recv(inbox, |ctx, _socket, frames| {
            ctx.state()
                .push(String::from_utf8(frames[0].clone()).unwrap());
            if ctx.state().len() == 1 {
                // pyzmq's stop_on_recv: no more calls until resumed.
                ctx.set_events(ctx.current(), PollEvents::empty());
            }
            if ctx.state().len() == 3 {
                ctx.stop();
            }
            Ok(())
        });
        for text in ["one", "two", "three"] {
            sender.send(text).unwrap();
        }
        reactor.add_timeout(Duration::from_millis(100), move |ctx| {
            assert_eq!(ctx.state(), &["one"], "paused handler was called");
            assert!(ctx.socket(handler).is_some(), "pausing closed the socket");
            ctx.state().push("resumed".to_owned());
            ctx.set_events(handler, PollEvents::POLLIN);
            Ok(())
        });
        reactor.run().unwrap();
        assert_eq!(reactor.state(), &["one", "resumed", "two"]);
    });
}
