//! `inproc_lat` (libzmq's `perf/inproc_lat.cpp`) on async sockets
//! (`zmq::asyncio`): the REP worker thread and the REQ main thread each run
//! a tokio current-thread runtime, as the original runs a thread each; same
//! arguments and report as `inproc_lat`.
//!
//! ```text
//! async_inproc_lat <message-size> <roundtrip-count>
//! ```

use std::thread;
use std::time::Instant;

use zmq::asyncio::AsyncSocket;
use zmq::{Context, Message, SocketType};
use zmq_guide::perf::port::{atoi, block_on, exit_with, or_exit, or_exit_with, size_arg};

async fn worker(ctx: Context, roundtrip_count: i32) {
    let s = or_exit_with(ctx.socket(SocketType::Rep), "zmq_socket", 1);

    or_exit_with(s.connect("inproc://lat_test"), "zmq_connect", 1);
    let mut s = or_exit_with(AsyncSocket::new(s), "AsyncSocket::new", 1);

    let mut msg = Message::new();

    for _ in 0..roundtrip_count {
        or_exit_with(s.recv_msg(&mut msg).await, "zmq_recvmsg", 1);
        or_exit_with(s.send_msg(&mut msg).await, "zmq_sendmsg", 1);
    }

    drop(msg);

    or_exit_with(s.into_inner().close(), "zmq_close", 1);
}

async fn run(message_size: usize, roundtrip_count: i32) {
    let ctx = or_exit(Context::with_io_threads(1), "zmq_init");

    let s = or_exit(ctx.socket(SocketType::Req), "zmq_socket");

    or_exit(s.bind("inproc://lat_test"), "zmq_bind");
    let mut s = or_exit(AsyncSocket::new(s), "AsyncSocket::new");

    let worker_ctx = ctx.clone();
    let local_thread = thread::spawn(move || block_on(worker(worker_ctx, roundtrip_count)));

    // zmq_msg_init_size followed by memset, as the original does.
    let mut msg = or_exit(Message::with_size(message_size), "zmq_msg_init_size");

    println!("message size: {} [B]", message_size as i32);
    println!("roundtrip count: {roundtrip_count}");

    let watch = Instant::now();

    for _ in 0..roundtrip_count {
        or_exit(s.send_msg(&mut msg).await, "zmq_sendmsg");
        or_exit(s.recv_msg(&mut msg).await, "zmq_recvmsg");
        if msg.len() != message_size {
            exit_with("message of incorrect size received");
        }
    }

    let elapsed = watch.elapsed().as_micros() as u64;

    drop(msg);

    let latency = elapsed as f64 / f64::from(roundtrip_count * 2);

    if local_thread.join().is_err() {
        exit_with("error in pthread_join: the worker panicked");
    }

    println!("average latency: {latency:.3} [us]");

    or_exit(s.into_inner().close(), "zmq_close");

    drop(ctx);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        println!("usage: async_inproc_lat <message-size> <roundtrip-count>");
        std::process::exit(1);
    }
    block_on(run(size_arg(&args[1]), atoi(&args[2])));
}
