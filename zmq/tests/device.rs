//! Devices: queue, forwarder, streamer and monitored queue relay messages in
//! a background thread and stop cleanly.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use zmq::device::{Device, MonitoredQueue};
use zmq::{Context, ErrorKind, Socket, SocketType, sockopt};

const TIMEOUT: Duration = Duration::from_secs(5);

/// Runs `body` in a thread and fails the test if it takes longer than
/// `TIMEOUT` * 3, instead of hanging.
fn watchdog<T: Send + 'static>(body: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || tx.send(body()));
    rx.recv_timeout(TIMEOUT * 3).expect("test timed out")
}

fn socket(ctx: &Context, kind: SocketType) -> Socket {
    let socket = ctx.socket(kind).unwrap();
    socket.set(sockopt::RcvTimeo, Some(TIMEOUT)).unwrap();
    socket.set(sockopt::SndTimeo, Some(TIMEOUT)).unwrap();
    socket.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
    socket
}

/// Sends `message` on `publisher` until `subscriber` receives it (the
/// subscription travels asynchronously); returns what was received.
fn publish_until_received(publisher: &Socket, subscriber: &Socket, message: &str) -> String {
    subscriber
        .set(sockopt::RcvTimeo, Some(Duration::from_millis(100)))
        .unwrap();
    for _ in 0..50 {
        publisher.send(message).unwrap();
        match subscriber.recv_string() {
            Ok(text) => return text,
            Err(e) => assert_eq!(e.kind(), ErrorKind::Again),
        }
    }
    panic!("{message:?} never reached the subscriber");
}

#[test]
fn queue_relays_requests_and_replies_over_tcp() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let device = Device::queue(&ctx)
            .bind_in("tcp://127.0.0.1:*")
            .bind_out("tcp://127.0.0.1:*")
            .configure_in(|s| s.set(sockopt::Linger, Some(Duration::ZERO)))
            .configure_out(|s| s.set(sockopt::Linger, Some(Duration::ZERO)))
            .start()
            .unwrap();
        assert!(device.bound_in()[0].starts_with("tcp://127.0.0.1:"));
        assert!(!device.bound_in()[0].ends_with('*'));

        let worker = socket(&ctx, SocketType::Rep);
        worker.connect(&device.bound_out()[0]).unwrap();
        let client = socket(&ctx, SocketType::Req);
        client.connect(&device.bound_in()[0]).unwrap();
        for i in 0..5 {
            client.send(format!("request {i}")).unwrap();
            let request = worker.recv_string().unwrap();
            assert_eq!(request, format!("request {i}"));
            worker.send(format!("reply {i}")).unwrap();
            assert_eq!(client.recv_string().unwrap(), format!("reply {i}"));
        }
        device.stop().unwrap();
        device.join().unwrap();
    });
}

#[test]
fn forwarder_relays_publications_and_subscriptions() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let device = Device::forwarder(&ctx)
            .bind_in("inproc://forwarder-in")
            .bind_out("inproc://forwarder-out")
            .start()
            .unwrap();
        let publisher = socket(&ctx, SocketType::Pub);
        publisher.connect("inproc://forwarder-in").unwrap();
        let subscriber = socket(&ctx, SocketType::Sub);
        subscriber.subscribe("weather").unwrap();
        subscriber.connect("inproc://forwarder-out").unwrap();

        let received = publish_until_received(&publisher, &subscriber, "weather sunny");
        assert_eq!(received, "weather sunny");
        // The subscription went upstream: other topics are filtered.
        publisher.send("sports").unwrap();
        publisher.send("weather rain").unwrap();
        loop {
            let text = subscriber.recv_string().unwrap();
            assert!(
                text.starts_with("weather"),
                "{text:?} was not subscribed to"
            );
            if text == "weather rain" {
                break;
            }
        }
        device.stop().unwrap();
        device.join().unwrap();
    });
}

