//! The authenticator over TCP on loopback: addresses, PLAIN passwords,
//! CURVE keys (in memory, any, from a certificate directory), a custom
//! handler, per-domain settings, `User-Id` on received messages, changes
//! while running, and a clean stop.

mod common;
mod security_common;

use std::path::PathBuf;
use std::time::Duration;

use common::watchdog;
use security_common::{
    PATIENCE, REFUSAL_WAIT, bound_pull, connected_push, curve_client, curve_server,
    handshake_outcome, monitor, plain_client, recv_within, send_to_be_refused,
};
use zmq::auth::{Authenticator, CurvePolicy, Decision, ZAP_ENDPOINT};
use zmq::cert::Certificate;
use zmq::{
    Context, CurveKeyPair, ErrorKind, Monitor, Security, Socket, SocketEvent, SocketType, sockopt,
};

fn curve() -> bool {
    zmq::has(zmq::Capability::Curve)
}

/// Sends from `client` and checks the server refuses it: an auth failure
/// with status 400 on the server's monitor, and no message.
fn assert_refused(monitor: &Monitor, server: &Socket, client: &Socket) {
    send_to_be_refused(client, "refused");
    assert_eq!(
        handshake_outcome(monitor),
        SocketEvent::HandshakeFailedAuth { status_code: 400 }
    );
    assert!(recv_within(server, REFUSAL_WAIT).is_none());
}

/// Sends from `client` and returns the `User-Id` of the message received.
fn user_id_of_accepted(server: &Socket, client: &Socket) -> String {
    client.send("accepted").unwrap();
    let msg = recv_within(server, PATIENCE).expect("the client gets through");
    assert_eq!(msg, "accepted");
    msg.gets("User-Id").expect("User-Id is set").to_owned()
}

#[test]
fn denied_address_is_refused_and_an_allowed_one_gets_in_after_a_live_change() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.deny("127.0.0.1");
    let (server, endpoint) = bound_pull(&ctx, |s| {
        s.set_security(&Security::Null {
            zap_domain: Some("global"),
        })
        .unwrap();
    });
    let monitor = monitor(&server);
    let denied = connected_push(&ctx, &endpoint, |_| {});
    assert_refused(&monitor, &server, &denied);
    drop(denied);

    auth.clear_addresses();
    auth.allow("127.0.0.1");
    let allowed = connected_push(&ctx, &endpoint, |_| {});
    assert_eq!(user_id_of_accepted(&server, &allowed), "anonymous");
    auth.stop().unwrap();
}

#[test]
fn address_outside_the_allowed_list_is_refused() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.allow("192.0.2.1");
    let (server, endpoint) = bound_pull(&ctx, |s| {
        s.set_security(&Security::Null {
            zap_domain: Some("global"),
        })
        .unwrap();
    });
    let monitor = monitor(&server);
    let client = connected_push(&ctx, &endpoint, |_| {});
    assert_refused(&monitor, &server, &client);
}

#[test]
fn wrong_plain_password_is_refused_and_the_right_one_gets_in_as_its_user() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.allow("127.0.0.1");
    auth.configure_plain("*", [("admin", "secret")]);
    admin_needs_its_password(&ctx, None);
}

/// Binds a PLAIN server with `zap_domain` and proves the authenticator
/// checks it: `admin` with a wrong password is refused, and with the
/// password `secret` gets in as `admin`.
fn admin_needs_its_password(ctx: &Context, zap_domain: Option<&str>) {
    let (server, endpoint) = bound_pull(ctx, |s| {
        s.set_security(&Security::PlainServer { zap_domain })
            .unwrap();
    });
    let monitor = monitor(&server);
    let bogus = plain_client(ctx, &endpoint, "admin", "bogus");
    assert_refused(&monitor, &server, &bogus);
    drop(bogus);
    let admin = plain_client(ctx, &endpoint, "admin", "secret");
    assert_eq!(user_id_of_accepted(&server, &admin), "admin");
}

#[test]
fn an_empty_plain_password_gets_in_when_configured() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.configure_plain("*", [("guest", "")]);
    let (server, endpoint) = bound_pull(&ctx, |s| {
        s.set_security(&Security::PlainServer { zap_domain: None })
            .unwrap();
    });
    let guest = plain_client(&ctx, &endpoint, "guest", "");
    assert_eq!(user_id_of_accepted(&server, &guest), "guest");
}

