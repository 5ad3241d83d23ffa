//! Polling sockets and file descriptors.

mod common;

use std::io::Write;
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use common::{TIMEOUT, socket};
use zmq::{Context, ErrorKind, PollEvents, PollItem, PollSet, RecvFlags, SocketType, poll};

#[test]
fn poll_reports_which_socket_is_readable() {
    let ctx = Context::new().unwrap();
    let quiet = socket(&ctx, SocketType::Pull);
    quiet.bind("inproc://quiet").unwrap();
    let busy = socket(&ctx, SocketType::Pull);
    busy.bind("tcp://127.0.0.1:*").unwrap();
    let push = socket(&ctx, SocketType::Push);
    push.connect(&busy.last_endpoint().unwrap()).unwrap();
    push.send("work").unwrap();

    let mut items = [
        PollItem::from_socket(&quiet, PollEvents::POLLIN),
        PollItem::from_socket(&busy, PollEvents::POLLIN),
    ];
    assert_eq!(poll(&mut items, Some(TIMEOUT)).unwrap(), 1);
    let ready: Vec<_> = items.iter().filter(|item| item.is_readable()).collect();
    assert_eq!(ready.len(), 1);
    assert!(ready[0].is_socket(&busy) && !ready[0].is_socket(&quiet));
    assert!(!items[0].is_readable() && items[0].revents().is_empty());
    assert_eq!(busy.recv_string_with(RecvFlags::DONTWAIT).unwrap(), "work");
}

#[test]
fn poll_times_out_with_nothing_ready() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind("inproc://nothing").unwrap();
    let mut items = [PollItem::from_socket(&pull, PollEvents::POLLIN)];

    let started = Instant::now();
    assert_eq!(
        poll(&mut items, Some(Duration::from_millis(100))).unwrap(),
        0
    );
    assert!(started.elapsed() >= Duration::from_millis(90));
    assert_eq!(poll(&mut items, Some(Duration::ZERO)).unwrap(), 0);
    assert!(!items[0].is_readable());
    // No items: poll just sleeps for the timeout.
    assert_eq!(poll(&mut [], Some(Duration::from_millis(10))).unwrap(), 0);
}

#[test]
fn poll_reports_writable_sockets_and_events_can_change() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind("inproc://writable").unwrap();
    let push = socket(&ctx, SocketType::Push);
    push.connect("inproc://writable").unwrap();

    let mut items = [PollItem::from_socket(&push, PollEvents::POLLOUT)];
    assert_eq!(poll(&mut items, Some(TIMEOUT)).unwrap(), 1);
    assert!(items[0].is_writable() && !items[0].is_readable());
    items[0].set_events(PollEvents::POLLIN);
    assert_eq!(items[0].events(), PollEvents::POLLIN);
    assert_eq!(poll(&mut items, Some(Duration::ZERO)).unwrap(), 0);
}

#[test]
fn socket_poll_waits_on_one_socket() {
    let ctx = Context::new().unwrap();
    let a = socket(&ctx, SocketType::Pair);
    a.bind("inproc://single").unwrap();
    let b = socket(&ctx, SocketType::Pair);
    b.connect("inproc://single").unwrap();

    let events = b
        .poll(PollEvents::POLLIN, Some(Duration::from_millis(20)))
        .unwrap();
    assert!(events.is_empty());
    a.send("hi").unwrap();
    let events = b
        .poll(PollEvents::POLLIN | PollEvents::POLLOUT, Some(TIMEOUT))
        .unwrap();
    assert_eq!(events, PollEvents::POLLIN | PollEvents::POLLOUT);
    assert!(
        b.get(zmq::sockopt::Events)
            .unwrap()
            .contains(PollEvents::POLLIN)
    );
}

#[test]
fn poll_watches_plain_file_descriptors_beside_sockets() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind("inproc://beside-fd").unwrap();
    let (mut writer, reader) = std::os::unix::net::UnixStream::pair().unwrap();
    let fd = reader.as_raw_fd();

    let mut items = [
        PollItem::from_socket(&pull, PollEvents::POLLIN),
        PollItem::from_fd(fd, PollEvents::POLLIN),
    ];
    assert_eq!(poll(&mut items, Some(Duration::ZERO)).unwrap(), 0);
    writer.write_all(b"!").unwrap();
    assert_eq!(poll(&mut items, Some(TIMEOUT)).unwrap(), 1);
    assert!(items[1].is_readable() && items[1].is_fd(fd) && !items[1].is_error());
    assert!(!items[0].is_readable() && !items[0].is_fd(fd));
    assert!(format!("{:?}", items[1]).contains("POLLIN"));
}

