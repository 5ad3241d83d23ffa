//! The blocking, flag-free send and receive calls, their `_with` forms,
//! mixed frames through `zmq::Frame`/`zmq::frames!`, and the errors of
//! `send_multipart_with`.

mod common;

use common::{Transport, bind, socket};
use zmq::{Context, ErrorKind, Frame, Message, RecvFlags, SendFlags, Socket, SocketType};

/// A connected PAIR of sockets with test timeouts.
fn pair(ctx: &Context, transport: Transport, name: &str) -> (Socket, Socket) {
    let a = socket(ctx, SocketType::Pair);
    let endpoint = bind(&a, transport, name);
    let b = socket(ctx, SocketType::Pair);
    b.connect(&endpoint).unwrap();
    (a, b)
}

/// Nothing is waiting on `socket`.
fn assert_nothing_queued(socket: &Socket) {
    let error = socket.recv_with(RecvFlags::DONTWAIT).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Again, "{error}");
}

over_both_transports! {
    fn every_flag_free_receive_blocks_until_its_frame_arrives(transport: Transport) {
        let ctx = Context::new().unwrap();
        let (a, b) = pair(&ctx, transport, "flag-free-receive");

        a.send("message").unwrap();
        assert_eq!(b.recv().unwrap(), "message");

        a.send(b"msg".to_vec()).unwrap();
        let mut msg = Message::from("old content");
        b.recv_msg(&mut msg).unwrap();
        assert_eq!(msg, "msg");

        a.send(String::from("0123456789")).unwrap();
        let mut buffer = [0u8; 4];
        assert_eq!(b.recv_into(&mut buffer).unwrap(), 10);
        assert_eq!(&buffer, b"0123");

        a.send(&b"bytes"[..]).unwrap();
        assert_eq!(b.recv_bytes().unwrap(), b"bytes");

        a.send(Message::from("text")).unwrap();
        assert_eq!(b.recv_string().unwrap(), "text");

        a.send_multipart(["one", "two"]).unwrap();
        assert_eq!(b.recv_multipart().unwrap(), [b"one".to_vec(), b"two".to_vec()]);

        a.send_multipart(["three", "four"]).unwrap();
        let frames = b.recv_multipart_messages().unwrap();
        assert_eq!(frames, [Message::from("three"), Message::from("four")]);
        assert!(frames[0].more() && !frames[1].more());
        assert_nothing_queued(&b);
    }
}

#[test]
fn every_receive_with_dontwait_fails_with_again_when_nothing_is_queued() {
    let ctx = Context::new().unwrap();
    let (_a, b) = pair(&ctx, Transport::Inproc, "dontwait-receive");
    let dontwait = RecvFlags::DONTWAIT;
    let mut msg = Message::new();
    let mut buffer = [0u8; 8];
    let kinds = [
        b.recv_with(dontwait).map(drop).unwrap_err().kind(),
        b.recv_msg_with(&mut msg, dontwait).unwrap_err().kind(),
        b.recv_into_with(&mut buffer, dontwait).unwrap_err().kind(),
        b.recv_bytes_with(dontwait).map(drop).unwrap_err().kind(),
        b.recv_string_with(dontwait).map(drop).unwrap_err().kind(),
        b.recv_multipart_with(dontwait)
            .map(drop)
            .unwrap_err()
            .kind(),
        b.recv_multipart_messages_with(dontwait)
            .map(drop)
            .unwrap_err()
            .kind(),
    ];
    assert_eq!(kinds, [ErrorKind::Again; 7]);
}

#[test]
fn every_receive_with_dontwait_takes_a_queued_frame() {
    let ctx = Context::new().unwrap();
    let (a, b) = pair(&ctx, Transport::Inproc, "dontwait-queued");
    let dontwait = RecvFlags::DONTWAIT;
    let wait_for_one = |b: &Socket| {
        let events = b
            .poll(zmq::PollEvents::POLLIN, Some(common::TIMEOUT))
            .unwrap();
        assert!(events.contains(zmq::PollEvents::POLLIN));
    };

    a.send("1").unwrap();
    wait_for_one(&b);
    assert_eq!(b.recv_with(dontwait).unwrap(), "1");
    a.send("2").unwrap();
    wait_for_one(&b);
    let mut msg = Message::new();
    b.recv_msg_with(&mut msg, dontwait).unwrap();
    assert_eq!(msg, "2");
    a.send("3").unwrap();
    wait_for_one(&b);
    let mut buffer = [0u8; 1];
    assert_eq!(b.recv_into_with(&mut buffer, dontwait).unwrap(), 1);
    assert_eq!(&buffer, b"3");
    a.send("4").unwrap();
    wait_for_one(&b);
    assert_eq!(b.recv_bytes_with(dontwait).unwrap(), b"4");
    a.send("5").unwrap();
    wait_for_one(&b);
    assert_eq!(b.recv_string_with(dontwait).unwrap(), "5");
    a.send_multipart(["6", "7"]).unwrap();
    wait_for_one(&b);
    assert_eq!(b.recv_multipart_with(dontwait).unwrap(), [b"6", b"7"]);
    a.send_multipart(["8", "9"]).unwrap();
    wait_for_one(&b);
    let frames = b.recv_multipart_messages_with(dontwait).unwrap();
    assert_eq!(frames, [Message::from("8"), Message::from("9")]);
}

