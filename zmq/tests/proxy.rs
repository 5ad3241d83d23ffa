//! The built-in proxy: relaying, capture, steering and statistics.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use zmq::{Context, ErrorKind, ProxyControl, ProxyStatistics, Socket, SocketType, sockopt};

const TIMEOUT: Duration = Duration::from_secs(5);

/// Runs `body` in a thread and fails the test if it takes longer than
/// `TIMEOUT` * 2, instead of hanging.
fn watchdog<T: Send + 'static>(body: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || tx.send(body()));
    rx.recv_timeout(TIMEOUT * 2).expect("test timed out")
}

fn socket(ctx: &Context, kind: SocketType) -> Socket {
    let socket = ctx.socket(kind).unwrap();
    socket.set(sockopt::RcvTimeo, Some(TIMEOUT)).unwrap();
    socket.set(sockopt::SndTimeo, Some(TIMEOUT)).unwrap();
    socket.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
    socket
}

/// A PULL→PUSH pipeline around a proxy's two sockets, bound at
/// `inproc://{name}-in` / `-out`.
struct Pipeline {
    frontend: Socket,
    backend: Socket,
    producer: Socket,
    consumer: Socket,
}

fn pipeline(ctx: &Context, name: &str) -> Pipeline {
    let frontend = socket(ctx, SocketType::Pull);
    frontend.bind(&format!("inproc://{name}-in")).unwrap();
    let backend = socket(ctx, SocketType::Push);
    backend.bind(&format!("inproc://{name}-out")).unwrap();
    let producer = socket(ctx, SocketType::Push);
    producer.connect(&format!("inproc://{name}-in")).unwrap();
    let consumer = socket(ctx, SocketType::Pull);
    consumer.connect(&format!("inproc://{name}-out")).unwrap();
    Pipeline {
        frontend,
        backend,
        producer,
        consumer,
    }
}

#[test]
fn proxy_relays_until_the_context_shuts_down() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let Pipeline {
            frontend,
            backend,
            producer,
            consumer,
        } = pipeline(&ctx, "plain");
        let proxy = thread::spawn(move || zmq::proxy(&frontend, &backend));
        for i in 0..10 {
            producer.send(format!("job {i}")).unwrap();
        }
        for i in 0..10 {
            assert_eq!(consumer.recv_string().unwrap(), format!("job {i}"));
        }
        ctx.shutdown().unwrap();
        let error = proxy.join().unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Terminated);
    });
}

#[test]
fn capture_socket_sees_every_frame_relayed() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let Pipeline {
            frontend,
            backend,
            producer,
            consumer,
        } = pipeline(&ctx, "capture");
        let capture = socket(&ctx, SocketType::Push);
        capture.bind("inproc://capture-tap").unwrap();
        let tap = socket(&ctx, SocketType::Pull);
        tap.connect("inproc://capture-tap").unwrap();
        let proxy = thread::spawn(move || zmq::proxy_with_capture(&frontend, &backend, &capture));

        producer.send_multipart(["key", "value"]).unwrap();
        let relayed = consumer.recv_multipart().unwrap();
        assert_eq!(relayed, [b"key".to_vec(), b"value".to_vec()]);
        assert_eq!(tap.recv_multipart().unwrap(), relayed);

        ctx.shutdown().unwrap();
        assert!(proxy.join().unwrap().is_err());
    });
}

/// A steerable proxy over a pipeline, with its control helper.
fn steerable(
    ctx: &Context,
    name: &str,
) -> (
    Socket,
    Socket,
    ProxyControl,
    thread::JoinHandle<zmq::Result<()>>,
) {
    let Pipeline {
        frontend,
        backend,
        producer,
        consumer,
    } = pipeline(ctx, name);
    let control = socket(ctx, SocketType::Pair);
    control.bind(&format!("inproc://{name}-control")).unwrap();
    let steer = socket(ctx, SocketType::Pair);
    steer.connect(&format!("inproc://{name}-control")).unwrap();
    let proxy = thread::spawn(move || zmq::proxy_steerable(&frontend, &backend, None, &control));
    (producer, consumer, ProxyControl::new(steer), proxy)
}

#[test]
fn statistics_count_frames_and_bytes_on_both_sides() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let (producer, consumer, steer, proxy) = steerable(&ctx, "stats");
        for _ in 0..3 {
            producer.send("12345").unwrap();
        }
        producer.send_multipart(["ab", "cdef"]).unwrap();
        for _ in 0..4 {
            consumer.recv_multipart().unwrap();
        }
        let stats = steer.statistics().unwrap();
        assert_eq!(stats.frontend.messages_received, 5);
        assert_eq!(stats.frontend.bytes_received, 21);
        assert_eq!(stats.backend.messages_sent, 5);
        assert_eq!(stats.backend.bytes_sent, 21);
        // Nothing flows back in a pipeline.
        assert_eq!(stats.frontend.messages_sent, 0);
        assert_eq!(stats.backend.messages_received, 0);

        steer.terminate().unwrap();
        proxy.join().unwrap().unwrap();
    });
}

#[test]
fn paused_proxy_holds_messages_until_resumed() {
    watchdog(|| {
        let ctx = Context::new().unwrap();
        let (producer, consumer, steer, proxy) = steerable(&ctx, "pause");
        producer.send("before").unwrap();
        assert_eq!(consumer.recv_string().unwrap(), "before");

        steer.pause().unwrap();
        producer.send("held").unwrap();
        consumer
            .set(sockopt::RcvTimeo, Some(Duration::from_millis(300)))
            .unwrap();
        let error = consumer.recv().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Again, "a paused proxy relayed");

        steer.resume().unwrap();
        consumer.set(sockopt::RcvTimeo, Some(TIMEOUT)).unwrap();
        assert_eq!(consumer.recv_string().unwrap(), "held");

        steer.terminate().unwrap();
        assert_eq!(proxy.join().unwrap(), Ok(()));
    });
}

#[test]
fn statistics_reply_of_the_wrong_shape_is_an_error() {
    let frames = vec![vec![0u8; 8]; 9];
    assert!(ProxyStatistics::from_frames(&frames).is_err());
    let empty: [&[u8]; 0] = [];
    assert!(ProxyStatistics::from_frames(&empty).is_err());
}
