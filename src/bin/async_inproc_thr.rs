//! `inproc_thr` (libzmq's `perf/inproc_thr.cpp`) on async sockets
//! (`zmq::asyncio`): the worker thread PUSHes from a tokio current-thread
//! runtime of its own, the main thread PULLs from another, as the original
//! runs a thread each; same arguments and report as `inproc_thr`.
//!
//! ```text
//! async_inproc_thr <message-size> <message-count>
//! ```

use std::thread;
use std::time::Instant;

use zmq::asyncio::AsyncSocket;
use zmq::{Context, Message, SocketType};
use zmq_guide::perf::port::{atoi, block_on, exit_with, or_exit, or_exit_with, size_arg};

async fn worker(ctx: Context, message_size: usize, message_count: i32) {
    let s = or_exit_with(ctx.socket(SocketType::Push), "zmq_socket", 1);

    or_exit_with(s.connect("inproc://thr_test"), "zmq_connect", 1);
    let mut s = or_exit_with(AsyncSocket::new(s), "AsyncSocket::new", 1);

    let mut msg = Message::new();
    for _ in 0..message_count {
        // SAFETY: nobody reads the content: the receiver in main only
        // checks the size of what arrives.
        or_exit_with(
            unsafe { msg.reset_uninit(message_size) },
            "zmq_msg_init_size",
            1,
        );
        or_exit_with(s.send_msg(&mut msg).await, "zmq_sendmsg", 1);
    }

    or_exit_with(s.into_inner().close(), "zmq_close", 1);
}

async fn run(message_size: usize, message_count: i32) {
    let ctx = or_exit(Context::with_io_threads(1), "zmq_init");

    let s = or_exit(ctx.socket(SocketType::Pull), "zmq_socket");

    or_exit(s.bind("inproc://thr_test"), "zmq_bind");
    let mut s = or_exit(AsyncSocket::new(s), "AsyncSocket::new");

    let worker_ctx = ctx.clone();
    let local_thread =
        thread::spawn(move || block_on(worker(worker_ctx, message_size, message_count)));

    let mut msg = Message::new();

    println!("message size: {} [B]", message_size as i32);
    println!("message count: {message_count}");

    or_exit(s.recv_msg(&mut msg).await, "zmq_recvmsg");
    if msg.len() != message_size {
        exit_with("message of incorrect size received");
    }

    let watch = Instant::now();

    for _ in 0..message_count - 1 {
        or_exit(s.recv_msg(&mut msg).await, "zmq_recvmsg");
        if msg.len() != message_size {
            exit_with("message of incorrect size received");
        }
    }

    let mut elapsed = watch.elapsed().as_micros() as u64;
    if elapsed == 0 {
        elapsed = 1;
    }

    drop(msg);

    if local_thread.join().is_err() {
        exit_with("error in pthread_join: the worker panicked");
    }

    or_exit(s.into_inner().close(), "zmq_close");

    drop(ctx);

    let throughput = (f64::from(message_count) / elapsed as f64 * 1_000_000.0) as u64;
    let megabits = (throughput * message_size as u64 * 8) as f64 / 1_000_000.0;

    println!("mean throughput: {} [msg/s]", throughput as i32);
    println!("mean throughput: {megabits:.3} [Mb/s]");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        println!("usage: async_inproc_thr <message-size> <message-count>");
        std::process::exit(1);
    }
    block_on(run(size_arg(&args[1]), atoi(&args[2])));
}
