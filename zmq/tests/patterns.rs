//! Every messaging pattern end to end, over `inproc://` and
//! `tcp://127.0.0.1:*`.

mod common;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{Transport, bind, recv_until, socket, sync_subscriber};
use zmq::{Context, ErrorKind, PollEvents, RecvFlags, SocketType, sockopt};

over_both_transports! {
    fn req_rep_round_trips(transport: Transport) {
        let ctx = Context::new().unwrap();
        let rep = socket(&ctx, SocketType::Rep);
        let endpoint = bind(&rep, transport, "req-rep");
        let req = socket(&ctx, SocketType::Req);
        req.connect(&endpoint).unwrap();

        for i in 0..3 {
            req.send(format!("Hello {i}")).unwrap();
            assert_eq!(rep.recv_string().unwrap(), format!("Hello {i}"));
            rep.send(format!("World {i}").as_str()).unwrap();
            assert_eq!(req.recv_string().unwrap(), format!("World {i}"));
        }
    }
}

over_both_transports! {
    fn req_rep_out_of_order_calls_fail_with_invalid_state(transport: Transport) {
        let ctx = Context::new().unwrap();
        let rep = socket(&ctx, SocketType::Rep);
        let endpoint = bind(&rep, transport, "req-rep-efsm");
        let req = socket(&ctx, SocketType::Req);
        req.connect(&endpoint).unwrap();

        // REQ must send first; REP must receive first.
        let error = req.recv().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidState, "{error}");
        let error = rep.send("early").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidState, "{error}");

        req.send("one").unwrap();
        // A second request before the reply is out of order.
        let error = req.send("two").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidState, "{error}");
        assert!(error.to_string().contains("state"), "{error}");

        // The failed calls did not disturb the exchange.
        assert_eq!(rep.recv_string().unwrap(), "one");
        let error = rep.recv().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidState, "{error}");
        rep.send("reply").unwrap();
        assert_eq!(req.recv_string().unwrap(), "reply");
    }
}

over_both_transports! {
    fn pub_sub_delivers_only_subscribed_prefixes(transport: Transport) {
        let ctx = Context::new().unwrap();
        let publisher = socket(&ctx, SocketType::Pub);
        let endpoint = bind(&publisher, transport, "pub-sub");
        let subscriber = socket(&ctx, SocketType::Sub);
        subscriber.connect(&endpoint).unwrap();
        subscriber.subscribe("weather").unwrap();
        subscriber.subscribe("sync-1").unwrap();
        sync_subscriber(&publisher, &subscriber, "sync-1");

        for text in ["weather paris", "news", "weatherless", "sport weather", "weather rome"] {
            publisher.send(text).unwrap();
        }
        publisher.send("sync-1 end").unwrap();
        assert_eq!(
            recv_until(&subscriber, "sync-1 end", "sync-1"),
            ["weather paris", "weatherless", "weather rome"]
        );

        // Unsubscribing reaches the publisher before the next subscription,
        // so once "sync-2" arrives, "weather" is filtered out.
        subscriber.unsubscribe("weather").unwrap();
        subscriber.subscribe("sync-2").unwrap();
        sync_subscriber(&publisher, &subscriber, "sync-2");
        publisher.send("weather berlin").unwrap();
        publisher.send("sync-2 end").unwrap();
        let rest = recv_until(&subscriber, "sync-2 end", "sync-");
        assert!(rest.is_empty(), "unsubscribed messages arrived: {rest:?}");
    }
}

