//! libzmq's perf tools written against rust-zmq 0.10, one executable for all
//! of them: `rust-zmq-perf <tool> <arguments of the tool>`, where the tool is
//! `local_thr`, `remote_thr`, `local_lat`, `remote_lat`, `inproc_thr`,
//! `inproc_lat` (the arguments and output of libzmq's `perf/*.cpp`) or
//! `zero_copy_thr` (`<copy|owned> <message-size> <message-count>`, printing
//! inproc_thr's report). Each tool follows its C++ original step by step with
//! the calls a rust-zmq user has: `Message` values, `Socket::send` taking a
//! message by value, `Socket::recv` into a reused message.

use std::process::exit;
use std::thread;
use std::time::{Duration, Instant};

use zmq::{Context, Message, Socket};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((tool, args)) = args.split_first() else {
        usage();
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match (tool.as_str(), args.as_slice()) {
        ("local_thr", [bind_to, size, count]) => {
            local_thr(bind_to, size_arg(size), count_arg(count))
        }
        ("remote_thr", [connect_to, size, count]) => {
            remote_thr(connect_to, size_arg(size), count_arg(count))
        }
        ("local_lat", [bind_to, size, count]) => {
            local_lat(bind_to, size_arg(size), count_arg(count))
        }
        ("remote_lat", [connect_to, size, count]) => {
            remote_lat(connect_to, size_arg(size), count_arg(count))
        }
        ("inproc_thr", [size, count]) => inproc_thr(size_arg(size), count_arg(count)),
        ("inproc_lat", [size, count]) => inproc_lat(size_arg(size), count_arg(count)),
        ("zero_copy_thr", [mode @ ("copy" | "owned"), size, count]) => {
            zero_copy_thr(*mode == "owned", size_arg(size), count_arg(count))
        }
        _ => usage(),
    }
}

