//! Multipart messages and routing envelopes: arbitrary frames (layout:
//! `zmq_fuzz::frames`) built from every kind of sendable (borrowed bytes,
//! `Vec`, `Box`, text, `Bytes`, `Message`, `&mut Message`, mixed in one
//! message through `Frame`), sent whole with `send_multipart` or frame by
//! frame with `SNDMORE`, over PAIR (inproc and tcp), DEALER to ROUTER and
//! REQ to ROUTER (whose envelope the ROUTER must hand back intact), and
//! received with `recv_multipart`, `recv_multipart_messages` or `recv_msg`:
//! what arrives must be exactly what was sent, frame for frame. No frames
//! at all is an `InvalidInput` error that sends nothing.
//!
//! The first byte picks the pattern (bits 0-1), whole or frame by frame
//! (bit 2), the way of receiving (bits 3-4) and the kinds of the frames
//! (bits 5-7); the second how many times each frame's content is repeated
//! (frames of up to 16 KiB, past libzmq's 255-byte short-frame limit and
//! its 8 KiB batch); the rest are the frames.

#![no_main]

use libfuzzer_sys::fuzz_target;
use zmq::{Frame, Message, RecvFlags, SendFlags, Socket, SocketType};
use zmq_fuzz::{Fixture, byte, frames, socket, uninterrupted};

/// The connected pairs, made once: (sender, receiver).
struct Pairs {
    pair_inproc: (Socket, Socket),
    pair_tcp: (Socket, Socket),
    dealer_router: (Socket, Socket),
    req_router: (Socket, Socket),
}

static PAIRS: Fixture<Pairs> = Fixture::new();

fn pairs() -> Pairs {
    let connect = |kind: SocketType, peer: SocketType, endpoint: &str| {
        let server = socket(peer);
        server.bind(endpoint).expect("bind");
        let client = socket(kind);
        client
            .connect(&server.last_endpoint().expect("last endpoint"))
            .expect("connect");
        (client, server)
    };
    Pairs {
        pair_inproc: connect(SocketType::Pair, SocketType::Pair, "inproc://fuzz-pair"),
        pair_tcp: connect(SocketType::Pair, SocketType::Pair, "tcp://127.0.0.1:*"),
        dealer_router: connect(
            SocketType::Dealer,
            SocketType::Router,
            "inproc://fuzz-dealer",
        ),
        req_router: connect(SocketType::Req, SocketType::Router, "inproc://fuzz-req"),
    }
}

/// `frame` as a message built the way `how` picks.
fn message(frame: &[u8], how: usize) -> Message {
    match how % 6 {
        0 => Message::from(frame),
        1 => Message::from(frame.to_vec()),
        2 => Message::from(frame.to_vec().into_boxed_slice()),
        3 => match std::str::from_utf8(frame) {
            Ok(text) => Message::from(text.to_owned()),
            Err(_) => Message::from(frame.to_vec()),
        },
        4 => Message::from(bytes::Bytes::copy_from_slice(frame)),
        _ => {
            let mut msg = Message::with_size(frame.len()).expect("allocate");
            msg.copy_from_slice(frame);
            msg
        }
    }
}

/// `frame` as a `Frame` of the kind `how` picks; `in_place` is the message
/// a `&mut Message` frame lends.
fn frame<'a>(frame: &'a [u8], how: usize, in_place: &'a mut Message) -> Frame<'a> {
    match how % 8 {
        0 => Frame::from(frame),
        1 => Frame::from(frame.to_vec()),
        2 => Frame::from(frame.to_vec().into_boxed_slice()),
        3 => match std::str::from_utf8(frame) {
            Ok(text) => Frame::from(text),
            Err(_) => Frame::from(frame.to_vec()),
        },
        4 => Frame::from(bytes::Bytes::copy_from_slice(frame)),
        5 => {
            *in_place = Message::from(frame);
            Frame::from(in_place)
        }
        _ => Frame::from(message(frame, how / 8)),
    }
}

/// Sends `frame` as one part, as the sendable kind `how` picks.
fn send_one(socket: &Socket, frame: &[u8], how: usize, flags: SendFlags) {
    let sent = match how % 7 {
        0 => socket.send_with(frame, flags),
        1 => socket.send_with(frame.to_vec(), flags),
        2 => socket.send_with(frame.to_vec().into_boxed_slice(), flags),
        3 => match std::str::from_utf8(frame) {
            Ok(text) => socket.send_with(text, flags),
            Err(_) => {
                let owned = frame.to_vec();
                socket.send_with(&owned, flags)
            }
        },
        4 => socket.send_with(bytes::Bytes::copy_from_slice(frame), flags),
        5 => {
            let mut msg = Message::from(frame);
            let sent = socket.send_with(&mut msg, flags);
            assert!(
                sent.is_err() || msg.is_empty(),
                "a sent message is left empty"
            );
            sent
        }
        _ => socket.send_with(message(frame, how / 7), flags),
    };
    sent.expect("send a frame");
}