over_both_transports! {
    fn sub_without_subscriptions_receives_nothing(transport: Transport) {
        let ctx = Context::new().unwrap();
        let publisher = socket(&ctx, SocketType::Pub);
        let endpoint = bind(&publisher, transport, "pub-sub-none");
        let subscriber = socket(&ctx, SocketType::Sub);
        subscriber.connect(&endpoint).unwrap();
        let listener = socket(&ctx, SocketType::Sub);
        listener.connect(&endpoint).unwrap();
        listener.subscribe("").unwrap();
        sync_subscriber(&publisher, &listener, "");

        publisher.send("anything").unwrap();
        publisher.send("end").unwrap();
        recv_until(&listener, "end", "");
        // The listener got "end", so the unsubscribed socket would have too.
        let error = subscriber.recv_with(RecvFlags::DONTWAIT).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Again);
    }
}

over_both_transports! {
    fn push_pull_round_robins_across_workers(transport: Transport) {
        const WORKERS: usize = 3;
        const PER_WORKER: usize = 10;
        let ctx = Context::new().unwrap();
        let workers: Vec<_> = (0..WORKERS).map(|_| socket(&ctx, SocketType::Pull)).collect();
        let push = socket(&ctx, SocketType::Push);
        // PUSH connects to every worker: each pipe exists as soon as connect
        // returns, so the distribution does not depend on connection timing.
        for (i, worker) in workers.iter().enumerate() {
            let endpoint = bind(worker, transport, &format!("worker-{i}"));
            push.connect(&endpoint).unwrap();
        }

        for task in 0..WORKERS * PER_WORKER {
            push.send(task.to_string()).unwrap();
        }

        let mut all = BTreeSet::new();
        for worker in &workers {
            for _ in 0..PER_WORKER {
                let task: usize = worker.recv_string().unwrap().parse().unwrap();
                assert!(all.insert(task), "task {task} delivered twice");
            }
            let error = worker.recv_with(RecvFlags::DONTWAIT).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Again, "a worker got more than its share");
        }
        assert_eq!(all, (0..WORKERS * PER_WORKER).collect());
    }
}

over_both_transports! {
    fn router_sees_routing_ids_and_routes_replies(transport: Transport) {
        let ctx = Context::new().unwrap();
        let router = socket(&ctx, SocketType::Router);
        let endpoint = bind(&router, transport, "router");
        let alice = socket(&ctx, SocketType::Dealer);
        alice.set(sockopt::RoutingId, b"alice").unwrap();
        alice.connect(&endpoint).unwrap();
        let bob = socket(&ctx, SocketType::Dealer);
        bob.set(sockopt::RoutingId, b"bob").unwrap();
        bob.connect(&endpoint).unwrap();

        alice.send("from alice").unwrap();
        bob.send_multipart(["from", "bob"]).unwrap();

        let mut seen = Vec::new();
        for _ in 0..2 {
            let frames = router.recv_multipart().unwrap();
            seen.push(frames);
        }
        seen.sort();
        assert_eq!(
            seen,
            [
                vec![b"alice".to_vec(), b"from alice".to_vec()],
                vec![b"bob".to_vec(), b"from".to_vec(), b"bob".to_vec()],
            ]
        );

        // Replies go to the peer named by the first frame.
        router.send_multipart(["bob", "for bob"]).unwrap();
        router.send_multipart(["alice", "for alice"]).unwrap();
        assert_eq!(bob.recv_string().unwrap(), "for bob");
        assert_eq!(alice.recv_string().unwrap(), "for alice");
        assert_eq!(bob.recv_with(RecvFlags::DONTWAIT).unwrap_err().kind(), ErrorKind::Again);
        assert_eq!(alice.recv_with(RecvFlags::DONTWAIT).unwrap_err().kind(), ErrorKind::Again);

        // Unknown ids are dropped silently, or reported with ROUTER_MANDATORY.
        router.send_multipart(["carol", "lost"]).unwrap();
        router.set(sockopt::RouterMandatory, true).unwrap();
        let error = router.send_multipart(["carol", "lost"]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::HostUnreachable, "{error}");
    }
}