#[test]
fn sends_with_dontwait_fail_with_again_when_no_peer_can_take_them() {
    let ctx = Context::new().unwrap();
    // A PUSH with no peer has nowhere to queue a message.
    let push = socket(&ctx, SocketType::Push);
    push.bind("inproc://dontwait-send").unwrap();
    let error = push.send_with("lost", SendFlags::DONTWAIT).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Again, "{error}");
    let error = push
        .send_multipart_with(zmq::frames!["a", b"b".to_vec()], SendFlags::DONTWAIT)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Again, "{error}");

    // Once a peer connects, nothing of the refused messages arrives.
    let pull = socket(&ctx, SocketType::Pull);
    pull.connect("inproc://dontwait-send").unwrap();
    push.send("first delivered").unwrap();
    assert_eq!(pull.recv_multipart().unwrap(), [b"first delivered"]);
}

#[test]
fn send_with_sndmore_builds_one_message_frame_by_frame() {
    let ctx = Context::new().unwrap();
    let (a, b) = pair(&ctx, Transport::Inproc, "send-with-sndmore");
    a.send_with("head", SendFlags::SNDMORE).unwrap();
    a.send_with(b"middle".to_vec(), SendFlags::SNDMORE).unwrap();
    a.send("tail").unwrap();
    assert_eq!(
        b.recv_multipart().unwrap(),
        [&b"head"[..], b"middle", b"tail"]
    );
}

#[test]
fn send_multipart_with_sndmore_is_invalid_input_and_sends_nothing() {
    let ctx = Context::new().unwrap();
    let (a, b) = pair(&ctx, Transport::Inproc, "multipart-sndmore");
    for flags in [SendFlags::SNDMORE, SendFlags::SNDMORE | SendFlags::DONTWAIT] {
        let error = a.send_multipart_with(["x", "y"], flags).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
        assert!(error.to_string().contains("SNDMORE"), "{error}");
    }
    // No frame went out: the next message arrives alone.
    a.send("next").unwrap();
    assert_eq!(b.recv_multipart().unwrap(), [b"next"]);
    assert_nothing_queued(&b);
}

#[test]
fn send_multipart_of_no_frames_is_invalid_input_and_sends_nothing() {
    let ctx = Context::new().unwrap();
    let (a, b) = pair(&ctx, Transport::Inproc, "multipart-empty");
    let errors = [
        a.send_multipart(Vec::<&str>::new()).unwrap_err(),
        a.send_multipart(zmq::frames![]).unwrap_err(),
        a.send_multipart_with(std::iter::empty::<Message>(), SendFlags::DONTWAIT)
            .unwrap_err(),
    ];
    for error in errors {
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
        assert!(error.to_string().contains("at least one frame"), "{error}");
    }
    assert_nothing_queued(&b);
    // An empty frame is a frame: one empty frame is a valid message.
    a.send_multipart([""]).unwrap();
    assert_eq!(b.recv_multipart().unwrap(), [b""]);
}

