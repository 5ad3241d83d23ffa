//! The async monitor stream, proxy and authenticator, and thousands of
//! sockets in one runtime.

#![cfg(all(feature = "tokio", unix))]

mod asyncio_common;
mod common;

use std::time::Duration;

use asyncio_common::{bound, socket};
use futures_util::StreamExt;
use zmq::asyncio::{AsyncAuthenticator, MonitorStream, proxy};
use zmq::{Context, ErrorKind, MonitorEvents, Security, SocketEvent, SocketType, ctxopt};

on_both_runtimes! {
    async fn monitor_stream_yields_events_and_ends_after_monitor_stopped() {
        let ctx = Context::new().unwrap();
        let server = ctx.socket(SocketType::Rep).unwrap();
        let mut events = MonitorStream::new(
            &server,
            MonitorEvents::LISTENING | MonitorEvents::ACCEPTED | MonitorEvents::MONITOR_STOPPED,
        )
        .unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = server.last_endpoint().unwrap();
        let listening = events.next().await.unwrap().unwrap();
        assert!(matches!(listening.event, SocketEvent::Listening { .. }));
        assert_eq!(listening.endpoint, endpoint);

        let client = socket(&ctx, SocketType::Req);
        client.connect(&endpoint).unwrap();
        let accepted = events.next().await.unwrap().unwrap();
        assert!(matches!(accepted.event, SocketEvent::Accepted { .. }), "{accepted:?}");

        server.disable_monitor().unwrap();
        let stopped = events.next().await.unwrap().unwrap();
        assert_eq!(stopped.event, SocketEvent::MonitorStopped);
        assert!(events.next().await.is_none());
    }
}

on_both_runtimes! {
    async fn proxy_relays_requests_and_replies_both_ways() {
        let ctx = Context::new().unwrap();
        let (mut frontend, front) = bound(&ctx, SocketType::Router, true, "");
        let (mut backend, back) = bound(&ctx, SocketType::Dealer, false, "proxy-back");
        let broker = tokio::spawn(async move { proxy(&mut frontend, &mut backend).await });

        let mut workers = Vec::new();
        for w in 0..3 {
            let mut worker = socket(&ctx, SocketType::Rep);
            worker.connect(&back).unwrap();
            workers.push(tokio::spawn(async move {
                loop {
                    match worker.recv_string().await {
                        Ok(request) => worker.send(format!("{request} by {w}")).await.unwrap(),
                        Err(e) => return e.kind(),
                    }
                }
            }));
        }
        let mut clients = Vec::new();
        for c in 0..4 {
            let mut client = socket(&ctx, SocketType::Req);
            client.connect(&front).unwrap();
            clients.push(tokio::spawn(async move {
                for i in 0..250 {
                    let request = format!("client {c} request {i}");
                    client.send(request.as_str()).await.unwrap();
                    let reply = client.recv_string().await.unwrap();
                    assert!(reply.starts_with(&format!("{request} by ")), "{reply}");
                }
            }));
        }
        for client in clients {
            client.await.unwrap();
        }
        ctx.shutdown().unwrap();
        let error = broker.await.unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Terminated);
        for worker in workers {
            assert_eq!(worker.await.unwrap(), ErrorKind::Terminated);
        }
    }
}

/// A PLAIN client with these credentials: does the server let it in?
async fn plain_client_admitted(ctx: &Context, endpoint: &str, password: &str) -> bool {
    let client = socket(ctx, SocketType::Push);
    client
        .get_ref()
        .set_security(&Security::PlainClient {
            username: "admin",
            password,
        })
        .unwrap();
    // The monitor is in place before the connection starts: the ZAP
    // service answers on a thread of its own, so the handshake may finish
    // before this task runs again, and an event before the monitor is lost.
    let mut events = MonitorStream::new(
        client.get_ref(),
        MonitorEvents::HANDSHAKE_SUCCEEDED | MonitorEvents::HANDSHAKE_FAILED_AUTH,
    )
    .unwrap();
    client.connect(endpoint).unwrap();
    let event = events.next().await.unwrap().unwrap();
    client.get_ref().disable_monitor().unwrap();
    match event.event {
        SocketEvent::HandshakeSucceeded => true,
        SocketEvent::HandshakeFailedAuth { status_code } => {
            assert_eq!(status_code, 400);
            false
        }
        other => panic!("unexpected {other:?}"),
    }
}

on_both_runtimes! {
    async fn authenticator_task_applies_the_shared_policy_and_stops() {
        let ctx = Context::new().unwrap();
        let auth = AsyncAuthenticator::start(&ctx).unwrap();
        assert!(auth.is_running());
        let error = AsyncAuthenticator::start(&ctx).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AddrInUse);
        auth.configure_plain("*", [("admin", "secret")]);

        let mut server = socket(&ctx, SocketType::Pull);
        server.get_ref().set_security(&Security::PlainServer { zap_domain: None }).unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = server.last_endpoint().unwrap();

        assert!(!plain_client_admitted(&ctx, &endpoint, "wrong").await);
        assert!(plain_client_admitted(&ctx, &endpoint, "secret").await);
        // The address list, from the same policy code as the thread.
        auth.deny("127.0.0.1");
        assert!(!plain_client_admitted(&ctx, &endpoint, "secret").await);
        auth.clear_addresses();

        let mut client = socket(&ctx, SocketType::Push);
        client.get_ref().set_security(&Security::PlainClient { username: "admin", password: "secret" }).unwrap();
        client.connect(&endpoint).unwrap();
        client.send("hello").await.unwrap();
        let msg = server.recv().await.unwrap();
        assert_eq!(msg.gets("User-Id"), Some("admin"));

        auth.stop().await.unwrap();
        // The ZAP endpoint is free again.
        AsyncAuthenticator::start(&ctx).unwrap().stop().await.unwrap();
    }
}

/// Raises the soft limit of open files to what `needed` asks, within the
/// hard limit: each socket holds a descriptor.
fn allow_open_files(needed: u64) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes the struct it is given.
    let read = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    assert_eq!(read, 0);
    if limit.rlim_cur < needed {
        limit.rlim_cur = needed.min(limit.rlim_max);
        // SAFETY: setrlimit reads the struct it is given.
        assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) }, 0);
    }
}

on_both_runtimes! {
    async fn two_thousand_pair_sockets_in_one_runtime() {
        const PAIRS: usize = 2_000;
        allow_open_files(3 * PAIRS as u64 + 256);
        let ctx = Context::new().unwrap();
        ctx.set(ctxopt::MaxSockets, 2 * PAIRS as i32 + 64).unwrap();
        let mut tasks = Vec::with_capacity(2 * PAIRS);
        for p in 0..PAIRS {
            let endpoint = format!("inproc://many-{p}");
            let mut server = socket(&ctx, SocketType::Pair);
            server.bind(&endpoint).unwrap();
            let mut client = socket(&ctx, SocketType::Pair);
            client.connect(&endpoint).unwrap();
            tasks.push(tokio::spawn(async move {
                for round in 0..3 {
                    let msg = server.recv_string().await.unwrap();
                    assert_eq!(msg, format!("{p}:{round}"));
                    server.send(format!("{msg} ok")).await.unwrap();
                }
            }));
            tasks.push(tokio::spawn(async move {
                // Every client waits a little first, so most servers are
                // parked on their fd when the first message comes.
                tokio::time::sleep(Duration::from_millis(10)).await;
                for round in 0..3 {
                    client.send(format!("{p}:{round}")).await.unwrap();
                    assert_eq!(client.recv_string().await.unwrap(), format!("{p}:{round} ok"));
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
    }
}
