//! tx0mq's connections over `AsyncSocket`: their wire layout, checked
//! against plain sockets playing the Python peer, and their behaviour.

#![cfg(all(feature = "tokio", unix))]

mod asyncio_common;
mod common;

use std::time::Duration;

use asyncio_common::{bound, socket};
use futures_util::StreamExt;
use futures_util::future::join_all;
use zmq::asyncio::connection::{
    Connection, Pair, Publisher, Puller, Pusher, ReplyServer, RequestClient, Subscriber,
};
use zmq::{Context, ErrorKind, Message, SocketType};

fn texts(frames: &[Message]) -> Vec<String> {
    frames
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect()
}

on_both_runtimes! {
    async fn publisher_frames_are_topic_then_message_and_subscriber_splits_them() {
        let ctx = Context::new().unwrap();
        let mut publisher = Publisher::bind(&ctx, "inproc://pubsub-wire").unwrap();
        // A plain SUB plays the tx0mq peer and shows the frames.
        let mut raw = socket(&ctx, SocketType::Sub);
        raw.subscribe("").unwrap();
        raw.connect("inproc://pubsub-wire").unwrap();
        let mut subscriber = Subscriber::connect(&ctx, "inproc://pubsub-wire").unwrap();
        subscriber.subscribe("news").unwrap();
        // inproc connects at once, but subscriptions travel: publish until
        // the subscriber hears one.
        let wait = Duration::from_millis(20);
        let (mut raw_heard, mut subscriber_heard) = (false, false);
        while !(raw_heard && subscriber_heard) {
            publisher.publish(["sync"], "news.sync").await.unwrap();
            raw_heard |= tokio::time::timeout(wait, raw.recv_multipart_messages()).await.is_ok();
            subscriber_heard |= tokio::time::timeout(wait, subscriber.recv()).await.is_ok();
        }
        publisher.publish(["hello"], "news").await.unwrap();
        publisher.publish(["two", "frames"], "news").await.unwrap();
        publisher.publish(["no topic"], "").await.unwrap();
        publisher.publish(["end"], "news.end").await.unwrap();

        let mut wire = Vec::new();
        loop {
            let frames = texts(&raw.recv_multipart_messages().await.unwrap());
            if frames[0] == "news.sync" {
                continue;
            }
            let end = frames[0] == "news.end";
            wire.push(frames);
            if end {
                break;
            }
        }
        assert_eq!(wire, [
            vec!["news", "hello"],
            vec!["news", "two", "frames"],
            vec!["no topic"],
            vec!["news.end", "end"],
        ]);

        let mut seen = Vec::new();
        while let Some(item) = subscriber.next().await {
            let (topic, message) = item.unwrap();
            if topic == "news.sync" {
                continue;
            }
            seen.push((String::from_utf8_lossy(&topic).into_owned(), texts(&message)));
            if topic == "news.end" {
                break;
            }
        }
        // "no topic" has no news prefix: the subscription filtered it out.
        assert_eq!(seen, [
            ("news".to_owned(), vec!["hello".to_owned()]),
            ("news".to_owned(), vec!["two".to_owned(), "frames".to_owned()]),
            ("news.end".to_owned(), vec!["end".to_owned()]),
        ]);
    }
}

on_both_runtimes! {
    async fn request_wire_layout_is_uuid_id_delimiter_then_message() {
        let ctx = Context::new().unwrap();
        let (mut router, endpoint) = bound(&ctx, SocketType::Router, true, "");
        let client = RequestClient::connect(&ctx, &endpoint).unwrap();
        let request = tokio::spawn({
            let client = client.clone();
            async move { client.request(["ping", "two"]).await }
        });
        let frames = router.recv_multipart_messages().await.unwrap();
        assert_eq!(frames.len(), 5, "routing id, request id, delimiter, two frames");
        let id = String::from_utf8(frames[1].to_vec()).unwrap();
        assert_eq!(id.len(), 36, "{id}");
        assert_eq!(id.match_indices('-').map(|(i, _)| i).collect::<Vec<_>>(), [8, 13, 18, 23]);
        assert_eq!(&id[14..15], "4", "a version-4 UUID: {id}");
        assert!(frames[2].is_empty());
        assert_eq!(texts(&frames[3..]), ["ping", "two"]);
        // The reply: the envelope back, then the same id and delimiter.
        let mut reply = frames;
        reply.truncate(3);
        reply.push(Message::from("pong"));
        router.send_multipart(reply).await.unwrap();
        assert_eq!(texts(&request.await.unwrap().unwrap()), ["pong"]);
        assert_eq!(client.in_flight(), 0);
    }
}