#[test]
fn poll_set_hands_back_the_ready_socket_to_receive_on() {
    let ctx = Context::new().unwrap();
    let quiet = socket(&ctx, SocketType::Pull);
    quiet.bind("inproc://set-quiet").unwrap();
    let busy = socket(&ctx, SocketType::Pull);
    busy.bind("inproc://set-busy").unwrap();
    let push = socket(&ctx, SocketType::Push);
    push.connect("inproc://set-busy").unwrap();

    let mut set = PollSet::with_capacity(2);
    assert!(set.is_empty());
    assert_eq!(set.add(&quiet, PollEvents::POLLIN), 0);
    assert_eq!(set.add(&busy, PollEvents::POLLIN), 1);
    assert_eq!(set.len(), 2);

    // The same set, polled again and again: each poll reports what is ready
    // now, and the socket it hands back can be received on at once.
    for round in 0..3 {
        let sent = format!("job {round}");
        push.send(&sent).unwrap();
        let mut received = Vec::new();
        for (index, ready, events) in set.poll(Some(TIMEOUT)).unwrap() {
            assert_eq!(events, PollEvents::POLLIN);
            let ready = ready.expect("a socket entry has its socket");
            assert!(std::ptr::eq(ready, &busy));
            received.push((index, ready.recv_string_with(RecvFlags::DONTWAIT).unwrap()));
        }
        assert_eq!(received, [(1, sent)]);
        assert!(set.items()[1].is_readable() && !set.items()[0].is_readable());
    }

    // Nothing left: the poll times out and nothing is ready.
    assert_eq!(set.poll(Some(Duration::ZERO)).unwrap().count(), 0);
    assert_eq!(set.ready().count(), 0);
    assert!(std::ptr::eq(set.socket(0).unwrap(), &quiet));
    assert!(set.socket(2).is_none());
}

#[test]
fn poll_set_gives_no_socket_for_a_file_descriptor() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind("inproc://set-beside-fd").unwrap();
    let (mut writer, reader) = std::os::unix::net::UnixStream::pair().unwrap();
    let fd = reader.as_raw_fd();

    let mut set = PollSet::new();
    set.add(&pull, PollEvents::POLLIN);
    let fd_index = set.add_fd(fd, PollEvents::POLLIN);
    writer.write_all(b"!").unwrap();

    let ready: Vec<_> = set.poll(Some(TIMEOUT)).unwrap().collect();
    assert_eq!(ready.len(), 1);
    let (index, socket, events) = ready[0];
    assert_eq!((index, events), (fd_index, PollEvents::POLLIN));
    assert!(socket.is_none());
    assert!(set.socket(fd_index).is_none() && set.items()[fd_index].is_fd(fd));
}

#[test]
fn poll_set_events_change_between_polls() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind("inproc://set-writable").unwrap();
    let push = socket(&ctx, SocketType::Push);
    push.connect("inproc://set-writable").unwrap();

    let mut set = PollSet::new();
    let index = set.add(&push, PollEvents::POLLOUT);
    assert_eq!(set.poll(Some(TIMEOUT)).unwrap().count(), 1);
    set.set_events(index, PollEvents::POLLIN).unwrap();
    assert_eq!(set.poll(Some(Duration::ZERO)).unwrap().count(), 0);
    let error = set.set_events(7, PollEvents::POLLIN).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);

    set.clear();
    assert!(set.is_empty() && set.ready().next().is_none());
}

#[test]
fn a_timeout_too_long_for_libzmq_is_invalid_input_not_a_wrapped_wait() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind("inproc://too-long").unwrap();
    let mut items = [PollItem::from_socket(&pull, PollEvents::POLLIN)];

    let error = poll(&mut items, Some(Duration::MAX)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    let error = pull
        .poll(PollEvents::POLLIN, Some(Duration::MAX))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    let mut set = PollSet::new();
    set.add(&pull, PollEvents::POLLIN);
    let error = set.poll(Some(Duration::MAX)).err().expect("an error");
    assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");

    // Where C's long is 32 bits, a timeout past i32::MAX ms (24.8 days) is
    // refused too, rather than wrapped to a short or negative (infinite)
    // wait. Elsewhere it is valid, and this test would wait for it.
    if std::mem::size_of::<std::ffi::c_long>() < 8 {
        let past_long = Duration::from_millis(u64::from(u32::MAX));
        let error = pull.poll(PollEvents::POLLIN, Some(past_long)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    }
}
