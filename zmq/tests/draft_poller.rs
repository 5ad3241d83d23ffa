//! `Poller<T>` over zmq_poller: user data per registration, mixed classic
//! and thread-safe sockets and file descriptors, and `zmq_poller_fd`.
#![cfg(feature = "draft")]

use std::collections::BTreeSet;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use zmq::{Context, ErrorKind, PollEvents, Poller, RecvFlags, SocketType, ThreadSafeType};

const TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Pair,
    Server,
    Pipe,
}

#[test]
fn wait_all_reports_the_user_data_of_every_ready_socket_and_fd() {
    let ctx = Context::new().unwrap();
    let pair_a = ctx.socket(SocketType::Pair).unwrap();
    pair_a.bind("inproc://poller-pair").unwrap();
    let pair_b = ctx.socket(SocketType::Pair).unwrap();
    pair_b.connect("inproc://poller-pair").unwrap();
    let server = ctx.thread_safe_socket(ThreadSafeType::Server).unwrap();
    server.bind("inproc://poller-server").unwrap();
    let client = ctx.thread_safe_socket(ThreadSafeType::Client).unwrap();
    client.connect("inproc://poller-server").unwrap();
    let (mut pipe_in, pipe_out) = UnixStream::pair().unwrap();

    let mut poller = Poller::new().unwrap();
    poller
        .add(&pair_b, PollEvents::POLLIN, Source::Pair)
        .unwrap();
    poller
        .add(&server, PollEvents::POLLIN, Source::Server)
        .unwrap();
    poller
        .add_fd(pipe_out.as_raw_fd(), PollEvents::POLLIN, Source::Pipe)
        .unwrap();
    assert_eq!(poller.len(), 3);

    let mut events = Vec::new();
    assert_eq!(
        poller.wait_all(&mut events, Some(Duration::ZERO)).unwrap(),
        0
    );

    pair_a.send("to pair").unwrap();
    client.send("to server").unwrap();
    pipe_in.write_all(b"x").unwrap();

    // Events may surface over several waits; collect until all three have.
    let deadline = Instant::now() + TIMEOUT;
    let mut seen = BTreeSet::new();
    while seen.len() < 3 && Instant::now() < deadline {
        poller.wait_all(&mut events, Some(TIMEOUT)).unwrap();
        for event in &events {
            assert!(event.is_readable());
            seen.insert(*event.data());
            match event.data() {
                Source::Pair => assert!(event.is_socket(&pair_b) && event.fd().is_none()),
                Source::Server => assert!(event.is_socket(&server)),
                Source::Pipe => assert_eq!(event.fd(), Some(pipe_out.as_raw_fd())),
            }
        }
        drop(events.drain(..));
        // Consume what was reported so only new readiness shows next time.
        if seen.contains(&Source::Pair) {
            let _ = pair_b.recv_with(RecvFlags::DONTWAIT);
        }
        if seen.contains(&Source::Server) {
            let _ = server.recv_with(RecvFlags::DONTWAIT);
        }
    }
    assert_eq!(
        seen,
        BTreeSet::from([Source::Pair, Source::Server, Source::Pipe])
    );
}

#[test]
fn wait_returns_none_when_the_timeout_passes() {
    let ctx = Context::new().unwrap();
    let dish = ctx.thread_safe_socket(ThreadSafeType::Dish).unwrap();
    let mut poller = Poller::new().unwrap();
    poller.add(&dish, PollEvents::POLLIN, ()).unwrap();
    assert!(
        poller
            .wait(Some(Duration::from_millis(10)))
            .unwrap()
            .is_none()
    );
    assert!(poller.wait(Some(Duration::ZERO)).unwrap().is_none());
}

#[test]
fn waiting_forever_on_an_empty_poller_is_an_error() {
    let poller: Poller<'_, ()> = Poller::new().unwrap();
    let err = poller.wait(None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("empty poller"), "{err}");
    assert!(
        poller
            .wait(Some(Duration::from_millis(1)))
            .unwrap()
            .is_none()
    );
}

#[test]
fn removing_a_socket_returns_its_data_and_stops_its_events() {
    let ctx = Context::new().unwrap();
    let a = ctx.socket(SocketType::Pair).unwrap();
    a.bind("inproc://poller-remove").unwrap();
    let b = ctx.socket(SocketType::Pair).unwrap();
    b.connect("inproc://poller-remove").unwrap();
    a.send("x").unwrap();

    let mut poller = Poller::new().unwrap();
    poller
        .add(&b, PollEvents::POLLIN, String::from("b"))
        .unwrap();
    let event = poller.wait(Some(TIMEOUT)).unwrap().expect("b is readable");
    assert_eq!(event.data(), "b");

    assert_eq!(poller.remove(&b).unwrap(), "b");
    assert!(poller.is_empty());
    assert_eq!(poller.remove(&b).unwrap_err().kind(), ErrorKind::NotFound);
    assert!(
        poller
            .wait(Some(Duration::from_millis(10)))
            .unwrap()
            .is_none()
    );
}

#[test]
fn modify_changes_the_events_waited_for() {
    let ctx = Context::new().unwrap();
    let a = ctx.socket(SocketType::Pair).unwrap();
    a.bind("inproc://poller-modify").unwrap();
    let b = ctx.socket(SocketType::Pair).unwrap();
    b.connect("inproc://poller-modify").unwrap();

    let mut poller = Poller::new().unwrap();
    poller.add(&a, PollEvents::POLLIN, 1).unwrap();
    assert!(
        poller
            .wait(Some(Duration::from_millis(10)))
            .unwrap()
            .is_none()
    );
    poller.modify(&a, PollEvents::POLLOUT).unwrap();
    let event = poller.wait(Some(TIMEOUT)).unwrap().expect("a can send");
    assert!(event.is_writable() && !event.is_readable());
    assert_eq!(*event.data(), 1);
}

