//! libzmq's perf tools written against tmq 0.5, one executable for all of
//! them: `tmq-perf <tool> <arguments of the tool>`, where the tool is
//! `local_thr`, `remote_thr`, `local_lat`, `remote_lat`, `inproc_thr`,
//! `inproc_lat` (the arguments and output of libzmq's `perf/*.cpp`) or
//! `zero_copy_thr` (`<copy|owned> <message-size> <message-count>`, printing
//! inproc_thr's report). Each tool follows its C++ original step by step with
//! what a tmq user has: a `Push` sink and a `Pull` stream of multipart
//! messages, the `RequestSender`/`RequestReceiver` pair that REQ and REP
//! become, each thread on a tokio current-thread runtime of its own (as the
//! async ports over `zmq::asyncio` run).

use std::process::exit;
use std::thread;
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use tmq::{Context, Message, Multipart};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((tool, args)) = args.split_first() else {
        usage();
    };
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match (tool.as_str(), args.as_slice()) {
        ("local_thr", [bind_to, size, count]) => {
            block_on(local_thr(bind_to, size_arg(size), count_arg(count)))
        }
        ("remote_thr", [connect_to, size, count]) => {
            block_on(remote_thr(connect_to, size_arg(size), count_arg(count)))
        }
        ("local_lat", [bind_to, size, count]) => {
            block_on(local_lat(bind_to, size_arg(size), count_arg(count)))
        }
        ("remote_lat", [connect_to, size, count]) => {
            block_on(remote_lat(connect_to, size_arg(size), count_arg(count)))
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
        "usage: tmq-perf local_thr|remote_thr|local_lat|remote_lat <endpoint> <message-size> <count>\n\
         \x20      tmq-perf inproc_thr|inproc_lat <message-size> <count>\n\
         \x20      tmq-perf zero_copy_thr copy|owned <message-size> <count>"
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

/// Runs `future` on a tokio current-thread runtime with I/O, as
/// `zmq_guide::perf::port::block_on` runs our async ports.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
    {
        Ok(runtime) => runtime.block_on(future),
        Err(e) => {
            println!("error in tokio runtime: {e}");
            exit(-1)
        }
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
fn check_size(parts: &Multipart, size: Option<usize>) {
    let ok = parts.len() == 1 && size.is_none_or(|size| parts[0].len() == size);
    if !ok {
        println!("message of incorrect size received");
        exit(-1);
    }
}

/// A message of `size` bytes that nobody reads, as `zmq_msg_init_size`
/// makes it in the C++ tools.
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

/// Receives `count` messages from the `Pull` stream and returns the
/// microseconds from the first to the last, as local_thr and inproc_thr
/// time them.
async fn receive_all(mut pull: tmq::pull::Pull, size: usize, count: u64) -> u64 {
    check_size(&next(&mut pull).await, Some(size));
    let watch = Instant::now();
    for _ in 1..count {
        check_size(&next(&mut pull).await, Some(size));
    }
    elapsed_us(watch)
}

/// The next message of the `Pull` stream.
async fn next(pull: &mut tmq::pull::Pull) -> Multipart {
    match pull.next().await {
        Some(parts) => check(parts, "zmq_recvmsg"),
        None => {
            println!("error in zmq_recvmsg: the stream ended");
            exit(-1)
        }
    }
}

async fn send_all(mut push: tmq::push::Push, size: usize, count: u64) {
    for _ in 0..count {
        check(push.send(sized_message(size)).await, "zmq_sendmsg");
    }
}

/// Sends and receives `count` roundtrips over REQ; returns their
/// microseconds.
async fn ping(mut req: tmq::request_reply::RequestSender, size: usize, count: u64) -> u64 {
    let mut msg = Multipart::from(Message::with_size(size));
    let watch = Instant::now();
    for _ in 0..count {
        let waiting = check(req.send(msg).await, "zmq_sendmsg");
        let (reply, sender) = check(waiting.recv().await, "zmq_recvmsg");
        check_size(&reply, Some(size));
        (msg, req) = (reply, sender);
    }
    elapsed_us(watch)
}

/// Echoes `count` messages back over REP.
async fn pong(mut rep: tmq::request_reply::RequestReceiver, size: Option<usize>, count: u64) {
    for _ in 0..count {
        let (msg, sender) = check(rep.recv().await, "zmq_recvmsg");
        check_size(&msg, size);
        rep = check(sender.send(msg).await, "zmq_sendmsg");
    }
}

async fn local_thr(bind_to: &str, size: usize, count: u64) {
    let ctx = Context::new();
    let pull = check(tmq::pull(&ctx).bind(bind_to), "zmq_bind");
    let elapsed = receive_all(pull, size, count).await;
    print_throughput(size, count, elapsed);
}

async fn remote_thr(connect_to: &str, size: usize, count: u64) {
    let ctx = Context::new();
    let push = check(tmq::push(&ctx).connect(connect_to), "zmq_connect");
    send_all(push, size, count).await;
}

async fn local_lat(bind_to: &str, size: usize, count: u64) {
    let ctx = Context::new();
    let rep = check(tmq::reply(&ctx).bind(bind_to), "zmq_bind");
    pong(rep, Some(size), count).await;
    // As local_lat.cpp: give the last reply time to leave before closing.
    thread::sleep(Duration::from_secs(1));
}

async fn remote_lat(connect_to: &str, size: usize, count: u64) {
    let ctx = Context::new();
    let req = check(tmq::request(&ctx).connect(connect_to), "zmq_connect");
    let elapsed = ping(req, size, count).await;
    print_latency(size, count, elapsed);
}

/// Joins the worker thread as the C++ tools join theirs.
fn join(worker: thread::JoinHandle<()>) {
    if worker.join().is_err() {
        println!("error in pthread_join");
        exit(-1);
    }
}

fn inproc_thr(size: usize, count: u64) {
    let ctx = Context::new();
    let worker_ctx = ctx.clone();
    let elapsed = block_on(async {
        let pull = check(tmq::pull(&ctx).bind("inproc://thr_test"), "zmq_bind");
        let worker = thread::spawn(move || {
            block_on(async {
                let push = check(
                    tmq::push(&worker_ctx).connect("inproc://thr_test"),
                    "zmq_connect",
                );
                send_all(push, size, count).await;
            })
        });
        let elapsed = receive_all(pull, size, count).await;
        join(worker);
        elapsed
    });
    print_throughput(size, count, elapsed);
}

fn inproc_lat(size: usize, count: u64) {
    let ctx = Context::new();
    let worker_ctx = ctx.clone();
    let elapsed = block_on(async {
        let req = check(tmq::request(&ctx).bind("inproc://lat_test"), "zmq_bind");
        let worker = thread::spawn(move || {
            block_on(async {
                let rep = check(
                    tmq::reply(&worker_ctx).connect("inproc://lat_test"),
                    "zmq_connect",
                );
                pong(rep, None, count).await;
            })
        });
        let elapsed = ping(req, size, count).await;
        join(worker);
        elapsed
    });
    print_latency(size, count, elapsed);
}

/// Fresh vectors sent over inproc, copied (`Message::from(&vec[..])`) or
/// handed over (`Message::from(vec)`, which rust-zmq 0.10 also copies); at
/// most 100 messages in flight, as in the zmq crate's version of this tool.
fn zero_copy_thr(owned: bool, size: usize, count: u64) {
    let ctx = Context::new();
    let worker_ctx = ctx.clone();
    let elapsed = block_on(async {
        let pull = check(
            tmq::pull(&ctx).set_rcvhwm(100).bind("inproc://zero-copy"),
            "zmq_bind",
        );
        let worker = thread::spawn(move || {
            block_on(async {
                let mut push = check(
                    tmq::push(&worker_ctx)
                        .set_sndhwm(100)
                        .connect("inproc://zero-copy"),
                    "zmq_connect",
                );
                for _ in 0..count {
                    let data = vec![0x5a_u8; size];
                    let msg = if owned {
                        Message::from(data)
                    } else {
                        Message::from(&data[..])
                    };
                    check(push.send(msg).await, "zmq_sendmsg");
                }
            })
        });
        let elapsed = receive_all(pull, size, count).await;
        join(worker);
        elapsed
    });
    print_throughput(size, count, elapsed);
}