fn usage() -> ! {
    println!(
        "usage: rust-zmq-perf local_thr|remote_thr|local_lat|remote_lat <endpoint> <message-size> <count>\n\
         \x20      rust-zmq-perf inproc_thr|inproc_lat <message-size> <count>\n\
         \x20      rust-zmq-perf zero_copy_thr copy|owned <message-size> <count>"
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

/// The value, or the C++ tools' `error in <call>: <strerror>` and exit -1.
fn check<T>(result: zmq::Result<T>, call: &str) -> T {
    result.unwrap_or_else(|e| {
        println!("error in {call}: {e}");
        exit(-1)
    })
}

fn check_size(msg: &Message, size: usize) {
    if msg.len() != size {
        println!("message of incorrect size received");
        exit(-1);
    }
}

/// A message of `size` bytes that nobody reads, as `zmq_msg_init_size`
/// makes it in the C++ tools (rust-zmq's `Message::with_size` would also
/// zero it, a memset the originals do not pay).
fn sized_message(size: usize) -> Message {
    // SAFETY: the content is never read: libzmq moves it to the peer as it
    // is, and the receivers only check the size.
    #[allow(deprecated)]
    unsafe {
        Message::with_capacity_unallocated(size)
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

/// Receives `count` messages on `s` and returns the microseconds from the
/// first to the last, as local_thr and inproc_thr time them.
fn receive_all(s: &Socket, size: usize, count: u64) -> u64 {
    let mut msg = Message::new();
    check(s.recv(&mut msg, 0), "zmq_recvmsg");
    check_size(&msg, size);
    let watch = Instant::now();
    for _ in 1..count {
        check(s.recv(&mut msg, 0), "zmq_recvmsg");
        check_size(&msg, size);
    }
    elapsed_us(watch)
}

fn send_all(s: &Socket, size: usize, count: u64) {
    for _ in 0..count {
        check(s.send(sized_message(size), 0), "zmq_sendmsg");
    }
}

/// Sends and receives `count` roundtrips; returns their microseconds.
fn ping(s: &Socket, size: usize, count: u64) -> u64 {
    let mut msg = Message::with_size(size);
    let watch = Instant::now();
    for _ in 0..count {
        check(s.send(msg, 0), "zmq_sendmsg");
        msg = Message::new();
        check(s.recv(&mut msg, 0), "zmq_recvmsg");
        check_size(&msg, size);
    }
    elapsed_us(watch)
}

/// Echoes `count` messages back.
fn pong(s: &Socket, size: Option<usize>, count: u64) {
    let mut msg = Message::new();
    for _ in 0..count {
        check(s.recv(&mut msg, 0), "zmq_recvmsg");
        if let Some(size) = size {
            check_size(&msg, size);
        }
        check(s.send(msg, 0), "zmq_sendmsg");
        msg = Message::new();
    }
}

fn local_thr(bind_to: &str, size: usize, count: u64) {
    let ctx = Context::new();
    let s = check(ctx.socket(zmq::PULL), "zmq_socket");
    check(s.bind(bind_to), "zmq_bind");
    let elapsed = receive_all(&s, size, count);
    print_throughput(size, count, elapsed);
}

fn remote_thr(connect_to: &str, size: usize, count: u64) {
    let ctx = Context::new();
    let s = check(ctx.socket(zmq::PUSH), "zmq_socket");
    check(s.connect(connect_to), "zmq_connect");
    send_all(&s, size, count);
}

fn local_lat(bind_to: &str, size: usize, count: u64) {
    let ctx = Context::new();
    let s = check(ctx.socket(zmq::REP), "zmq_socket");
    check(s.bind(bind_to), "zmq_bind");
    pong(&s, Some(size), count);
    // As local_lat.cpp: give the last reply time to leave before closing.
    thread::sleep(Duration::from_secs(1));
}

fn remote_lat(connect_to: &str, size: usize, count: u64) {
    let ctx = Context::new();
    let s = check(ctx.socket(zmq::REQ), "zmq_socket");
    check(s.connect(connect_to), "zmq_connect");
    let elapsed = ping(&s, size, count);
    print_latency(size, count, elapsed);
}

fn inproc_thr(size: usize, count: u64) {
    let ctx = Context::new();
    let s = check(ctx.socket(zmq::PULL), "zmq_socket");
    check(s.bind("inproc://thr_test"), "zmq_bind");
    let worker_ctx = ctx.clone();
    let worker = thread::spawn(move || {
        let s = check(worker_ctx.socket(zmq::PUSH), "zmq_socket");
        check(s.connect("inproc://thr_test"), "zmq_connect");
        send_all(&s, size, count);
    });
    let elapsed = receive_all(&s, size, count);
    if worker.join().is_err() {
        println!("error in pthread_join");
        exit(-1);
    }
    print_throughput(size, count, elapsed);
}

fn inproc_lat(size: usize, count: u64) {
    let ctx = Context::new();
    let s = check(ctx.socket(zmq::REQ), "zmq_socket");
    check(s.bind("inproc://lat_test"), "zmq_bind");
    let worker_ctx = ctx.clone();
    let worker = thread::spawn(move || {
        let s = check(worker_ctx.socket(zmq::REP), "zmq_socket");
        check(s.connect("inproc://lat_test"), "zmq_connect");
        pong(&s, None, count);
    });
    let elapsed = ping(&s, size, count);
    if worker.join().is_err() {
        println!("error in pthread_join");
        exit(-1);
    }
    print_latency(size, count, elapsed);
}

/// Fresh vectors sent over inproc, copied (`send(&vec[..])`) or handed over
/// (`send(vec)`, `Message::from(Vec<u8>)` without a copy); at most 100
/// messages in flight, as in the zmq crate's version of this tool.
fn zero_copy_thr(owned: bool, size: usize, count: u64) {
    let ctx = Context::new();
    let s = check(ctx.socket(zmq::PULL), "zmq_socket");
    check(s.set_rcvhwm(100), "zmq_setsockopt");
    check(s.bind("inproc://zero-copy"), "zmq_bind");
    let worker_ctx = ctx.clone();
    let worker = thread::spawn(move || {
        let s = check(worker_ctx.socket(zmq::PUSH), "zmq_socket");
        check(s.set_sndhwm(100), "zmq_setsockopt");
        check(s.connect("inproc://zero-copy"), "zmq_connect");
        for _ in 0..count {
            let data = vec![0x5a_u8; size];
            if owned {
                check(s.send(data, 0), "zmq_sendmsg");
            } else {
                check(s.send(&data[..], 0), "zmq_sendmsg");
            }
        }
    });
    let elapsed = receive_all(&s, size, count);
    if worker.join().is_err() {
        println!("error in pthread_join");
        exit(-1);
    }
    print_throughput(size, count, elapsed);
}
