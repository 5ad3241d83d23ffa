//! Decoders of the frames libzmq sends the crate: monitor events
//! (`MonitorEvent::decode`, and `MonitorEvent::recv` on a real socket;
//! with `--features draft` the version 2 events of `MonitorEventV2` too)
//! and a steerable proxy's statistics (`ProxyStatistics::from_frames`), fed
//! arbitrary frames (layout: `zmq_fuzz::frames`). Each must give a value or
//! an `InvalidInput` error, never a panic, and what it decodes must be
//! what the frames say.

#![no_main]

use libfuzzer_sys::fuzz_target;
use zmq::monitor::protocol_error_name;
use zmq::{MonitorEvent, ProxyStatistics, Socket, SocketEvent, SocketType};
use zmq_fuzz::{Fixture, frames, socket, uninterrupted};

/// A PAIR connected over inproc, for sending frames that the decoder then
/// receives as a monitor would.
static PIPE: Fixture<(Socket, Socket)> = Fixture::new();

fn pipe() -> (Socket, Socket) {
    let tx = socket(SocketType::Pair);
    tx.bind("inproc://fuzz-monitor").expect("bind");
    let rx = socket(SocketType::Pair);
    rx.connect("inproc://fuzz-monitor").expect("connect");
    (tx, rx)
}

/// The version 2 decoder: a 64-bit event id, a count, that many 64-bit
/// values, the local and the remote endpoint.
#[cfg(feature = "draft")]
fn monitor_v2(frames: &[&[u8]]) {
    match zmq::monitor::MonitorEventV2::decode(frames) {
        Ok(event) => {
            let n = frames.len();
            assert!(n >= 4, "decoded {n} frames");
            let count = u64::from_ne_bytes(frames[1].try_into().expect("8 bytes"));
            assert_eq!(usize::try_from(count).ok(), Some(n - 4));
            assert_eq!(event.local_endpoint.as_bytes(), frames[n - 2]);
            assert_eq!(event.remote_endpoint.as_bytes(), frames[n - 1]);
            let _ = format!("{event:?}");
        }
        Err(error) => assert_eq!(error.kind(), zmq::ErrorKind::InvalidInput, "{error}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let frames = frames(data);
    #[cfg(feature = "draft")]
    monitor_v2(&frames);

    let decoded = MonitorEvent::decode(&frames);
    match &decoded {
        Ok(event) => {
            let [head, endpoint] = frames[..] else {
                panic!("decoded {} frames", frames.len());
            };
            assert_eq!(event.endpoint.as_bytes(), endpoint);
            let code = u16::from_ne_bytes([head[0], head[1]]);
            let value = u32::from_ne_bytes([head[2], head[3], head[4], head[5]]);
            assert_eq!(event.event, SocketEvent::from_raw(code, value));
            // Each event's flag is its code, known or not.
            assert_eq!(event.event.flag().bits(), i32::from(code));
            if let SocketEvent::HandshakeFailedProtocol { code } = event.event {
                let _ = protocol_error_name(code);
            }
            let _ = event.event.is_handshake_failure();
            let _ = format!("{event:?}");
        }
        Err(error) => assert_eq!(error.kind(), zmq::ErrorKind::InvalidInput, "{error}"),
    }

    // The same frames as a real multipart message, received by the
    // decoder the way a monitor socket is read.
    if !frames.is_empty() {
        let pipe = PIPE.get(pipe);
        let (tx, rx) = &*pipe;
        tx.send_multipart(frames.iter().copied())
            .expect("send frames");
        let received = uninterrupted(|| MonitorEvent::recv(rx));
        assert_eq!(
            received.as_ref().map_err(|e| e.kind()),
            decoded.as_ref().map_err(|e| e.kind())
        );
    }

    match ProxyStatistics::from_frames(&frames) {
        Ok(statistics) => {
            assert_eq!(frames.len(), 8);
            let first = u64::from_ne_bytes(frames[0].try_into().expect("8 bytes"));
            let last = u64::from_ne_bytes(frames[7].try_into().expect("8 bytes"));
            assert_eq!(statistics.frontend.messages_received, first);
            assert_eq!(statistics.backend.bytes_sent, last);
        }
        Err(error) => {
            assert_eq!(error.kind(), zmq::ErrorKind::InvalidInput, "{error}");
            assert!(frames.len() != 8 || frames.iter().any(|frame| frame.len() != 8));
        }
    }
});