over_both_transports! {
    fn a_router_envelope_of_mixed_frames_arrives_as_sent(transport: Transport) {
        let ctx = Context::new().unwrap();
        let router = socket(&ctx, SocketType::Router);
        let endpoint = bind(&router, transport, "mixed-envelope");
        let req = socket(&ctx, SocketType::Req);
        req.set(zmq::sockopt::RoutingId, b"client-1").unwrap();
        req.connect(&endpoint).unwrap();

        // The routing id back as a Vec<u8>, beside text.
        req.send("Hello").unwrap();
        let envelope = router.recv_multipart().unwrap();
        assert_eq!(envelope, [&b"client-1"[..], b"", b"Hello"]);
        let identity: Vec<u8> = envelope[0].clone();
        router.send_multipart(zmq::frames![identity, "", "World"]).unwrap();
        assert_eq!(req.recv_string().unwrap(), "World");

        // The routing id back as the Message it arrived in, with an owned
        // String body.
        req.send("Again").unwrap();
        let mut frames = router.recv_multipart_messages().unwrap().into_iter();
        let identity = frames.next().unwrap();
        assert_eq!(identity, "client-1");
        router
            .send_multipart(zmq::frames![identity, b"", String::from("World 2")])
            .unwrap();
        assert_eq!(req.recv_string().unwrap(), "World 2");
    }
}

over_both_transports! {
    fn frames_of_every_sendable_type_arrive_in_order_and_intact(transport: Transport) {
        let ctx = Context::new().unwrap();
        let (a, b) = pair(&ctx, transport, "mixed-types");
        let text = String::from("&String");
        let vec = b"&Vec<u8>".to_vec();
        let large = vec![9u8; 4096];
        let mut in_place = Message::from("&mut Message");
        a.send_multipart(zmq::frames![
            &b"&[u8]"[..],
            b"&[u8; N]",
            *b"[u8; N]",
            "&str",
            &text,
            &vec,
            b"Vec<u8>".to_vec(),
            String::from("String"),
            Box::<[u8]>::from(&b"Box<[u8]>"[..]),
            Message::from("Message"),
            &mut in_place,
            large.clone(),
        ])
        .unwrap();
        assert!(in_place.is_empty(), "a &mut Message is left empty once sent");

        let frames = b.recv_multipart_messages().unwrap();
        let expected: [&[u8]; 12] = [
            b"&[u8]",
            b"&[u8; N]",
            b"[u8; N]",
            b"&str",
            b"&String",
            b"&Vec<u8>",
            b"Vec<u8>",
            b"String",
            b"Box<[u8]>",
            b"Message",
            b"&mut Message",
            &large,
        ];
        assert_eq!(frames.len(), expected.len());
        for (i, (frame, want)) in frames.iter().zip(expected).enumerate() {
            assert_eq!(&frame[..], want, "frame {i}");
            assert_eq!(frame.more(), i + 1 < expected.len(), "more flag of frame {i}");
        }
    }
}

#[test]
fn a_frame_knows_its_size() {
    let frames = zmq::frames!["", "four", vec![0u8; 100], Message::from("ab")];
    let sizes: Vec<usize> = frames.iter().map(Frame::len).collect();
    assert_eq!(sizes, [0, 4, 100, 2]);
    assert!(frames[0].is_empty() && !frames[1].is_empty());
}

#[test]
fn frames_can_be_collected_into_a_vector_for_a_message_built_at_run_time() {
    let ctx = Context::new().unwrap();
    let (a, b) = pair(&ctx, Transport::Inproc, "frames-vec");
    let mut frames: Vec<Frame<'_>> = vec![Frame::from("head")];
    frames.extend((0..3).map(|i| Frame::from(format!("part {i}"))));
    a.send_multipart(frames).unwrap();
    assert_eq!(
        b.recv_multipart().unwrap(),
        [&b"head"[..], b"part 0", b"part 1", b"part 2"]
    );
}

#[test]
fn received_messages_keep_their_metadata() {
    let ctx = Context::new().unwrap();
    let router = socket(&ctx, SocketType::Router);
    let endpoint = bind(&router, Transport::Tcp, "metadata");
    let dealer = socket(&ctx, SocketType::Dealer);
    dealer.connect(&endpoint).unwrap();
    dealer.send_multipart(["", "body"]).unwrap();
    let frames = router.recv_multipart_messages().unwrap();
    assert_eq!(frames.len(), 3);
    for frame in &frames {
        assert_eq!(frame.gets("Socket-Type"), Some("DEALER"));
        assert_eq!(frame.gets("Peer-Address"), Some("127.0.0.1"));
    }
}

#[cfg(feature = "bytes")]
#[test]
fn bytes_frames_mix_with_the_others() {
    let ctx = Context::new().unwrap();
    let (a, b) = pair(&ctx, Transport::Inproc, "frames-bytes");
    let shared = bytes::Bytes::from(vec![5u8; 1000]);
    a.send_multipart(zmq::frames!["head", shared.clone()])
        .unwrap();
    let frames = b.recv_multipart().unwrap();
    assert_eq!(frames, [&b"head"[..], &shared[..]]);
}
