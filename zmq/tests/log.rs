//! The logging handler (feature `tracing`): `PubLayer` publishes tracing
//! events in pyzmq's PUBHandler layout, read by a SUB socket and by
//! `LogWatcher`.

#![cfg(feature = "tracing")]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{TIMEOUT, socket};
use tracing_subscriber::layer::SubscriberExt;
use zmq::log::{LogLevel, LogWatcher, PubLayer};
use zmq::{Context, ErrorKind, PollEvents, RecvFlags, SocketType};

/// Emits `probe` events until the SUB receives one (the slow-joiner
/// dance), then drains what else came.
fn sync(sub: &zmq::Socket, probe: impl Fn()) {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        assert!(Instant::now() < deadline, "subscription never arrived");
        probe();
        if !sub
            .poll(PollEvents::POLLIN, Some(Duration::from_millis(10)))
            .unwrap()
            .is_empty()
        {
            break;
        }
    }
    while sub.recv_multipart_with(RecvFlags::DONTWAIT).is_ok() {}
}

#[test]
fn events_arrive_as_topic_and_text_frames_in_pyzmqs_layout() {
    let ctx = Context::new().unwrap();
    let layer = PubLayer::bind(&ctx, "inproc://log-frames")
        .unwrap()
        .with_root_topic("myapp");
    assert_eq!(layer.root_topic(), "myapp");
    let sub = socket(&ctx, SocketType::Sub);
    sub.connect("inproc://log-frames").unwrap();
    sub.subscribe("myapp.").unwrap();
    let subscriber = tracing_subscriber::registry().with(layer);
    tracing::subscriber::with_default(subscriber, || {
        sync(&sub, || tracing::info!(topic = "sync", "probe"));
        tracing::info!("plain info");
        tracing::warn!(topic = "disk", "{}% full", 91);
        tracing::error!("db.pool::connection lost");
        tracing::debug!(attempt = 3, "retrying");
        tracing::trace!("fine detail");
    });
    let line = line!();
    let frames: Vec<Vec<Vec<u8>>> = (0..5).map(|_| sub.recv_multipart().unwrap()).collect();
    let text = |frames: &Vec<Vec<u8>>| {
        (
            String::from_utf8(frames[0].clone()).unwrap(),
            String::from_utf8(frames[1].clone()).unwrap(),
        )
    };
    assert_eq!(
        text(&frames[0]),
        ("myapp.INFO".into(), "plain info\n".into())
    );
    let at = |offset: u32| format!("log.rs:{}", line - offset);
    assert_eq!(
        text(&frames[1]),
        (
            "myapp.WARNING.disk".into(),
            format!("WARNING {} - 91% full\n", at(5))
        )
    );
    assert_eq!(
        text(&frames[2]),
        (
            "myapp.ERROR.db.pool".into(),
            format!("ERROR {} - connection lost - None\n", at(4))
        )
    );
    assert_eq!(
        text(&frames[3]),
        (
            "myapp.DEBUG".into(),
            format!("DEBUG {} - retrying attempt=3\n", at(3))
        )
    );
    assert_eq!(
        text(&frames[4]),
        (
            "myapp.DEBUG".into(),
            format!("DEBUG {} - fine detail\n", at(2))
        )
    );
}

#[test]
fn a_log_watcher_reads_level_topic_and_message() {
    let ctx = Context::new().unwrap();
    let layer = PubLayer::bind(&ctx, "inproc://log-watcher").unwrap();
    let watcher = LogWatcher::connect(&ctx, "inproc://log-watcher").unwrap();
    watcher.subscribe("ERROR").unwrap();
    let subscriber = tracing_subscriber::registry().with(layer);
    tracing::subscriber::with_default(subscriber, || {
        sync(watcher.socket(), || {
            tracing::error!(topic = "sync", "probe")
        });
        tracing::warn!("filtered out by the subscription");
        tracing::error!(topic = "net", "peer gone");
    });
    let record = watcher.next(Some(TIMEOUT)).unwrap().expect("a record");
    assert_eq!(record.topic, "ERROR.net");
    assert_eq!(record.root_topic, "");
    assert_eq!(record.level, Some(LogLevel::Error));
    assert_eq!(record.subtopic, "net");
    assert!(
        record.message().ends_with(" - peer gone - None"),
        "{record:?}"
    );
    assert_eq!(watcher.next(Some(Duration::from_millis(20))).unwrap(), None);
}

#[test]
fn events_from_many_threads_all_arrive_whole() {
    let ctx = Context::new().unwrap();
    let layer = PubLayer::bind(&ctx, "inproc://log-threads").unwrap();
    let sub = socket(&ctx, SocketType::Sub);
    sub.connect("inproc://log-threads").unwrap();
    sub.subscribe("INFO").unwrap();
    let dispatch = tracing::Dispatch::new(tracing_subscriber::registry().with(layer));
    tracing::dispatcher::with_default(&dispatch, || {
        sync(&sub, || tracing::info!(topic = "sync", "probe"));
    });
    let dispatch = Arc::new(dispatch);
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let dispatch = Arc::clone(&dispatch);
            std::thread::spawn(move || {
                tracing::dispatcher::with_default(&dispatch, || {
                    for i in 0..50 {
                        tracing::info!("thread {t} event {i}");
                    }
                });
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let mut seen = std::collections::HashSet::new();
    while seen.len() < 200 {
        let frames = sub.recv_multipart().unwrap();
        assert_eq!(frames.len(), 2, "a record was torn: {frames:?}");
        let text = String::from_utf8(frames[1].clone()).unwrap();
        if !text.starts_with("probe") {
            assert!(seen.insert(text.clone()), "{text} twice");
        }
    }
}

#[test]
fn only_pub_and_xpub_sockets_publish_and_only_sub_sockets_watch() {
    let ctx = Context::new().unwrap();
    let error = PubLayer::new(ctx.socket(SocketType::Push).unwrap()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert!(error.to_string().contains("Push"), "{error}");
    PubLayer::new(ctx.socket(SocketType::Xpub).unwrap()).unwrap();
    let error = LogWatcher::new(ctx.socket(SocketType::Pull).unwrap()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    let error = PubLayer::bind(&ctx, "nosuch://x").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ProtocolNotSupported);
}
