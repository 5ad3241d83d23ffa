//! The remaining stable calls of zmq.h: bind_to_random_port and
//! send_const.

mod common;

use common::socket;
use zmq::{Context, ErrorKind, SendFlags, SocketType};

#[test]
fn bind_to_random_port_binds_within_the_range_and_reports_the_port() {
    let ctx = Context::new().unwrap();
    let rep = socket(&ctx, SocketType::Rep);
    let port = rep
        .bind_to_random_port("tcp://127.0.0.1", 40000..=60000, 100)
        .unwrap();
    assert!((40000..=60000).contains(&port));
    assert_eq!(
        rep.last_endpoint().unwrap(),
        format!("tcp://127.0.0.1:{port}")
    );
    let req = socket(&ctx, SocketType::Req);
    req.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
    req.send("ping").unwrap();
    assert_eq!(rep.recv_string().unwrap(), "ping");
}

#[test]
fn bind_to_random_port_gives_up_after_max_tries_with_addr_in_use() {
    let ctx = Context::new().unwrap();
    let first = socket(&ctx, SocketType::Pull);
    let port = first
        .bind_to_random_port("tcp://127.0.0.1", 40000..=60000, 100)
        .unwrap();
    let second = socket(&ctx, SocketType::Pull);
    let error = second
        .bind_to_random_port("tcp://127.0.0.1", port..=port, 3)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::AddrInUse);
    let text = error.to_string();
    assert!(
        text.contains(&format!("{port}..={port}")) && text.contains("3 tries"),
        "{text}"
    );
}

#[test]
fn bind_to_random_port_refuses_bad_arguments() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    #[allow(clippy::reversed_empty_ranges)]
    let empty = pull.bind_to_random_port("tcp://127.0.0.1", 50000..=40000, 5);
    assert_eq!(empty.unwrap_err().kind(), ErrorKind::InvalidInput);
    let no_tries = pull.bind_to_random_port("tcp://127.0.0.1", 40000..=60000, 0);
    assert_eq!(no_tries.unwrap_err().kind(), ErrorKind::InvalidInput);
    // A bad address fails at once, not after max_tries.
    let error = pull
        .bind_to_random_port("nosuch://127.0.0.1", 40000..=60000, 100)
        .unwrap_err();
    assert_ne!(error.kind(), ErrorKind::AddrInUse);
}

#[test]
fn send_const_sends_static_bytes_over_tcp_and_inproc() {
    static PAYLOAD: [u8; 1000] = [7; 1000];
    let ctx = Context::new().unwrap();
    for endpoint in ["inproc://send-const", "tcp://127.0.0.1:*"] {
        let pull = socket(&ctx, SocketType::Pull);
        pull.bind(endpoint).unwrap();
        let push = socket(&ctx, SocketType::Push);
        push.connect(&pull.last_endpoint().unwrap()).unwrap();
        push.send_const_with(b"head", SendFlags::SNDMORE).unwrap();
        push.send_const(&PAYLOAD).unwrap();
        let frames = pull.recv_multipart().unwrap();
        assert_eq!(frames, [b"head".to_vec(), PAYLOAD.to_vec()]);
    }
}

#[test]
fn send_const_without_a_peer_and_dontwait_is_again() {
    let ctx = Context::new().unwrap();
    let push = socket(&ctx, SocketType::Push);
    let error = push
        .send_const_with(b"nobody", SendFlags::DONTWAIT)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Again);
}
