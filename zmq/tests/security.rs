//! The security mechanisms over TCP on loopback: CURVE encrypts and
//! authenticates the server, a wrong server key never connects,
//! mismatched mechanisms fail, and servers configured through `Security`
//! fail closed: every client is refused while no authenticator runs.

mod security_common;

use security_common::{
    PATIENCE, REFUSAL_WAIT, bound_pull, curve_client, curve_server, handshake_outcome, monitor,
    plain_client, recv_within, send_to_be_refused,
};
use zmq::auth::{Authenticator, CurvePolicy};
use zmq::{Context, CurveKeyPair, Mechanism, PublicKey, Security, SocketEvent, sockopt};

fn curve() -> bool {
    zmq::has(zmq::Capability::Curve)
}

#[test]
fn curve_client_with_the_server_key_gets_through() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    // Stonehouse: any client that knows the server's key.
    let auth = Authenticator::start(&ctx).unwrap();
    auth.configure_curve("*", CurvePolicy::AllowAny);
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
    send_to_be_refused(&client, "lost");

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

/// The refusal of the context's ZAP service while no authenticator runs.
const REFUSED: SocketEvent = SocketEvent::HandshakeFailedAuth { status_code: 400 };

/// A NULL server with a ZAP domain, a PLAIN server and (with CURVE) a
/// CURVE server, each with a client of its kind that sends one message;
/// asserts each server refuses its client.
fn assert_every_kind_of_server_refuses(ctx: &Context) {
    let (null_server, endpoint) = bound_pull(ctx, |s| {
        s.set_security(&Security::Null {
            zap_domain: Some("global"),
        })
        .unwrap();
    });
    #[cfg(feature = "draft")]
    assert!(null_server.get(sockopt::ZapEnforceDomain).unwrap());
    let null_monitor = monitor(&null_server);
    let null_client = security_common::connected_push(ctx, &endpoint, |_| {});
    send_to_be_refused(&null_client, "null");
    assert_eq!(handshake_outcome(&null_monitor), REFUSED);
    assert!(recv_within(&null_server, REFUSAL_WAIT).is_none());

    let (plain_server, endpoint) = bound_pull(ctx, |s| {
        s.set_security(&Security::PlainServer { zap_domain: None })
            .unwrap();
    });
    let plain_monitor = monitor(&plain_server);
    let plain = plain_client(ctx, &endpoint, "anyone", "anything");
    send_to_be_refused(&plain, "plain");
    assert_eq!(handshake_outcome(&plain_monitor), REFUSED);
    assert!(recv_within(&plain_server, REFUSAL_WAIT).is_none());

    if !curve() {
        return;
    }
    let server_keys = CurveKeyPair::generate().unwrap();
    let client_keys = CurveKeyPair::generate().unwrap();
    let (server, endpoint) = curve_server(ctx, &server_keys);
    let curve_monitor = monitor(&server);
    // The client knows the server's key: libzmq alone would let it in.
    let client = curve_client(ctx, &endpoint, &client_keys, server_keys.public());
    send_to_be_refused(&client, "curve");
    assert_eq!(handshake_outcome(&curve_monitor), REFUSED);
    assert!(recv_within(&server, REFUSAL_WAIT).is_none());
}

#[test]
fn servers_refuse_every_client_before_an_authenticator_starts() {
    let ctx = Context::new().unwrap();
    assert_every_kind_of_server_refuses(&ctx);
}

#[test]
fn servers_refuse_every_client_once_the_authenticator_stopped() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.configure_curve("*", CurvePolicy::AllowAny);
    auth.configure_plain("*", [("anyone", "anything")]);
    auth.stop().unwrap();
    assert_every_kind_of_server_refuses(&ctx);
    // Dropping one closes the door the same way.
    drop(Authenticator::start(&ctx).unwrap());
    assert_every_kind_of_server_refuses(&ctx);
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
    send_to_be_refused(&client, "mismatch");
    assert!(handshake_outcome(&monitor).is_handshake_failure());
    assert!(recv_within(&server, REFUSAL_WAIT).is_none());
}
