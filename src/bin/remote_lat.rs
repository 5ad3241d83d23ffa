//! Rust port of libzmq's `perf/remote_lat.cpp`, line for line: connects a
//! REQ socket, sends a zeroed message of `message-size` bytes and receives
//! its echo `roundtrip-count` times through one reused message, and prints
//! the average one-way latency in the original's format.
//!
//! ```text
//! remote_lat <connect-to> <message-size> <roundtrip-count>
//! ```

use std::time::Instant;

use zmq::{Context, Message, SocketType};
use zmq_guide::perf::port::{atoi, exit_with, or_exit, size_arg};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        println!("usage: remote_lat <connect-to> <message-size> <roundtrip-count>");
        std::process::exit(1);
    }
    let connect_to = &args[1];
    let message_size = size_arg(&args[2]);
    let roundtrip_count = atoi(&args[3]);

    let ctx = or_exit(Context::with_io_threads(1), "zmq_init");

    let s = or_exit(ctx.socket(SocketType::Req), "zmq_socket");

    zmq_guide::perf::port::tune(&s);

    or_exit(s.connect(connect_to), "zmq_connect");

    // zmq_msg_init_size followed by memset, as the original does.
    let mut msg = or_exit(Message::with_size(message_size), "zmq_msg_init_size");

    let watch = Instant::now();

    for _ in 0..roundtrip_count {
        or_exit(s.send(&mut msg), "zmq_sendmsg");
        or_exit(s.recv_msg(&mut msg), "zmq_recvmsg");
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

    or_exit(s.close(), "zmq_close");

    drop(ctx);
}
