//! The authenticator (`zmq::auth`) fed arbitrary ZAP traffic: a DEALER
//! connected to its ZAP endpoint sends arbitrary frames (layout:
//! `zmq_fuzz::frames`), as a broken or hostile libzmq might. The handler
//! must answer every message that has an envelope delimiter with one
//! well-formed ZAP reply (version, the request id, a known status code,
//! metadata in ZMTP encoding), drop those without, and keep running with
//! no error recorded. A custom handler turns PLAIN credentials into reply
//! metadata, so arbitrary property names and values are encoded too.
//!
//! After each input a valid NULL request goes the same way; its reply
//! proves the input has been handled (requests are answered in order).

#![no_main]

use libfuzzer_sys::fuzz_target;
use zmq::auth::{Authenticator, Credentials, CurvePolicy, Decision, ZapRequest};
use zmq::{PublicKey, Socket, SocketType};
use zmq_fuzz::{Fixture, frames, socket, uninterrupted};

struct Handler {
    /// Kept running for the whole process.
    auth: Authenticator,
    client: Socket,
    pings: u64,
}

static HANDLER: Fixture<Handler> = Fixture::new();

/// The custom handler of the `handler` domain: a PLAIN user name starting
/// with `a` is let in with the password as the value of a property named
/// like the user; `d` is refused with the password as the reason; anything
/// else falls back on the built-in rules.
fn decide(request: &ZapRequest) -> Decision {
    match &request.credentials {
        Credentials::Plain { username, password } if username.starts_with('a') => Decision::Allow {
            user_id: username.clone(),
            metadata: vec![(username.clone(), password.clone().into_bytes())],
        },
        Credentials::Plain { username, password } if username.starts_with('d') => {
            Decision::deny(password.clone())
        }
        _ => Decision::Defer,
    }
}

fn handler() -> Handler {
    let auth = Authenticator::start(zmq_fuzz::context()).expect("start the authenticator");
    auth.deny("192.0.2.1");
    auth.configure_plain("*", [("admin", "secret")]);
    auth.configure_curve("*", CurvePolicy::AllowAny);
    auth.configure_curve("keys", CurvePolicy::keys([PublicKey::from_bytes([7; 32])]));
    auth.set_handler("handler", decide);
    let client = socket(SocketType::Dealer);
    client
        .connect(zmq::auth::ZAP_ENDPOINT)
        .expect("connect to the ZAP endpoint");
    Handler {
        auth,
        client,
        pings: 0,
    }
}

/// Decodes ZMTP metadata: a one-byte name length, the name, a four-byte
/// big-endian value length, the value.
fn decode_metadata(mut data: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut properties = Vec::new();
    while let Some((&name_len, rest)) = data.split_first() {
        let name_len = usize::from(name_len);
        assert!(
            name_len > 0 && rest.len() >= name_len + 4,
            "truncated metadata name"
        );
        let (name, rest) = rest.split_at(name_len);
        let (len, rest) = rest.split_at(4);
        let len = u32::from_be_bytes(len.try_into().expect("4 bytes")) as usize;
        assert!(rest.len() >= len, "truncated metadata value");
        let (value, rest) = rest.split_at(len);
        properties.push((name.to_vec(), value.to_vec()));
        data = rest;
    }
    properties
}

/// Checks a ZAP reply's six frames; returns its request id.
fn check_reply(reply: &[Vec<u8>]) -> Vec<u8> {
    let [version, request_id, status, _text, _user, metadata] = reply else {
        panic!("a ZAP reply of {} frames", reply.len());
    };
    assert_eq!(version, b"1.0");
    assert!(
        [&b"200"[..], b"300", b"400", b"500"].contains(&status.as_slice()),
        "status {status:?}"
    );
    decode_metadata(metadata);
    request_id.clone()
}

fuzz_target!(|data: &[u8]| {
    let mut handler = HANDLER.get(handler);
    let frames = frames(data);

    // What the authenticator is expected to answer: the frames after the
    // first empty one (the envelope delimiter), with the request id at
    // index 1. Without a delimiter there is nowhere to reply to.
    let delimiter = frames.iter().position(|frame| frame.is_empty());
    if !frames.is_empty() {
        handler
            .client
            .send_multipart(frames.iter().copied())
            .expect("send the fuzzed request");
    }

    handler.pings += 1;
    let ping_id = format!("ping {}", handler.pings);
    let ping: [&[u8]; 7] = [
        b"",
        b"1.0",
        ping_id.as_bytes(),
        b"",
        b"127.0.0.1",
        b"",
        b"NULL",
    ];
    handler
        .client
        .send_multipart(ping)
        .expect("send the ping request");

    let recv =
        || uninterrupted(|| handler.client.recv_multipart()).expect("a reply within the deadline");
    if let Some(delimiter) = delimiter {
        // The fuzzed request's reply comes first: its envelope (our frames
        // up to the delimiter; the ROUTER used up the routing id it added),
        // then the six frames of the reply.
        let reply = recv();
        assert_eq!(reply.len(), delimiter + 7, "reply {reply:?}");
        assert_eq!(reply[..=delimiter], frames[..=delimiter]);
        let request_id = check_reply(&reply[delimiter + 1..]);
        let body = &frames[delimiter + 1..];
        assert_eq!(request_id, body.get(1).copied().unwrap_or_default());
    }
    let reply = recv();
    assert_eq!(reply.len(), 7, "ping reply {reply:?}");
    assert!(reply[0].is_empty());
    assert_eq!(
        check_reply(&reply[1..]),
        ping_id.as_bytes(),
        "a reply to nothing"
    );
    assert_eq!(reply[3], b"200", "the ping was refused: {reply:?}");

    assert!(handler.auth.is_running(), "the authenticator stopped");
    if let Some(error) = handler.auth.last_error() {
        panic!("the authenticator recorded an error: {error}");
    }
});
