//! The draft thread-safe socket types: SERVER/CLIENT shared across threads,
//! CHANNEL, SCATTER/GATHER, PEER, and the options and checks they share
//! with classic sockets.
#![cfg(feature = "draft")]

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use zmq::{
    Context, ErrorKind, Message, RecvFlags, SendFlags, ThreadSafeSocket, ThreadSafeType, sockopt,
};

const TIMEOUT: Duration = Duration::from_secs(5);

/// A thread-safe socket whose receives give up after TIMEOUT.
fn socket(ctx: &Context, kind: ThreadSafeType) -> ThreadSafeSocket {
    let socket = ctx.thread_safe_socket(kind).unwrap();
    socket.set(sockopt::RcvTimeo, Some(TIMEOUT)).unwrap();
    socket.set(sockopt::SndTimeo, Some(TIMEOUT)).unwrap();
    socket.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
    socket
}

#[test]
fn thread_safe_socket_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<ThreadSafeSocket>();
    assert_send_sync::<Arc<ThreadSafeSocket>>();
}

#[test]
fn one_server_socket_serves_clients_from_two_threads_at_once() {
    const CLIENTS: usize = 4;
    const REQUESTS: usize = 50;
    let ctx = Context::new().unwrap();
    let server = Arc::new(socket(&ctx, ThreadSafeType::Server));
    server.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = server.last_endpoint().unwrap();

    // Two threads receive and reply on the same socket at the same time;
    // each counts what it handled and stops on a "stop" message.
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                let mut handled = 0;
                loop {
                    let request = server.recv().unwrap();
                    let peer = request.routing_id().expect("SERVER stamps routing ids");
                    if request == "stop" {
                        return handled;
                    }
                    let mut reply = Message::from(request.to_vec());
                    reply.set_routing_id(peer).unwrap();
                    server.send(reply).unwrap();
                    handled += 1;
                }
            })
        })
        .collect();

    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let client = socket(&ctx, ThreadSafeType::Client);
            client.connect(&endpoint).unwrap();
            std::thread::spawn(move || {
                for r in 0..REQUESTS {
                    let body = format!("client {c} request {r}");
                    client.send(body.as_str()).unwrap();
                    // Each reply comes back to the client that asked.
                    assert_eq!(client.recv().unwrap(), body.as_str());
                }
                client
            })
        })
        .collect();
    let clients: Vec<_> = clients.into_iter().map(|c| c.join().unwrap()).collect();

    for client in clients.iter().take(2) {
        client.send("stop").unwrap();
    }
    let handled: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert_eq!(handled, CLIENTS * REQUESTS);
}

#[test]
fn server_reply_to_an_unknown_routing_id_is_host_unreachable() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, ThreadSafeType::Server);
    server.bind("inproc://unknown-peer").unwrap();
    let err = server.send_to(12345, "lost").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HostUnreachable);
}

#[test]
fn sndmore_is_refused_because_messages_are_single_frames() {
    let ctx = Context::new().unwrap();
    let client = socket(&ctx, ThreadSafeType::Client);
    let err = client.send_with("part", SendFlags::SNDMORE).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("SNDMORE"), "{err}");
}

#[test]
fn thread_safe_sockets_offer_no_file_descriptor() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, ThreadSafeType::Server);
    let err = server.get(sockopt::Fd).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotSupported);
    assert!(err.to_string().contains("Poller"), "{err}");
}

#[test]
fn options_are_read_and_written_like_on_classic_sockets() {
    let ctx = Context::new().unwrap();
    let dish = socket(&ctx, ThreadSafeType::Dish);
    assert_eq!(dish.get(sockopt::RcvTimeo).unwrap(), Some(TIMEOUT));
    dish.set(sockopt::RcvHwm, 77).unwrap();
    assert_eq!(dish.get(sockopt::RcvHwm).unwrap(), 77);
    assert_eq!(dish.socket_type(), ThreadSafeType::Dish);
    assert_eq!(
        ThreadSafeType::from_raw(dish.socket_type().to_raw()).unwrap(),
        ThreadSafeType::Dish
    );
    assert!(ThreadSafeType::from_raw(zmq::sys::ZMQ_PAIR).is_err());
}