/// Sends every frame, whole (mixed kinds through `Frame`) or part by part.
fn send_all(socket: &Socket, frames: &[Vec<u8>], whole: bool, kinds: usize) {
    if whole {
        let mut lent: Vec<Message> = frames.iter().map(|_| Message::new()).collect();
        let parts: Vec<Frame<'_>> = frames
            .iter()
            .zip(lent.iter_mut())
            .enumerate()
            .map(|(i, (bytes, in_place))| frame(bytes, kinds + i, in_place))
            .collect();
        socket.send_multipart(parts).expect("send_multipart");
        assert!(
            lent.iter().all(Message::is_empty),
            "a sent message is left empty"
        );
    } else {
        for (i, frame) in frames.iter().enumerate() {
            let more = if i + 1 < frames.len() {
                SendFlags::SNDMORE
            } else {
                SendFlags::empty()
            };
            send_one(socket, frame, kinds + i, more);
        }
    }
}

/// Receives one whole message: with `recv_multipart`,
/// `recv_multipart_messages` (which keeps each frame's `more` flag) or
/// part by part with `recv_msg`.
fn recv_all(socket: &Socket, how: u8) -> Vec<Vec<u8>> {
    match how % 4 {
        0 => uninterrupted(|| socket.recv_multipart()).expect("recv_multipart"),
        1 => {
            let messages = uninterrupted(|| socket.recv_multipart_messages())
                .expect("recv_multipart_messages");
            let last = messages.len() - 1;
            for (i, msg) in messages.iter().enumerate() {
                assert_eq!(
                    msg.more(),
                    i < last,
                    "the more flag of frame {i} of {}",
                    last + 1
                );
            }
            messages.iter().map(|msg| msg.to_vec()).collect()
        }
        _ => {
            let mut frames = Vec::new();
            let mut msg = Message::new();
            loop {
                uninterrupted(|| socket.recv_msg(&mut msg)).expect("recv_msg");
                frames.push(msg.to_vec());
                assert_eq!(msg.more(), socket.more().expect("RCVMORE"));
                if !msg.more() {
                    return frames;
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut data = data;
    let mode = byte(&mut data);
    let repeat = 1 + usize::from(byte(&mut data) % 64);
    let frames: Vec<Vec<u8>> = frames(data)
        .iter()
        .map(|frame| frame.repeat(repeat))
        .collect();
    let whole = mode & 4 != 0;
    let recv_how = (mode >> 3) & 3;
    let kinds = usize::from(mode >> 5);
    let pairs = PAIRS.get(pairs);

    if frames.is_empty() {
        // No frames is refused, and nothing arrives.
        let (tx, rx) = &pairs.pair_inproc;
        let refused = tx
            .send_multipart(Vec::<Vec<u8>>::new())
            .expect_err("sent nothing");
        assert_eq!(refused.kind(), zmq::ErrorKind::InvalidInput);
        let nothing = rx
            .recv_with(RecvFlags::DONTWAIT)
            .expect_err("received from nothing");
        assert_eq!(nothing.kind(), zmq::ErrorKind::Again);
        return;
    }

    match mode % 4 {
        0 | 1 => {
            let (tx, rx) = match mode % 4 {
                0 => &pairs.pair_inproc,
                _ => &pairs.pair_tcp,
            };
            send_all(tx, &frames, whole, kinds);
            assert_eq!(recv_all(rx, recv_how), frames);
        }
        2 => {
            // DEALER -> ROUTER: the ROUTER sees the routing id first and
            // routes the reply back by it.
            let (dealer, router) = &pairs.dealer_router;
            send_all(dealer, &frames, whole, kinds);
            let request = recv_all(router, recv_how);
            assert_eq!(request[1..], frames[..], "the ROUTER changed the frames");
            send_all(router, &request, !whole, kinds);
            assert_eq!(recv_all(dealer, recv_how + 1), frames);
        }
        _ => {
            // REQ -> ROUTER: the envelope is the routing id and an empty
            // delimiter, which the REQ strips from the reply.
            let (req, router) = &pairs.req_router;
            send_all(req, &frames, whole, kinds);
            let request = recv_all(router, recv_how);
            assert!(request[1].is_empty(), "no delimiter after the routing id");
            assert_eq!(request[2..], frames[..], "the ROUTER changed the frames");
            send_all(router, &request, !whole, kinds);
            assert_eq!(recv_all(req, recv_how + 1), frames);
        }
    }
});
