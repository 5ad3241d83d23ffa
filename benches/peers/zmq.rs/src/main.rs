//! libzmq's perf tools written against zmq.rs (the `zeromq` crate 0.7), one
//! executable for all of them: `zmqrs-perf <tool> <arguments of the tool>`,
//! where the tool is `local_thr`, `remote_thr`, `local_lat` or `remote_lat`
//! (the arguments and output of libzmq's `perf/*.cpp`). zmq.rs 0.7 has no
//! inproc transport, so the inproc tools (`inproc_thr`, `inproc_lat`,
//! `zero_copy_thr`) do not exist here.
//!
//! Each tool follows its C++ original with what a zmq.rs user has: sockets
//! whose `send` and `recv` are futures, on tokio's multi-thread runtime (the
//! one `#[tokio::main]` starts, which zmq.rs's examples use: its sockets do
//! their I/O in tasks of their own, as libzmq does in its I/O thread).

use std::process::exit;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::StreamExt;
use zeromq::{
    PullSocket, PushSocket, RepSocket, ReqSocket, Socket, SocketEvent, SocketRecv, SocketSend,
    ZmqMessage,
};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((tool, args)) = args.split_first() else {
        usage();
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let runtime = check(tokio::runtime::Runtime::new(), "tokio runtime");
    match (tool.as_str(), args.as_slice()) {
        ("local_thr", [bind_to, size, count]) => {
            runtime.block_on(local_thr(bind_to, size_arg(size), count_arg(count)))
        }
        ("remote_thr", [connect_to, size, count]) => {
            runtime.block_on(remote_thr(connect_to, size_arg(size), count_arg(count)))
        }
        ("local_lat", [bind_to, size, count]) => {
            runtime.block_on(local_lat(bind_to, size_arg(size), count_arg(count)))
        }
        ("remote_lat", [connect_to, size, count]) => {
            runtime.block_on(remote_lat(connect_to, size_arg(size), count_arg(count)))
        }
        _ => usage(),
    }
}

fn usage() -> ! {
    println!(
        "usage: zmqrs-perf local_thr|remote_thr|local_lat|remote_lat <endpoint> <message-size> <count>\n\
         \x20      (zmq.rs 0.7 has no inproc transport: no inproc_thr, inproc_lat, zero_copy_thr)"
    );
    exit(1);
}

fn size_arg(text: &str) -> usize {
    text.parse().unwrap_or_else(|_| usage())
}

fn count_arg(text: &str) -> u64 {
    match text.parse() {
        Ok(n) if n > 0 => n,
        _ => usage(),
    }
}

/// The value, or the C++ tools' `error in <call>: <error>` and exit -1.
fn check<T, E: std::fmt::Display>(result: Result<T, E>, call: &str) -> T {
    result.unwrap_or_else(|e| {
        println!("error in {call}: {e}");
        exit(-1)
    })
}

/// The single frame of a message the tools send, checked for its size.
fn check_size(msg: &ZmqMessage, size: usize) {
    if msg.len() != 1 || msg.get(0).map(Bytes::len) != Some(size) {
        println!("message of incorrect size received");
        exit(-1);
    }
}

fn elapsed_us(watch: Instant) -> u64 {
    (watch.elapsed().as_micros() as u64).max(1)
}

fn print_throughput(size: usize, count: u64, elapsed_us: u64) {
    let throughput = count as f64 / elapsed_us as f64 * 1_000_000.0;
    let megabits = throughput * size as f64 * 8.0 / 1_000_000.0;
    println!("message size: {size} [B]");
    println!("message count: {count}");
    println!("mean throughput: {} [msg/s]", throughput as u64);
    println!("mean throughput: {megabits:.3} [Mb/s]");
}

fn print_latency(size: usize, count: u64, elapsed_us: u64) {
    let latency = elapsed_us as f64 / (count * 2) as f64;
    println!("message size: {size} [B]");
    println!("roundtrip count: {count}");
    println!("average latency: {latency:.3} [us]");
}

async fn local_thr(bind_to: &str, size: usize, count: u64) {
    let mut s = PullSocket::new();
    check(s.bind(bind_to).await, "zmq_bind");
    check_size(&check(s.recv().await, "zmq_recvmsg"), size);
    let watch = Instant::now();
    for _ in 1..count {
        check_size(&check(s.recv().await, "zmq_recvmsg"), size);
    }
    let elapsed = elapsed_us(watch);
    print_throughput(size, count, elapsed);
}

/// zmq.rs's `send` returns once the message is queued for the peer, and its
/// sockets have no linger: dropped, they throw away what is still queued.
/// remote_thr.cpp relies on libzmq's infinite linger instead, so this one,
/// after its last message, keeps sending one more now and then until the
/// connection to local_thr breaks (local_thr has then received all it wants
/// and exited; the extra messages, if it sees any, come after its count).
async fn remote_thr(connect_to: &str, size: usize, count: u64) {
    let mut s = PushSocket::new();
    let mut events = s.monitor();
    check(s.connect(connect_to).await, "zmq_connect");
    // One buffer shared by every message (a reference count, no copy): the
    // cheapest way zmq.rs has to send `size` bytes.
    let payload = Bytes::from(vec![0u8; size]);
    for _ in 0..count {
        check(
            s.send(ZmqMessage::from(payload.clone())).await,
            "zmq_sendmsg",
        );
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let tail = ZmqMessage::from(Bytes::new());
    while Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_millis(50), events.next()).await {
            Ok(Some(SocketEvent::Disconnected(_)) | None) => return,
            Ok(Some(_)) => {}
            Err(_) => {
                // No peer left: send would wait for one; that is the end too.
                let sent =
                    tokio::time::timeout(Duration::from_millis(50), s.send(tail.clone())).await;
                if !matches!(sent, Ok(Ok(()))) {
                    return;
                }
            }
        }
    }
}

async fn local_lat(bind_to: &str, size: usize, count: u64) {
    let mut s = RepSocket::new();
    check(s.bind(bind_to).await, "zmq_bind");
    for _ in 0..count {
        let msg = check(s.recv().await, "zmq_recvmsg");
        check_size(&msg, size);
        check(s.send(msg).await, "zmq_sendmsg");
    }
    // As local_lat.cpp: give the last reply time to leave before closing.
    tokio::time::sleep(Duration::from_secs(1)).await;
}

async fn remote_lat(connect_to: &str, size: usize, count: u64) {
    let mut s = ReqSocket::new();
    check(s.connect(connect_to).await, "zmq_connect");
    let mut msg = ZmqMessage::from(vec![0u8; size]);
    let watch = Instant::now();
    for _ in 0..count {
        check(s.send(msg).await, "zmq_sendmsg");
        msg = check(s.recv().await, "zmq_recvmsg");
        check_size(&msg, size);
    }
    let elapsed = elapsed_us(watch);
    print_latency(size, count, elapsed);
}