#[test]
fn bad_endpoints_are_errors_not_panics() {
    let ctx = Context::new().unwrap();
    let client = socket(&ctx, ThreadSafeType::Client);
    assert_eq!(
        client.connect("tcp://nul\0byte").unwrap_err().kind(),
        ErrorKind::InvalidEndpoint
    );
    assert!(client.bind("nosuch://x").is_err());
}

#[test]
fn receive_times_out_with_again() {
    let ctx = Context::new().unwrap();
    let channel = ctx.thread_safe_socket(ThreadSafeType::Channel).unwrap();
    channel
        .set(sockopt::RcvTimeo, Some(Duration::from_millis(20)))
        .unwrap();
    assert_eq!(channel.recv().unwrap_err().kind(), ErrorKind::Again);
    assert_eq!(
        channel.recv_with(RecvFlags::DONTWAIT).unwrap_err().kind(),
        ErrorKind::Again
    );
}

#[test]
fn channel_is_an_exclusive_pair_in_both_directions() {
    let ctx = Context::new().unwrap();
    let a = socket(&ctx, ThreadSafeType::Channel);
    a.bind("inproc://channel").unwrap();
    let b = socket(&ctx, ThreadSafeType::Channel);
    b.connect("inproc://channel").unwrap();
    a.send("ping").unwrap();
    assert_eq!(b.recv().unwrap(), "ping");
    b.send(vec![1u8; 100]).unwrap();
    assert_eq!(a.recv().unwrap(), [1u8; 100]);
}

#[test]
fn scatter_spreads_messages_over_every_gather() {
    let ctx = Context::new().unwrap();
    let scatter = socket(&ctx, ThreadSafeType::Scatter);
    scatter.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = scatter.last_endpoint().unwrap();
    let gathers: Vec<_> = (0..2)
        .map(|_| {
            let gather = socket(&ctx, ThreadSafeType::Gather);
            gather.connect(&endpoint).unwrap();
            gather
        })
        .collect();
    // Wait until both pipes are up, so round-robin covers both gathers,
    // then drain the probes.
    for gather in &gathers {
        gather
            .set(sockopt::RcvTimeo, Some(Duration::from_millis(50)))
            .unwrap();
    }
    for gather in &gathers {
        for _ in 0..100 {
            scatter.send("probe").unwrap();
            if gather.recv().is_ok() {
                break;
            }
        }
    }
    for gather in &gathers {
        while gather.recv().is_ok() {}
    }

    for i in 0..10 {
        scatter.send(format!("task {i}")).unwrap();
    }
    let mut seen = BTreeSet::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    let per_gather: Vec<usize> = gathers
        .iter()
        .map(|gather| {
            let mut count = 0;
            while seen.len() < 10 {
                match gather.recv_with(RecvFlags::DONTWAIT) {
                    Ok(msg) => {
                        seen.insert(String::from_utf8(msg.to_vec()).unwrap());
                        count += 1;
                    }
                    Err(e) if e.kind() == ErrorKind::Again && count >= 5 => break,
                    Err(e) if e.kind() == ErrorKind::Again => {
                        assert!(
                            Instant::now() < deadline,
                            "tasks missing after 5 s: got {count} here, {seen:?} in all"
                        );
                        std::thread::sleep(Duration::from_millis(5));
                    }
                    Err(e) => panic!("{e}"),
                }
            }
            count
        })
        .collect();
    assert_eq!(seen.len(), 10, "every task delivered once: {seen:?}");
    assert_eq!(per_gather, [5, 5], "round-robin over both gathers");
}