#[test]
fn registering_twice_or_modifying_unknown_targets_is_an_error() {
    let ctx = Context::new().unwrap();
    let a = ctx.socket(SocketType::Pair).unwrap();
    let b = ctx.socket(SocketType::Pair).unwrap();
    let mut poller = Poller::new().unwrap();
    poller.add(&a, PollEvents::POLLIN, 'a').unwrap();
    assert_eq!(
        poller.add(&a, PollEvents::POLLIN, 'x').unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        poller.modify(&b, PollEvents::POLLIN).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        poller.modify_fd(0, PollEvents::POLLIN).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(poller.remove_fd(0).unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(poller.len(), 1);
}

#[test]
fn fd_registrations_can_be_modified_and_removed() {
    let (_pipe_in, pipe_out) = UnixStream::pair().unwrap();
    let fd = pipe_out.as_raw_fd();
    let mut poller = Poller::new().unwrap();
    poller.add_fd(fd, PollEvents::POLLIN, "pipe").unwrap();
    assert!(poller.wait(Some(Duration::ZERO)).unwrap().is_none());
    poller.modify_fd(fd, PollEvents::POLLOUT).unwrap();
    let event = poller
        .wait(Some(TIMEOUT))
        .unwrap()
        .expect("the pipe can be written");
    assert!(event.is_writable());
    assert_eq!(event.fd(), Some(fd));
    assert_eq!(poller.remove_fd(fd).unwrap(), "pipe");
}

#[test]
fn poller_fd_wakes_up_when_a_thread_safe_socket_gets_a_message() {
    let ctx = Context::new().unwrap();
    let server = ctx.thread_safe_socket(ThreadSafeType::Server).unwrap();
    server.bind("inproc://poller-fd").unwrap();
    let client = ctx.thread_safe_socket(ThreadSafeType::Client).unwrap();
    client.connect("inproc://poller-fd").unwrap();

    let mut poller = Poller::new().unwrap();
    poller.add(&server, PollEvents::POLLIN, "server").unwrap();
    let fd = poller.fd().unwrap();
    // The fd is edge-triggered: it signals new activity after a wait has
    // found the socket idle.
    assert!(poller.wait(Some(Duration::ZERO)).unwrap().is_none());

    client.send("wake up").unwrap();
    let mut item = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd; the descriptor is the poller's signaler.
    let ready = unsafe { libc::poll(&mut item, 1, TIMEOUT.as_millis() as libc::c_int) };
    assert_eq!(ready, 1, "the poller's fd became readable");
    let event = poller
        .wait(Some(Duration::ZERO))
        .unwrap()
        .expect("the message is there");
    assert_eq!(*event.data(), "server");
    assert_eq!(server.recv_with(RecvFlags::DONTWAIT).unwrap(), "wake up");
}

#[test]
fn poller_fd_needs_a_thread_safe_socket() {
    let ctx = Context::new().unwrap();
    let pair = ctx.socket(SocketType::Pair).unwrap();
    let mut poller = Poller::new().unwrap();
    assert!(poller.fd().is_err());
    poller.add(&pair, PollEvents::POLLIN, ()).unwrap();
    assert!(poller.fd().is_err());
}

#[test]
fn a_shared_thread_safe_socket_can_be_polled_while_other_threads_send() {
    let ctx = Context::new().unwrap();
    let server = std::sync::Arc::new(ctx.thread_safe_socket(ThreadSafeType::Server).unwrap());
    server.bind("inproc://poller-shared").unwrap();
    let sender = {
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let client = ctx.thread_safe_socket(ThreadSafeType::Client).unwrap();
            client.connect("inproc://poller-shared").unwrap();
            for i in 0..20 {
                client.send(format!("{i}")).unwrap();
            }
            client
        })
    };
    let mut poller = Poller::new().unwrap();
    poller.add(&*server, PollEvents::POLLIN, ()).unwrap();
    let mut received = 0;
    while received < 20 {
        poller
            .wait(Some(TIMEOUT))
            .unwrap()
            .expect("messages keep arriving");
        while server.recv_with(RecvFlags::DONTWAIT).is_ok() {
            received += 1;
        }
    }
    drop(sender.join().unwrap());
    assert_eq!(received, 20);
}

#[test]
fn user_data_is_dropped_exactly_once_with_the_poller_or_on_removal() {
    let ctx = Context::new().unwrap();
    let a = ctx.socket(SocketType::Pair).unwrap();
    let b = ctx.thread_safe_socket(ThreadSafeType::Server).unwrap();
    let data = std::rc::Rc::new(());
    {
        let mut poller = Poller::new().unwrap();
        poller
            .add(&a, PollEvents::POLLIN, std::rc::Rc::clone(&data))
            .unwrap();
        poller
            .add(&b, PollEvents::POLLIN, std::rc::Rc::clone(&data))
            .unwrap();
        assert_eq!(std::rc::Rc::strong_count(&data), 3);
        drop(poller.remove(&a).unwrap());
        assert_eq!(std::rc::Rc::strong_count(&data), 2);
    }
    assert_eq!(std::rc::Rc::strong_count(&data), 1);
}
