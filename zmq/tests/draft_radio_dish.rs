//! RADIO/DISH groups over inproc and udp on loopback, and the group and
//! routing id of messages.
#![cfg(feature = "draft")]

use std::time::{Duration, Instant};

use zmq::{Context, ErrorKind, Message, ThreadSafeSocket, ThreadSafeType, sockopt};

const TIMEOUT: Duration = Duration::from_secs(5);

fn socket(ctx: &Context, kind: ThreadSafeType) -> ThreadSafeSocket {
    let socket = ctx.thread_safe_socket(kind).unwrap();
    socket
        .set(sockopt::RcvTimeo, Some(Duration::from_millis(20)))
        .unwrap();
    socket.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
    socket
}

/// A UDP port on 127.0.0.1 that was free a moment ago.
fn free_udp_port() -> u16 {
    let probe = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().port()
}

/// Publishes `weather` and `sports` messages until the dish has received
/// `wanted` messages (joins travel asynchronously, and UDP may start late);
/// returns what the dish received as (group, body) pairs.
fn publish_until_received(
    radio: &ThreadSafeSocket,
    dish: &ThreadSafeSocket,
    wanted: usize,
) -> Vec<(String, String)> {
    let deadline = Instant::now() + TIMEOUT;
    let mut received = Vec::new();
    let mut n = 0;
    while received.len() < wanted {
        assert!(Instant::now() < deadline, "dish got only {received:?}");
        radio.send_to_group("sports", format!("goal {n}")).unwrap();
        radio
            .send_to_group("weather", format!("sunny {n}"))
            .unwrap();
        n += 1;
        while let Ok(msg) = dish.recv() {
            let group = msg
                .group()
                .expect("DISH messages carry their group")
                .to_owned();
            received.push((group, String::from_utf8(msg.to_vec()).unwrap()));
        }
    }
    received
}

fn assert_only_weather(received: &[(String, String)]) {
    for (group, body) in received {
        assert_eq!(group, "weather");
        assert!(body.starts_with("sunny "), "{body}");
    }
}

#[test]
fn dish_receives_only_its_groups_over_inproc() {
    let ctx = Context::new().unwrap();
    let radio = socket(&ctx, ThreadSafeType::Radio);
    radio.bind("inproc://radio").unwrap();
    let dish = socket(&ctx, ThreadSafeType::Dish);
    dish.connect("inproc://radio").unwrap();
    dish.join("weather").unwrap();
    assert_only_weather(&publish_until_received(&radio, &dish, 3));
}

#[test]
fn dish_receives_only_its_groups_over_udp_on_loopback() {
    let ctx = Context::new().unwrap();
    let endpoint = format!("udp://127.0.0.1:{}", free_udp_port());
    let dish = socket(&ctx, ThreadSafeType::Dish);
    dish.bind(&endpoint).unwrap();
    dish.join("weather").unwrap();
    let radio = socket(&ctx, ThreadSafeType::Radio);
    radio.connect(&endpoint).unwrap();
    assert_only_weather(&publish_until_received(&radio, &dish, 3));
}

#[test]
fn long_groups_travel_over_udp() {
    let ctx = Context::new().unwrap();
    let endpoint = format!("udp://127.0.0.1:{}", free_udp_port());
    // Above 14 bytes libzmq stores groups out of line; over UDP at most
    // 127 bytes are safe (see the next test).
    let group = "g".repeat(100);
    let dish = socket(&ctx, ThreadSafeType::Dish);
    dish.bind(&endpoint).unwrap();
    dish.join(&group).unwrap();
    let radio = socket(&ctx, ThreadSafeType::Radio);
    radio.connect(&endpoint).unwrap();
    let deadline = Instant::now() + TIMEOUT;
    loop {
        assert!(Instant::now() < deadline, "nothing arrived");
        radio.send_to_group(&group, "long").unwrap();
        if let Ok(msg) = dish.recv() {
            assert_eq!(msg.group(), Some(group.as_str()));
            assert_eq!(msg, "long");
            break;
        }
    }
}

