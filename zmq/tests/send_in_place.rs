//! Sending a `&mut Message`: libzmq takes the content and leaves the message
//! empty for reuse, or leaves it whole when the send fails.

use std::time::Duration;

use zmq::{Context, ErrorKind, Message, SendFlags, SocketType, sockopt};

const TIMEOUT: Option<Duration> = Some(Duration::from_secs(5));

#[test]
fn message_sent_by_reference_is_left_empty_and_receives_again() {
    let ctx = Context::new().unwrap();
    let client = ctx.socket(SocketType::Req).unwrap();
    client.set(sockopt::RcvTimeo, TIMEOUT).unwrap();
    client.bind("inproc://send-in-place-echo").unwrap();
    let server = ctx.socket(SocketType::Rep).unwrap();
    server.set(sockopt::RcvTimeo, TIMEOUT).unwrap();
    server.connect("inproc://send-in-place-echo").unwrap();

    // One message on each side, reused for every receive and send.
    let mut request = Message::from(vec![7u8; 100]);
    let mut echo = Message::new();
    for round in 0..3u8 {
        request[0] = round;
        client.send(&mut request).unwrap();
        assert!(request.is_empty(), "the content went to libzmq");
        server.recv_msg(&mut echo).unwrap();
        server.send(&mut echo).unwrap();
        assert!(echo.is_empty());
        client.recv_msg(&mut request).unwrap();
        assert_eq!(request.len(), 100);
        assert_eq!((request[0], request[99]), (round, 7));
    }
}

#[test]
fn message_whose_send_fails_keeps_its_content() {
    let ctx = Context::new().unwrap();
    let push = ctx.socket(SocketType::Push).unwrap();
    push.bind("inproc://send-in-place-again").unwrap();
    let mut msg = Message::from("kept for later");

    // No peer yet: a PUSH socket cannot queue the message.
    let err = push.send_with(&mut msg, SendFlags::DONTWAIT).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Again);
    assert_eq!(msg, "kept for later");

    let pull = ctx.socket(SocketType::Pull).unwrap();
    pull.set(sockopt::RcvTimeo, TIMEOUT).unwrap();
    pull.connect("inproc://send-in-place-again").unwrap();
    push.send(&mut msg).unwrap();
    assert!(msg.is_empty());
    assert_eq!(pull.recv_bytes().unwrap(), b"kept for later");
}