over_both_transports! {
    fn pair_talks_both_ways(transport: Transport) {
        let ctx = Context::new().unwrap();
        let a = socket(&ctx, SocketType::Pair);
        let endpoint = bind(&a, transport, "pair");
        let b = socket(&ctx, SocketType::Pair);
        b.connect(&endpoint).unwrap();

        a.send("ping").unwrap();
        assert_eq!(b.recv_string().unwrap(), "ping");
        b.send(b"pong".to_vec()).unwrap();
        assert_eq!(a.recv_bytes().unwrap(), b"pong");
    }
}

over_both_transports! {
    fn xpub_xsub_exchange_subscription_frames(transport: Transport) {
        let ctx = Context::new().unwrap();
        let xpub = socket(&ctx, SocketType::Xpub);
        let endpoint = bind(&xpub, transport, "xpub");
        let xsub = socket(&ctx, SocketType::Xsub);
        xsub.connect(&endpoint).unwrap();

        // XSUB subscribes by sending \x01topic; XPUB sees the frame.
        xsub.send(b"\x01topic").unwrap();
        assert_eq!(xpub.recv_bytes().unwrap(), b"\x01topic");
        xpub.send("topic data").unwrap();
        xpub.send("other data").unwrap();
        xpub.send("topic end").unwrap();
        assert_eq!(xsub.recv_string().unwrap(), "topic data");
        assert_eq!(xsub.recv_string().unwrap(), "topic end");

        // \x00topic unsubscribes.
        xsub.send(b"\x00topic").unwrap();
        assert_eq!(xpub.recv_bytes().unwrap(), b"\x00topic");

        // A SUB's subscribe() arrives at XPUB as the same frame.
        let sub = socket(&ctx, SocketType::Sub);
        sub.connect(&endpoint).unwrap();
        sub.subscribe("news").unwrap();
        assert_eq!(xpub.recv_bytes().unwrap(), b"\x01news");
    }
}

#[test]
fn stream_exchanges_raw_bytes_with_a_plain_tcp_client() {
    let ctx = Context::new().unwrap();
    let stream = socket(&ctx, SocketType::Stream);
    let endpoint = bind(&stream, Transport::Tcp, "stream");
    let address = endpoint.trim_start_matches("tcp://");
    let mut client = TcpStream::connect(address).unwrap();
    client.set_read_timeout(Some(common::TIMEOUT)).unwrap();

    // A new connection is announced as [routing id, empty frame].
    let hello = stream.recv_multipart().unwrap();
    assert_eq!(hello.len(), 2, "{hello:?}");
    let id = hello[0].clone();
    assert!(!id.is_empty());
    assert!(hello[1].is_empty(), "connect notification should be empty");

    // Raw bytes in: [id, data], possibly split across several reads.
    client.write_all(b"raw bytes in").unwrap();
    let mut received = Vec::new();
    while received.len() < b"raw bytes in".len() {
        let frames = stream.recv_multipart().unwrap();
        assert_eq!(frames[0], id);
        received.extend_from_slice(&frames[1]);
    }
    assert_eq!(received, b"raw bytes in");

    // Raw bytes out, with no ZMTP framing.
    stream
        .send_multipart([&id[..], &b"raw bytes out"[..]])
        .unwrap();
    let mut reply = [0u8; 13];
    client.read_exact(&mut reply).unwrap();
    assert_eq!(&reply, b"raw bytes out");

    // [id, empty] closes the connection.
    stream.send_multipart([&id[..], &[][..]]).unwrap();
    // libzmq completes the close when the socket next processes its
    // commands, which any call on it does.
    client
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let deadline = Instant::now() + common::TIMEOUT;
    loop {
        stream
            .poll(PollEvents::POLLIN, Some(Duration::from_millis(10)))
            .unwrap();
        match client.read(&mut [0u8; 16]) {
            Ok(0) => break,
            Ok(n) => panic!("{n} unexpected bytes after the close"),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("reading the closed connection: {e}"),
        }
        assert!(
            Instant::now() < deadline,
            "STREAM did not close the connection"
        );
    }
}
