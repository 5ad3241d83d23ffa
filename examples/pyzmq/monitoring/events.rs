//! What the monitoring examples print about events, as pyzmq prints them:
//! the `EVENT_*` names `dir(zmq)` lists, and each event as the dict
//! `{'event': ..., 'value': ..., 'endpoint': ..., 'description': ...}`
//! that `recv_monitor_message` returns plus its description. pyzmq shows
//! both the event and its value as `zmq.Event` flags, so a descriptor 13
//! reads `<Event.CONNECTED|CONNECT_RETRIED|LISTENING: 13>`.

use zmq::{MonitorEvent, SocketEvent};
use zmq_guide::pyfmt;

/// The `EVENT_*` constants `dir(zmq)` shows, in its (alphabetical) order.
pub(crate) const EVENT_NAMES: [(&str, u32); 19] = [
    ("EVENT_ACCEPTED", 32),
    ("EVENT_ACCEPT_FAILED", 64),
    ("EVENT_ALL", 65535),
    ("EVENT_ALL_V1", 65535),
    ("EVENT_ALL_V2", 131071),
    ("EVENT_BIND_FAILED", 16),
    ("EVENT_CLOSED", 128),
    ("EVENT_CLOSE_FAILED", 256),
    ("EVENT_CONNECTED", 1),
    ("EVENT_CONNECT_DELAYED", 2),
    ("EVENT_CONNECT_RETRIED", 4),
    ("EVENT_DISCONNECTED", 512),
    ("EVENT_HANDSHAKE_FAILED_AUTH", 16384),
    ("EVENT_HANDSHAKE_FAILED_NO_DETAIL", 2048),
    ("EVENT_HANDSHAKE_FAILED_PROTOCOL", 8192),
    ("EVENT_HANDSHAKE_SUCCEEDED", 4096),
    ("EVENT_LISTENING", 8),
    ("EVENT_MONITOR_STOPPED", 1024),
    ("EVENT_PIPES_STATS", 65536),
];

/// Prints the event names and values, as the examples' loop over
/// `dir(zmq)` does.
pub(crate) fn print_event_names() {
    println!("Event names:");
    for (name, value) in EVENT_NAMES {
        println!("{name:21} : {value:4}");
    }
}

/// `EVENT_MAP[value]`: the last name listed with that value.
fn description(code: u32) -> &'static str {
    EVENT_NAMES
        .iter()
        .rev()
        .find(|(_, value)| *value == code)
        .map_or("?", |(name, _)| name)
}

/// The single-bit members of pyzmq's `zmq.Event` flag, lowest bit first.
const FLAGS: [(&str, u32); 16] = [
    ("CONNECTED", 1),
    ("CONNECT_DELAYED", 2),
    ("CONNECT_RETRIED", 4),
    ("LISTENING", 8),
    ("BIND_FAILED", 16),
    ("ACCEPTED", 32),
    ("ACCEPT_FAILED", 64),
    ("CLOSED", 128),
    ("CLOSE_FAILED", 256),
    ("DISCONNECTED", 512),
    ("MONITOR_STOPPED", 1024),
    ("HANDSHAKE_FAILED_NO_DETAIL", 2048),
    ("HANDSHAKE_SUCCEEDED", 4096),
    ("HANDSHAKE_FAILED_PROTOCOL", 8192),
    ("HANDSHAKE_FAILED_AUTH", 16384),
    ("PIPES_STATS", 65536),
];

/// `repr()` of `zmq.Event(value)`: `<Event.A|B: n>`, `<Event: 0>`.
fn flag_repr(value: u32) -> String {
    let names: Vec<&str> = FLAGS
        .iter()
        .filter(|(_, bit)| value & bit != 0)
        .map(|(name, _)| *name)
        .collect();
    if names.is_empty() {
        format!("<Event: {value}>")
    } else {
        format!("<Event.{}: {value}>", names.join("|"))
    }
}

/// The raw 32-bit value libzmq sent with `event`.
fn raw_value(event: &SocketEvent) -> u32 {
    let int = |v: i32| u32::from_ne_bytes(v.to_ne_bytes());
    match *event {
        SocketEvent::Connected { fd }
        | SocketEvent::Listening { fd }
        | SocketEvent::Accepted { fd }
        | SocketEvent::Closed { fd }
        | SocketEvent::Disconnected { fd } => int(fd),
        SocketEvent::ConnectRetried { interval } => {
            u32::try_from(interval.as_millis()).unwrap_or(u32::MAX)
        }
        SocketEvent::BindFailed { errno }
        | SocketEvent::AcceptFailed { errno }
        | SocketEvent::CloseFailed { errno }
        | SocketEvent::HandshakeFailedNoDetail { errno } => int(errno),
        SocketEvent::HandshakeFailedProtocol { code } => code,
        SocketEvent::HandshakeFailedAuth { status_code } => status_code,
        SocketEvent::Unknown { value, .. } => value,
        _ => 0,
    }
}

/// `print(f"Event: {evt}")` for one monitor message.
pub(crate) fn print_event(evt: &MonitorEvent) {
    let code = match evt.event {
        SocketEvent::Unknown { event, .. } => u32::from(event),
        ref known => u32::try_from(known.flag().bits()).unwrap_or(0),
    };
    println!(
        "Event: {{'event': {}, 'value': {}, 'endpoint': {}, 'description': '{}'}}",
        flag_repr(code),
        flag_repr(raw_value(&evt.event)),
        pyfmt::bytes(evt.endpoint.as_bytes()),
        description(code)
    );
}
