//! The security mechanisms over TCP on loopback, without an authenticator:
//! CURVE encrypts and authenticates the server, a wrong server key never
//! connects, PLAIN needs a ZAP handler, mismatched mechanisms fail.

mod security_common;

use security_common::{
    PATIENCE, REFUSAL_WAIT, bound_pull, curve_client, curve_server, handshake_outcome, monitor,
    plain_client, recv_within,
};
use zmq::{Context, CurveKeyPair, Mechanism, PublicKey, Security, SendFlags, SocketEvent, sockopt};

fn curve() -> bool {
    zmq::has(zmq::Capability::Curve)
}

#[test]
fn curve_client_with_the_server_key_gets_through() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let server_keys = CurveKeyPair::generate().unwrap();
    let client_keys = CurveKeyPair::generate().unwrap();
    let (server, endpoint) = curve_server(&ctx, &server_keys);
    let monitor = monitor(&server);
    let client = curve_client(&ctx, &endpoint, &client_keys, server_keys.public());
    client.send("encrypted hello").unwrap();

    let msg = recv_within(&server, PATIENCE).expect("the message arrives");
    assert_eq!(msg, "encrypted hello");
    assert_eq!(handshake_outcome(&monitor), SocketEvent::HandshakeSucceeded);
    assert_eq!(server.get(sockopt::Mechanism).unwrap(), Mechanism::Curve);
}

#[test]
fn wrong_curve_server_key_never_connects_and_the_server_sees_a_handshake_failure() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let server_keys = CurveKeyPair::generate().unwrap();
    let impostor = CurveKeyPair::generate().unwrap();
    let client_keys = CurveKeyPair::generate().unwrap();
    let (server, endpoint) = curve_server(&ctx, &server_keys);
    let monitor = monitor(&server);
    let client = curve_client(&ctx, &endpoint, &client_keys, impostor.public());
    client.send_with("lost", SendFlags::DONTWAIT).unwrap();

    assert_eq!(
        handshake_outcome(&monitor),
        SocketEvent::HandshakeFailedProtocol {
            code: zmq::sys::ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC as u32
        }
    );
    assert!(recv_within(&server, REFUSAL_WAIT).is_none());
}

#[test]
fn curve_keys_are_accepted_as_z85_text_by_the_raw_options() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let keys = CurveKeyPair::generate().unwrap();
    let socket = ctx.socket(zmq::SocketType::Dealer).unwrap();
    let text = keys.public().to_string();
    socket
        .set(sockopt::CurveServerKey, text.as_bytes())
        .unwrap();
    let raw = socket.get(sockopt::CurveServerKey).unwrap();
    assert_eq!(PublicKey::from_bytes(raw), *keys.public());
    socket
        .set(sockopt::CurvePublicKey, keys.public().as_bytes())
        .unwrap();
    assert_eq!(
        socket.get(sockopt::CurvePublicKey).unwrap(),
        *keys.public().as_bytes()
    );
    let bad = socket
        .set(sockopt::CurveSecretKey, "~".repeat(40).as_bytes())
        .unwrap_err();
    assert_eq!(bad.kind(), zmq::ErrorKind::InvalidInput);
}

#[test]
fn plain_server_without_a_zap_handler_refuses_every_client() {
    // libzmq 4.3 cannot check PLAIN credentials itself: without a ZAP
    // handler on the context, the handshake fails.
    let ctx = Context::new().unwrap();
    let (server, endpoint) = bound_pull(&ctx, |s| {
        s.set_security(&Security::PlainServer { zap_domain: None })
            .unwrap();
    });
    let monitor = monitor(&server);
    let client = plain_client(&ctx, &endpoint, "anyone", "anything");
    client.send_with("plain", SendFlags::DONTWAIT).unwrap();
    // libzmq reports EFAULT when no ZAP handler is bound.
    assert_eq!(
        handshake_outcome(&monitor),
        SocketEvent::HandshakeFailedNoDetail {
            errno: libc::EFAULT
        }
    );
    assert!(recv_within(&server, REFUSAL_WAIT).is_none());
}

#[test]
fn plain_client_against_a_curve_server_is_refused() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let server_keys = CurveKeyPair::generate().unwrap();
    let (server, endpoint) = curve_server(&ctx, &server_keys);
    let monitor = monitor(&server);
    let client = plain_client(&ctx, &endpoint, "admin", "secret");
    client.send_with("mismatch", SendFlags::DONTWAIT).unwrap();
    assert!(handshake_outcome(&monitor).is_handshake_failure());
    assert!(recv_within(&server, REFUSAL_WAIT).is_none());
}

/// With the `draft` feature a ZAP domain also sets
/// `ZMQ_ZAP_ENFORCE_DOMAIN`: without a handler, a CURVE client that knows
/// the server key and a NULL client are refused instead of let in.
#[cfg(feature = "draft")]
#[test]
fn a_zap_domain_without_a_handler_refuses_curve_and_null_clients() {
    let ctx = Context::new().unwrap();
    let (null_server, endpoint) = bound_pull(&ctx, |s| {
        s.set_security(&Security::Null {
            zap_domain: Some("global"),
        })
        .unwrap();
    });
    assert!(null_server.get(sockopt::ZapEnforceDomain).unwrap());
    let null_monitor = monitor(&null_server);
    let null_client = security_common::connected_push(&ctx, &endpoint, |_| {});
    null_client.send_with("null", SendFlags::DONTWAIT).unwrap();
    assert_eq!(
        handshake_outcome(&null_monitor),
        SocketEvent::HandshakeFailedNoDetail {
            errno: libc::EFAULT
        }
    );
    assert!(recv_within(&null_server, REFUSAL_WAIT).is_none());

    if !curve() {
        return;
    }
    let server_keys = CurveKeyPair::generate().unwrap();
    let client_keys = CurveKeyPair::generate().unwrap();
    let (server, endpoint) = bound_pull(&ctx, |s| {
        s.set_security(&Security::CurveServer {
            secret_key: server_keys.secret(),
            zap_domain: Some("global"),
        })
        .unwrap();
    });
    let monitor = monitor(&server);
    let client = curve_client(&ctx, &endpoint, &client_keys, server_keys.public());
    client.send_with("curve", SendFlags::DONTWAIT).unwrap();
    assert_eq!(
        handshake_outcome(&monitor),
        SocketEvent::HandshakeFailedNoDetail {
            errno: libc::EFAULT
        }
    );
    assert!(recv_within(&server, REFUSAL_WAIT).is_none());
}