#[test]
fn plain_passwords_are_looked_up_per_domain() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.configure_plain("*", [("admin", "secret")]);
    auth.configure_plain("ops", [("root", "hunter2")]);
    let (server, endpoint) = bound_pull(&ctx, |s| {
        s.set_security(&Security::PlainServer {
            zap_domain: Some("ops"),
        })
        .unwrap();
    });
    let monitor = monitor(&server);
    let admin = plain_client(&ctx, &endpoint, "admin", "secret");
    assert_refused(&monitor, &server, &admin);
    drop(admin);
    let root = plain_client(&ctx, &endpoint, "root", "hunter2");
    assert_eq!(user_id_of_accepted(&server, &root), "root");
}

#[test]
fn a_domain_with_only_a_handler_still_uses_the_star_passwords() {
    for domain in ["ops", "dev"] {
        star_passwords_apply_to(domain);
    }
}

/// One domain of the test above, on a context of its own: a server and its
/// monitor from one round are never left behind in the next round's I/O
/// thread.
fn star_passwords_apply_to(domain: &str) {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.configure_plain("*", [("admin", "secret")]);
    auth.set_handler("ops", |_| Decision::Defer);
    // Removing the handler of a domain never configured changes nothing.
    auth.remove_handler("dev");
    admin_needs_its_password(&ctx, Some(domain));
}

/// A CURVE server on a fresh port, its monitor (keep it alive, see
/// `security_common::monitor`) and a client with `client_keys`.
fn curve_pair(
    ctx: &Context,
    server_keys: &CurveKeyPair,
    client_keys: &CurveKeyPair,
) -> (Socket, Monitor, Socket) {
    let (server, endpoint) = curve_server(ctx, server_keys);
    let monitor = monitor(&server);
    let client = curve_client(ctx, &endpoint, client_keys, server_keys.public());
    (server, monitor, client)
}

#[test]
fn curve_client_outside_the_allowed_keys_is_refused_and_a_listed_one_gets_in() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let auth = Authenticator::start(&ctx).unwrap();
    let server_keys = CurveKeyPair::generate().unwrap();
    let known = CurveKeyPair::generate().unwrap();
    let stranger = CurveKeyPair::generate().unwrap();
    auth.configure_curve("*", CurvePolicy::keys([*known.public()]));

    let (server, monitor, client) = curve_pair(&ctx, &server_keys, &stranger);
    assert_refused(&monitor, &server, &client);

    let (server, _monitor, client) = curve_pair(&ctx, &server_keys, &known);
    assert_eq!(
        user_id_of_accepted(&server, &client),
        known.public().to_z85()
    );
}

#[test]
fn curve_allow_any_lets_every_client_in() {
    if !curve() {
        return;
    }
    let ctx = Context::new().unwrap();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.configure_curve("*", CurvePolicy::AllowAny);
    let server_keys = CurveKeyPair::generate().unwrap();
    let anyone = CurveKeyPair::generate().unwrap();
    let (server, _monitor, client) = curve_pair(&ctx, &server_keys, &anyone);
    assert_eq!(
        user_id_of_accepted(&server, &client),
        anyone.public().to_z85()
    );
}

