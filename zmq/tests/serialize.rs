//! send_json/recv_json (feature `serde`) and send_serialized/recv_serialized
//! with formats of the caller's choosing.

mod common;

use common::socket;
use zmq::{Context, ErrorKind, RecvFlags, SendFlags, Socket, SocketType};

fn pair(ctx: &Context, name: &str) -> (Socket, Socket) {
    let pull = socket(ctx, SocketType::Pull);
    pull.bind(&format!("inproc://{name}")).unwrap();
    let push = socket(ctx, SocketType::Push);
    push.connect(&format!("inproc://{name}")).unwrap();
    (push, pull)
}

#[test]
fn a_format_of_ones_own_round_trips() {
    let ctx = Context::new().unwrap();
    let (push, pull) = pair(&ctx, "serialized-own");
    push.send_serialized(&(3u8, 4u8), |(a, b)| Ok::<_, String>(vec![*a, *b]))
        .unwrap();
    let pair: (u8, u8) = pull
        .recv_serialized(|bytes| match bytes {
            [a, b] => Ok((*a, *b)),
            _ => Err(format!("{} bytes", bytes.len())),
        })
        .unwrap();
    assert_eq!(pair, (3, 4));
}

#[test]
fn a_failing_serializer_sends_nothing_and_reports_its_message() {
    let ctx = Context::new().unwrap();
    let (push, pull) = pair(&ctx, "serialized-fails");
    let error = push
        .send_serialized(&1, |_| Err::<Vec<u8>, _>("cannot encode 1"))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Serialization);
    assert_eq!(error.to_string(), "cannot encode 1: serialization failed");
    let io: std::io::Error = error.into();
    assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
    assert!(pull.recv_with(RecvFlags::DONTWAIT).unwrap_err().is_again());
}

#[test]
fn a_failing_deserializer_consumes_the_frame_and_reports_its_message() {
    let ctx = Context::new().unwrap();
    let (push, pull) = pair(&ctx, "deserialize-fails");
    push.send("x").unwrap();
    push.send("y").unwrap();
    let error = pull
        .recv_serialized(|_| Err::<(), _>("not mine"))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Serialization);
    assert!(error.to_string().starts_with("not mine"));
    assert_eq!(pull.recv_string().unwrap(), "y");
}

#[test]
fn the_with_forms_pass_their_flags() {
    let ctx = Context::new().unwrap();
    let (push, pull) = pair(&ctx, "serialized-flags");
    push.send_serialized_with(&"head", SendFlags::SNDMORE, |s| {
        Ok::<_, String>(s.to_string())
    })
    .unwrap();
    push.send("tail").unwrap();
    assert_eq!(
        pull.recv_multipart().unwrap(),
        [b"head".to_vec(), b"tail".to_vec()]
    );
    let error = pull
        .recv_serialized_with(RecvFlags::DONTWAIT, |b| Ok::<_, String>(b.to_vec()))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Again);
}

#[cfg(feature = "serde")]
mod json {
    use super::*;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Task {
        id: u32,
        name: String,
        weights: Vec<f64>,
    }

    #[test]
    fn a_struct_round_trips_as_json_text() {
        let ctx = Context::new().unwrap();
        let (push, pull) = pair(&ctx, "json-struct");
        let task = Task {
            id: 7,
            name: "seven".into(),
            weights: vec![0.5, 1.5],
        };
        push.send_json(&task).unwrap();
        push.send_json(&task).unwrap();
        // On the wire it is plain JSON text, as pyzmq's send_json sends.
        let text = pull.recv_string().unwrap();
        assert_eq!(text, r#"{"id":7,"name":"seven","weights":[0.5,1.5]}"#);
        assert_eq!(pull.recv_json::<Task>().unwrap(), task);
    }

    #[test]
    fn pyzmq_json_is_read() {
        let ctx = Context::new().unwrap();
        let (push, pull) = pair(&ctx, "json-pyzmq");
        // What pyzmq's send_json({'num': 1}) puts on the wire.
        push.send(r#"{"num": 1}"#).unwrap();
        let value: serde_json::Value = pull.recv_json().unwrap();
        assert_eq!(value["num"], 1);
    }

    #[test]
    fn text_that_is_not_json_or_not_the_type_is_a_serialization_error() {
        let ctx = Context::new().unwrap();
        let (push, pull) = pair(&ctx, "json-bad");
        push.send("not json").unwrap();
        let error = pull.recv_json::<serde_json::Value>().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Serialization);
        assert!(error.to_string().contains("line 1 column"), "{error}");

        push.send(r#"{"id": "seven"}"#).unwrap();
        let error = pull.recv_json::<Task>().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Serialization);
        assert!(error.to_string().contains("invalid type"), "{error}");
    }

    #[test]
    fn a_value_json_cannot_encode_is_an_error_and_nothing_is_sent() {
        let ctx = Context::new().unwrap();
        let (push, pull) = pair(&ctx, "json-unencodable");
        let mut map = std::collections::HashMap::new();
        map.insert(vec![1u8], 1);
        let error = push.send_json(&map).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Serialization);
        assert!(
            error.to_string().contains("key must be a string"),
            "{error}"
        );
        assert!(pull.recv_with(RecvFlags::DONTWAIT).unwrap_err().is_again());
    }

    #[test]
    fn the_json_with_forms_pass_their_flags() {
        let ctx = Context::new().unwrap();
        let (push, pull) = pair(&ctx, "json-flags");
        push.send_json_with(&1, SendFlags::SNDMORE).unwrap();
        push.send_json(&2).unwrap();
        assert_eq!(pull.recv_json::<i32>().unwrap(), 1);
        assert!(pull.more().unwrap());
        assert_eq!(pull.recv_json::<i32>().unwrap(), 2);
        let error = pull.recv_json_with::<i32>(RecvFlags::DONTWAIT).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Again);
    }
}