#[test]
fn sub_pub_forwarder_relays_what_it_subscribes_to() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let device = Device::new(&ctx, SocketType::Sub, SocketType::Pub)
            .configure_in(|s| s.subscribe(""))
            .bind_in("inproc://subpub-in")
            .bind_out("inproc://subpub-out")
            .start()
            .unwrap();
        let publisher = socket(&ctx, SocketType::Pub);
        publisher.connect("inproc://subpub-in").unwrap();
        let subscriber = socket(&ctx, SocketType::Sub);
        subscriber.subscribe("").unwrap();
        subscriber.connect("inproc://subpub-out").unwrap();
        assert_eq!(
            publish_until_received(&publisher, &subscriber, "news"),
            "news"
        );
        device.stop().unwrap();
        device.join().unwrap();
    });
}

#[test]
fn streamer_relays_a_pipeline_in_order() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let device = Device::streamer(&ctx)
            .bind_in("inproc://streamer-in")
            .bind_out("inproc://streamer-out")
            .start()
            .unwrap();
        let producer = socket(&ctx, SocketType::Push);
        producer.connect("inproc://streamer-in").unwrap();
        let consumer = socket(&ctx, SocketType::Pull);
        consumer.connect("inproc://streamer-out").unwrap();
        for i in 0..100 {
            producer
                .send_multipart([format!("{i}"), "payload".to_owned()])
                .unwrap();
        }
        for i in 0..100 {
            let parts = consumer.recv_multipart().unwrap();
            assert_eq!(parts, [format!("{i}").into_bytes(), b"payload".to_vec()]);
        }
        device.stop().unwrap();
        device.join().unwrap();
    });
}

#[test]
fn devices_can_connect_out_to_a_bound_peer() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let sink = socket(&ctx, SocketType::Pull);
        sink.bind("inproc://connected-sink").unwrap();
        let _device = Device::streamer(&ctx)
            .bind_in("inproc://connected-in")
            .connect_out("inproc://connected-sink")
            .start()
            .unwrap();
        let producer = socket(&ctx, SocketType::Push);
        producer.connect("inproc://connected-in").unwrap();
        producer.send("via connect").unwrap();
        assert_eq!(sink.recv_string().unwrap(), "via connect");
    });
}

#[test]
fn a_bad_endpoint_fails_start_at_once() {
    let ctx = Context::new().unwrap();
    let error = Device::queue(&ctx)
        .bind_in("nonsense://x")
        .start()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ProtocolNotSupported, "{error}");
    let error = Device::queue(&ctx)
        .configure_out(|s| s.set(sockopt::Linger, Some(Duration::from_secs(u64::MAX))))
        .start()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
}

#[test]
fn stop_is_idempotent_and_drop_stops_the_device() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let device = Device::streamer(&ctx)
            .bind_in("inproc://idem-in")
            .start()
            .unwrap();
        device.stop().unwrap();
        for _ in 0..100 {
            if device.is_finished() {
                break;
            }
            thread::sleep(Duration::from_millis(10));
        }
        assert!(device.is_finished());
        device.stop().unwrap();
        device.join().unwrap();

        let dropped = Device::streamer(&ctx)
            .bind_in("inproc://drop-in")
            .start()
            .unwrap();
        drop(dropped);
        // The device's sockets are closed, so the endpoint comes free again
        // (libzmq's reaper thread unregisters it a moment after the close).
        let again = socket(&ctx, SocketType::Pull);
        let mut tries = 0;
        while let Err(e) = again.bind("inproc://drop-in") {
            assert!(e.kind() == ErrorKind::AddrInUse && tries < 100, "{e}");
            tries += 1;
            thread::sleep(Duration::from_millis(10));
        }
    });
}

#[test]
fn context_shutdown_ends_the_device_with_terminated() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let device = Device::queue(&ctx)
            .bind_in("inproc://shutdown-in")
            .start()
            .unwrap();
        ctx.shutdown().unwrap();
        assert_eq!(device.join().unwrap_err().kind(), ErrorKind::Terminated);
    });
}