#[test]
fn radio_over_udp_refuses_what_libzmq_cannot_carry_safely() {
    let ctx = Context::new().unwrap();
    let radio = socket(&ctx, ThreadSafeType::Radio);
    radio
        .connect(&format!("udp://127.0.0.1:{}", free_udp_port()))
        .unwrap();
    let err = radio.send_to_group("big", vec![0u8; 9000]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MessageTooLarge);
    let err = radio.send_to_group(&"g".repeat(128), "x").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    radio
        .send_to_group(&"g".repeat(127), vec![0u8; 8000])
        .unwrap();

    // Over other transports the limits do not apply.
    let tcp_radio = socket(&ctx, ThreadSafeType::Radio);
    tcp_radio.bind("tcp://127.0.0.1:*").unwrap();
    tcp_radio
        .send_to_group(&"g".repeat(255), vec![0u8; 9000])
        .unwrap();
}

#[test]
fn leaving_a_group_stops_its_messages() {
    let ctx = Context::new().unwrap();
    let radio = socket(&ctx, ThreadSafeType::Radio);
    radio.bind("inproc://radio-leave").unwrap();
    let dish = socket(&ctx, ThreadSafeType::Dish);
    dish.connect("inproc://radio-leave").unwrap();
    dish.join("sports").unwrap();
    dish.join("weather").unwrap();
    let before = publish_until_received(&radio, &dish, 2);
    assert!(
        before.iter().any(|(group, _)| group == "sports"),
        "{before:?}"
    );

    dish.leave("sports").unwrap();
    // Drain what was in flight, then every later message is weather: the
    // dish filters locally as soon as it has left.
    while dish.recv().is_ok() {}
    assert_only_weather(&publish_until_received(&radio, &dish, 3));
    assert_eq!(
        dish.leave("sports").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[test]
fn joining_twice_or_with_a_bad_group_is_an_error() {
    let ctx = Context::new().unwrap();
    let dish = socket(&ctx, ThreadSafeType::Dish);
    dish.join("a").unwrap();
    assert_eq!(dish.join("a").unwrap_err().kind(), ErrorKind::InvalidInput);
    dish.join(&"x".repeat(255)).unwrap();
    let err = dish.join(&"x".repeat(256)).unwrap_err();
    assert!(err.to_string().contains("longer than 255"), "{err}");
    assert_eq!(
        dish.join("nul\0byte").unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let radio = socket(&ctx, ThreadSafeType::Radio);
    assert_eq!(radio.join("a").unwrap_err().kind(), ErrorKind::NotSupported);
}

#[test]
fn message_groups_up_to_255_bytes_are_kept_and_longer_ones_refused() {
    let mut msg = Message::from("body");
    assert_eq!(msg.group(), None);
    msg.set_group("weather").unwrap();
    assert_eq!(msg.group(), Some("weather"));
    let longest = "w".repeat(255);
    msg.set_group(&longest).unwrap();
    assert_eq!(msg.group(), Some(longest.as_str()));
    assert!(msg.set_group(&"w".repeat(256)).is_err());
    assert!(msg.set_group("nul\0").is_err());
    assert_eq!(
        msg.group(),
        Some(longest.as_str()),
        "a refused group changes nothing"
    );
}

#[test]
fn regrouping_a_message_with_a_long_group_keeps_body_and_routing_id() {
    let mut msg = Message::from(vec![9u8; 100]);
    msg.set_routing_id(42).unwrap();
    msg.set_group(&"long".repeat(10)).unwrap();
    msg.set_group("short").unwrap();
    assert_eq!(msg.group(), Some("short"));
    msg.set_group(&"other".repeat(10)).unwrap();
    msg.set_group(&"again".repeat(10)).unwrap();
    assert_eq!(msg.group(), Some("again".repeat(10).as_str()));
    assert_eq!(msg, [9u8; 100]);
    assert_eq!(msg.routing_id(), Some(42));
}

#[test]
fn message_routing_ids_are_none_until_set_and_never_zero() {
    let mut msg = Message::from("x");
    assert_eq!(msg.routing_id(), None);
    assert_eq!(
        msg.set_routing_id(0).unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    msg.set_routing_id(7).unwrap();
    assert_eq!(msg.routing_id(), Some(7));
}