#[test]
fn peers_address_each_other_with_the_routing_id_from_connect_peer() {
    let ctx = Context::new().unwrap();
    let alice = socket(&ctx, ThreadSafeType::Peer);
    alice.bind("tcp://127.0.0.1:*").unwrap();
    let bob = socket(&ctx, ThreadSafeType::Peer);
    let alice_id = bob.connect_peer(&alice.last_endpoint().unwrap()).unwrap();
    assert_ne!(alice_id, 0);

    bob.send_to(alice_id, "hello alice").unwrap();
    let greeting = alice.recv().unwrap();
    assert_eq!(greeting, "hello alice");
    let bob_id = greeting.routing_id().expect("PEER stamps routing ids");
    alice.send_to(bob_id, "hello bob").unwrap();
    let reply = bob.recv().unwrap();
    assert_eq!(reply, "hello bob");
    assert_eq!(reply.routing_id(), Some(alice_id));
}

#[test]
fn connect_peer_is_only_for_peer_sockets() {
    let ctx = Context::new().unwrap();
    let client = socket(&ctx, ThreadSafeType::Client);
    let err = client.connect_peer("inproc://nowhere").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotSupported);
}

#[test]
fn dgram_is_a_classic_socket_type() {
    let ctx = Context::new().unwrap();
    let dgram = ctx.socket(zmq::SocketType::Dgram).unwrap();
    assert_eq!(dgram.get(sockopt::Type).unwrap(), zmq::SocketType::Dgram);
}

#[test]
fn close_reports_success_and_releases_the_context() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, ThreadSafeType::Server);
    server.bind("inproc://closing").unwrap();
    server.close().unwrap();
    ctx.shutdown().unwrap();
}

#[test]
fn thread_name_prefix_is_set_and_read_back_as_text() {
    let ctx = Context::new().unwrap();
    assert_eq!(ctx.thread_name_prefix().unwrap(), "");
    ctx.set_thread_name_prefix("billing").unwrap();
    assert_eq!(ctx.thread_name_prefix().unwrap(), "billing");
    // Four bytes is sizeof(int), which libzmq would read as a number.
    ctx.set_thread_name_prefix("abcd").unwrap();
    assert_eq!(ctx.thread_name_prefix().unwrap(), "abcd");
    ctx.set_thread_name_prefix(&"p".repeat(16)).unwrap();
    assert_eq!(ctx.thread_name_prefix().unwrap(), "p".repeat(16));
    for bad in ["", "seventeen-bytes!!", "nul\0"] {
        let err = ctx.set_thread_name_prefix(bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad:?}");
    }
    ctx.set(zmq::ctxopt::ThreadNamePrefix, 42).unwrap();
    assert_eq!(ctx.thread_name_prefix().unwrap(), "42");
}

#[test]
fn zero_copy_receive_is_a_context_option() {
    let ctx = Context::new().unwrap();
    ctx.set(zmq::ctxopt::ZeroCopyRecv, false).unwrap();
    assert!(!ctx.get(zmq::ctxopt::ZeroCopyRecv).unwrap());
    ctx.set(zmq::ctxopt::ZeroCopyRecv, true).unwrap();
    assert!(ctx.get(zmq::ctxopt::ZeroCopyRecv).unwrap());
}

#[test]
fn dgram_refuses_frames_larger_than_one_udp_datagram() {
    let ctx = Context::new().unwrap();
    let dgram = ctx.socket(zmq::SocketType::Dgram).unwrap();
    dgram.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
    dgram.bind("udp://127.0.0.1:*").unwrap();
    let target = "127.0.0.1:9";
    dgram.send_with(target, SendFlags::SNDMORE).unwrap();
    let err = dgram.send(vec![0u8; 9000]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MessageTooLarge);
    let err = dgram.send(&[0u8; 8193][..]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MessageTooLarge);
    dgram.send(vec![0u8; 8192]).unwrap();
}