#[test]
fn monitored_queue_copies_both_directions_with_prefixes() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let device = MonitoredQueue::new(
            Device::queue(&ctx)
                .bind_in("inproc://mq-in")
                .bind_out("inproc://mq-out"),
        )
        .mon_type(SocketType::Push)
        .bind_mon("inproc://mq-mon")
        .prefixes("request", "reply")
        .start()
        .unwrap();
        assert_eq!(device.bound_mon(), ["inproc://mq-mon"]);
        let monitor = socket(&ctx, SocketType::Pull);
        monitor.connect("inproc://mq-mon").unwrap();
        let worker = socket(&ctx, SocketType::Rep);
        worker.connect("inproc://mq-out").unwrap();
        let client = socket(&ctx, SocketType::Req);
        client.connect("inproc://mq-in").unwrap();

        client.send("hello").unwrap();
        assert_eq!(worker.recv_string().unwrap(), "hello");
        worker.send("world").unwrap();
        assert_eq!(client.recv_string().unwrap(), "world");

        let copy = monitor.recv_multipart().unwrap();
        assert_eq!(
            copy.len(),
            4,
            "prefix, routing id, delimiter, body: {copy:?}"
        );
        assert_eq!(copy[0], b"request");
        assert!(copy[2].is_empty());
        assert_eq!(copy[3], b"hello");
        let copy = monitor.recv_multipart().unwrap();
        assert_eq!(copy[0], b"reply");
        assert_eq!(copy[3], b"world");

        device.stop().unwrap();
        device.join().unwrap();
    });
}

#[test]
fn router_router_monitored_queue_swaps_routing_ids() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let _device = MonitoredQueue::new(
            Device::new(&ctx, SocketType::Router, SocketType::Router)
                .bind_in("inproc://rr-in")
                .bind_out("inproc://rr-out"),
        )
        .bind_mon("inproc://rr-mon")
        .start()
        .unwrap();
        let client = socket(&ctx, SocketType::Dealer);
        client.set(sockopt::RoutingId, b"client").unwrap();
        client.connect("inproc://rr-in").unwrap();
        let server = socket(&ctx, SocketType::Dealer);
        server.set(sockopt::RoutingId, b"server").unwrap();
        server.connect("inproc://rr-out").unwrap();

        // ROUTER drops messages to peers it does not know yet: retry.
        server
            .set(sockopt::RcvTimeo, Some(Duration::from_millis(100)))
            .unwrap();
        let request = (0..50)
            .find_map(|_| {
                client.send_multipart(["server", "ping"]).unwrap();
                server.recv_multipart().ok()
            })
            .expect("the request never reached the server");
        assert_eq!(request, [b"client".to_vec(), b"ping".to_vec()]);

        server.send_multipart(["client", "pong"]).unwrap();
        let reply = client.recv_multipart().unwrap();
        assert_eq!(reply, [b"server".to_vec(), b"pong".to_vec()]);
    });
}

#[test]
fn monitored_queue_holds_messages_until_a_worker_comes_and_still_stops() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let device = MonitoredQueue::new(
            Device::queue(&ctx)
                .bind_in("inproc://mq-late-in")
                .bind_out("inproc://mq-late-out"),
        )
        .mon_type(SocketType::Push) // no peer: copies are dropped
        .bind_mon("inproc://mq-late-mon")
        .start()
        .unwrap();
        let client = socket(&ctx, SocketType::Req);
        client.connect("inproc://mq-late-in").unwrap();
        client.send("early").unwrap();
        thread::sleep(Duration::from_millis(100));

        let worker = socket(&ctx, SocketType::Rep);
        worker.connect("inproc://mq-late-out").unwrap();
        assert_eq!(worker.recv_string().unwrap(), "early");
        worker.send("done").unwrap();
        assert_eq!(client.recv_string().unwrap(), "done");

        // A second request with the worker gone: the device must not block.
        drop(worker);
        client.send("stranded").unwrap();
        thread::sleep(Duration::from_millis(50));
        device.stop().unwrap();
        device.join().unwrap();
    });
}
