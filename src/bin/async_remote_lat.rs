//! `remote_lat` (libzmq's `perf/remote_lat.cpp`) on an async REQ socket
//! (`zmq::asyncio`, a tokio current-thread runtime): same arguments, same
//! report as `remote_lat`.
//!
//! ```text
//! async_remote_lat <connect-to> <message-size> <roundtrip-count>
//! ```

use std::time::Instant;

use zmq::asyncio::AsyncSocket;
use zmq::{Context, Message, SocketType};
use zmq_guide::perf::port::{atoi, exit_with, or_exit, size_arg};

async fn run(connect_to: &str, message_size: usize, roundtrip_count: i32) {
    let ctx = or_exit(Context::with_io_threads(1), "zmq_init");

    let s = or_exit(ctx.socket(SocketType::Req), "zmq_socket");

    zmq_guide::perf::port::tune(&s);

    or_exit(s.connect(connect_to), "zmq_connect");
    let mut s = or_exit(AsyncSocket::new(s), "AsyncSocket::new");

    // zmq_msg_init_size followed by memset, as the original does.
    let mut msg = or_exit(Message::with_size(message_size), "zmq_msg_init_size");

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

    println!("message size: {} [B]", message_size as i32);
    println!("roundtrip count: {roundtrip_count}");
    println!("average latency: {latency:.3} [us]");

    or_exit(s.into_inner().close(), "zmq_close");

    drop(ctx);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        println!("usage: async_remote_lat <connect-to> <message-size> <roundtrip-count>");
        std::process::exit(1);
    }
    let message_size = size_arg(&args[2]);
    let roundtrip_count = atoi(&args[3]);
    zmq_guide::perf::port::block_on(run(&args[1], message_size, roundtrip_count));
}