#[test]
fn curve_keys_come_from_a_certificate_directory() {
    if !curve() {
        return;
    }
    let dir: PathBuf = std::env::temp_dir().join(format!("zmq-auth-certs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let client_cert = Certificate::new().unwrap();
    client_cert.save(dir.join("client.key")).unwrap();

    let ctx = Context::new().unwrap();
    let auth = Authenticator::start(&ctx).unwrap();
    let found = auth.configure_curve_certificates("*", &dir).unwrap();
    assert_eq!(found.certificates.len(), 1);
    assert!(found.refused.is_empty(), "{:?}", found.refused);
    let server_keys = CurveKeyPair::generate().unwrap();
    let client_keys = client_cert.key_pair().unwrap();
    let (server, _monitor, client) = curve_pair(&ctx, &server_keys, &client_keys);
    let user = user_id_of_accepted(&server, &client);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(user, client_cert.public_key().to_z85());
    assert!(auth.configure_curve_certificates("*", &dir).is_err());
}

#[test]
fn handler_decides_with_its_own_user_id_and_metadata() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.set_handler("*", |request| match &request.credentials {
        zmq::auth::Credentials::Plain { username, .. } if username == "guest" => {
            Decision::deny("guests not welcome")
        }
        zmq::auth::Credentials::Plain { username, .. } => Decision::Allow {
            user_id: format!("user:{username}"),
            metadata: vec![("Role".into(), b"operator".to_vec())],
        },
        _ => Decision::Defer,
    });
    let (server, endpoint) = bound_pull(&ctx, |s| {
        s.set_security(&Security::PlainServer { zap_domain: None })
            .unwrap();
    });
    let monitor = monitor(&server);
    let guest = plain_client(&ctx, &endpoint, "guest", "x");
    assert_refused(&monitor, &server, &guest);
    drop(guest);

    let carol = plain_client(&ctx, &endpoint, "carol", "any");
    carol.send("hi").unwrap();
    let msg = recv_within(&server, PATIENCE).expect("carol gets through");
    assert_eq!(msg.gets("User-Id"), Some("user:carol"));
    assert_eq!(msg.gets("Role"), Some("operator"));
}

/// A socket of `kind` that the test itself connects to the ZAP endpoint,
/// as a confused or hostile peer in the same context might.
fn rogue_zap_peer(ctx: &Context, kind: SocketType) -> Socket {
    let rogue = ctx.socket(kind).unwrap();
    rogue.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
    rogue.set(sockopt::RcvTimeo, Some(PATIENCE)).unwrap();
    rogue.connect(ZAP_ENDPOINT).unwrap();
    rogue
}

#[test]
fn malformed_zap_requests_are_answered_and_the_authenticator_keeps_checking() {
    let ctx = Context::new().unwrap();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.configure_plain("*", [("admin", "secret")]);

    // Requests with a bad version or too few frames get a 400 back.
    let req = rogue_zap_peer(&ctx, SocketType::Req);
    let bad_version: [&[u8]; 6] = [b"9.9", b"1", b"", b"127.0.0.1", b"", b"NULL"];
    req.send_multipart(bad_version).unwrap();
    let reply = req.recv_multipart().unwrap();
    assert_eq!(reply.len(), 6);
    assert_eq!(
        (&reply[2][..], &reply[3][..]),
        (&b"400"[..], &b"Invalid version"[..])
    );
    req.send_multipart([&b"1.0"[..], b"2"]).unwrap();
    let reply = req.recv_multipart().unwrap();
    assert_eq!((&reply[1][..], &reply[2][..]), (&b"2"[..], &b"400"[..]));

    // A message without the delimiter frame, and a request whose sender
    // leaves before the reply: nothing to answer, nothing to stop for.
    let dealer = rogue_zap_peer(&ctx, SocketType::Dealer);
    dealer.send("garbage").unwrap();
    let gone = rogue_zap_peer(&ctx, SocketType::Req);
    gone.send_multipart(bad_version).unwrap();
    drop(gone);

    // The next clients are still checked: a wrong password is refused,
    // the right one gets in.
    admin_needs_its_password(&ctx, None);

    assert!(auth.is_running());
    assert_eq!(auth.last_error(), None);
    auth.stop().unwrap();
}

#[test]
fn stop_unbinds_so_a_new_authenticator_can_start_at_once() {
    watchdog(PATIENCE * 2, "starting and stopping authenticators", || {
        let ctx = Context::new().unwrap();
        let first = Authenticator::start(&ctx).unwrap();
        assert!(first.is_running());
        let second = Authenticator::start(&ctx).unwrap_err();
        assert_eq!(second.kind(), ErrorKind::AddrInUse);
        first.stop().unwrap();
        for _ in 0..3 {
            Authenticator::start(&ctx).unwrap().stop().unwrap();
        }
        // Dropping stops it too.
        drop(Authenticator::start(&ctx).unwrap());
        Authenticator::start(&ctx).unwrap().stop().unwrap();
    });
}

#[test]
fn context_shutdown_ends_the_handler_thread() {
    watchdog(PATIENCE * 2, "stopping after a context shutdown", || {
        let ctx = Context::new().unwrap();
        let auth = Authenticator::start(&ctx).unwrap();
        ctx.shutdown().unwrap();
        auth.stop().unwrap();
    });
}