#[test]
fn flag_free_and_with_forms_carry_the_same_messages() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, ThreadSafeType::Server);
    server.bind("inproc://flag-free-thread-safe").unwrap();
    let client = socket(&ctx, ThreadSafeType::Client);
    client.connect("inproc://flag-free-thread-safe").unwrap();

    client.send("one").unwrap();
    client.send_with("two", SendFlags::DONTWAIT).unwrap();
    let one = server.recv().unwrap();
    let mut two = Message::new();
    server.recv_msg(&mut two).unwrap();
    assert_eq!((&one[..], &two[..]), (&b"one"[..], &b"two"[..]));
    let peer = one.routing_id().expect("SERVER stamps a routing id");
    assert_eq!(two.routing_id(), Some(peer));

    server.send_to(peer, "three").unwrap();
    server
        .send_to_with(peer, "four", SendFlags::DONTWAIT)
        .unwrap();
    assert_eq!(client.recv_with(RecvFlags::DONTWAIT).unwrap(), "three");
    let mut four = Message::new();
    client
        .recv_msg_with(&mut four, RecvFlags::DONTWAIT)
        .unwrap();
    assert_eq!(four, "four");

    // Nothing left: every receive form says Again under DONTWAIT.
    assert_eq!(
        client.recv_with(RecvFlags::DONTWAIT).unwrap_err().kind(),
        ErrorKind::Again
    );
    assert_eq!(
        client
            .recv_msg_with(&mut four, RecvFlags::DONTWAIT)
            .unwrap_err()
            .kind(),
        ErrorKind::Again
    );
}

#[test]
fn every_send_form_refuses_sndmore() {
    let ctx = Context::new().unwrap();
    let server = socket(&ctx, ThreadSafeType::Server);
    let radio = socket(&ctx, ThreadSafeType::Radio);
    let errors = [
        server
            .send_to_with(1, "part", SendFlags::SNDMORE)
            .unwrap_err(),
        radio
            .send_to_group_with("weather", "part", SendFlags::SNDMORE)
            .unwrap_err(),
        radio
            .send_with(
                Message::from("part"),
                SendFlags::SNDMORE | SendFlags::DONTWAIT,
            )
            .unwrap_err(),
    ];
    for error in errors {
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
        assert!(error.to_string().contains("SNDMORE"), "{error}");
    }
}

#[test]
fn radio_publishes_to_a_group_with_and_without_flags() {
    let ctx = Context::new().unwrap();
    let radio = socket(&ctx, ThreadSafeType::Radio);
    radio.bind("inproc://flag-free-radio").unwrap();
    let dish = socket(&ctx, ThreadSafeType::Dish);
    dish.join("weather").unwrap();
    dish.connect("inproc://flag-free-radio").unwrap();

    // A DISH's join reaches the RADIO asynchronously: publish until the
    // first message gets through, within the deadline.
    let deadline = Instant::now() + TIMEOUT;
    dish.set(sockopt::RcvTimeo, Some(Duration::from_millis(20)))
        .unwrap();
    let first = loop {
        radio.send_to_group("weather", "sunny").unwrap();
        match dish.recv() {
            Ok(msg) => break msg,
            Err(e) if e.kind() == ErrorKind::Again && Instant::now() < deadline => {}
            Err(e) => panic!("no message within {TIMEOUT:?}: {e}"),
        }
    };
    assert_eq!(
        (&first[..], first.group()),
        (&b"sunny"[..], Some("weather"))
    );
    dish.set(sockopt::RcvTimeo, Some(TIMEOUT)).unwrap();
    // Drain what the loop published beyond the first, then one more with
    // flags.
    while dish.recv_with(RecvFlags::DONTWAIT).is_ok() {}
    radio
        .send_to_group_with("weather", "rain", SendFlags::DONTWAIT)
        .unwrap();
    radio.send_to_group("sports", "ignored").unwrap();
    let next = dish.recv().unwrap();
    assert_eq!((&next[..], next.group()), (&b"rain"[..], Some("weather")));
}