on_both_runtimes! {
    async fn reply_server_hands_out_id_and_message_and_routes_the_reply() {
        let ctx = Context::new().unwrap();
        let server = ReplyServer::bind(&ctx, "tcp://127.0.0.1:*").unwrap();
        let endpoint = server.with_socket(|s| s.last_endpoint()).unwrap();
        // A plain DEALER plays a tx0mq ZmqReqConnection.
        let mut dealer = socket(&ctx, SocketType::Dealer);
        dealer.connect(&endpoint).unwrap();
        dealer.send_multipart(["request-7", "", "hello", "world"]).await.unwrap();
        let (id, message) = server.recv().await.unwrap();
        assert_eq!((id.as_slice(), texts(&message)), (&b"request-7"[..], vec!["hello".to_owned(), "world".to_owned()]));
        assert_eq!(server.unanswered(), 1);
        server.reply(&id, ["hi"]).await.unwrap();
        assert_eq!(dealer.recv_multipart().await.unwrap(), [b"request-7".to_vec(), vec![], b"hi".to_vec()]);
        assert_eq!(server.unanswered(), 0);

        let error = server.reply(b"unknown", ["x"]).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        // No delimiter: an error, and the server goes on.
        dealer.send_multipart(["no", "delimiter"]).await.unwrap();
        assert_eq!(server.recv().await.unwrap_err().kind(), ErrorKind::InvalidInput);
        dealer.send_multipart(["request-8", "", "again"]).await.unwrap();
        let mut requests = server.clone();
        let (id, message) = requests.next().await.unwrap().unwrap();
        assert_eq!((id.as_slice(), texts(&message)), (&b"request-8"[..], vec!["again".to_owned()]));
    }
}

on_both_runtimes! {
    async fn many_requests_in_flight_resolve_by_id_out_of_order() {
        let ctx = Context::new().unwrap();
        let server = ReplyServer::bind(&ctx, "inproc://many-in-flight").unwrap();
        let client = RequestClient::connect(&ctx, "inproc://many-in-flight").unwrap();
        const COUNT: usize = 200;
        let replier = tokio::spawn({
            let server = server.clone();
            async move {
                let mut held = Vec::new();
                for _ in 0..COUNT {
                    held.push(server.recv().await.unwrap());
                }
                // Answer the last request first.
                for (id, message) in held.into_iter().rev() {
                    let body = format!("re: {}", texts(&message).concat());
                    server.reply(&id, [body]).await.unwrap();
                }
            }
        });
        let requests = (0..COUNT).map(|i| {
            let client = client.clone();
            async move { client.request([format!("request {i}")]).await }
        });
        let replies = join_all(requests).await;
        for (i, reply) in replies.into_iter().enumerate() {
            assert_eq!(texts(&reply.unwrap()), [format!("re: request {i}")]);
        }
        replier.await.unwrap();
        assert_eq!(client.in_flight(), 0);
    }
}

on_both_runtimes! {
    async fn request_without_reply_times_out_and_its_late_reply_is_discarded() {
        let ctx = Context::new().unwrap();
        let server = ReplyServer::bind(&ctx, "inproc://timeout").unwrap();
        let dealer = AsyncSocketFor::dealer(&ctx, "inproc://timeout");
        let client = RequestClient::with_timeout(dealer, Some(Duration::from_millis(100))).unwrap();
        let error = client.request(["lost"]).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Again, "{error}");
        assert_eq!(client.in_flight(), 0);
        // The late reply arrives and is dropped; the next request works.
        let (id, _) = server.recv().await.unwrap();
        server.reply(&id, ["too late"]).await.unwrap();
        let next = tokio::spawn({
            let client = client.clone();
            async move { client.request_timeout(["next"], None).await }
        });
        let (id, message) = server.recv().await.unwrap();
        assert_eq!(texts(&message), ["next"]);
        server.reply(&id, ["on time"]).await.unwrap();
        assert_eq!(texts(&next.await.unwrap().unwrap()), ["on time"]);
    }
}

/// Sockets set up by hand, then handed to a connection.
struct AsyncSocketFor;

impl AsyncSocketFor {
    fn dealer(ctx: &Context, endpoint: &str) -> zmq::asyncio::AsyncSocket {
        let dealer = socket(ctx, SocketType::Dealer);
        dealer.connect(endpoint).unwrap();
        dealer
    }
}

on_both_runtimes! {
    async fn push_pull_and_pair_pass_multipart_messages() {
        let ctx = Context::new().unwrap();
        let mut puller = Puller::bind(&ctx, "inproc://pushpull").unwrap();
        let mut pusher = Pusher::connect(&ctx, "inproc://pushpull").unwrap();
        pusher.push(["job", "1"]).await.unwrap();
        pusher.push(["job", "2"]).await.unwrap();
        assert_eq!(texts(&puller.recv().await.unwrap()), ["job", "1"]);
        assert_eq!(texts(&puller.next().await.unwrap().unwrap()), ["job", "2"]);

        let mut server = Pair::bind(&ctx, "inproc://pair").unwrap();
        let mut client = Pair::connect(&ctx, "inproc://pair").unwrap();
        client.send(["ping"]).await.unwrap();
        assert_eq!(texts(&server.recv().await.unwrap()), ["ping"]);
        server.send(["pong", "!"]).await.unwrap();
        assert_eq!(texts(&client.next().await.unwrap().unwrap()), ["pong", "!"]);
    }
}

on_both_runtimes! {
    async fn a_connection_refuses_a_socket_of_the_wrong_type() {
        let ctx = Context::new().unwrap();
        let error = Publisher::from_socket(socket(&ctx, SocketType::Sub)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        let error = RequestClient::from_socket(socket(&ctx, SocketType::Req)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        let error = ReplyServer::from_socket(socket(&ctx, SocketType::Rep)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
    }
}
