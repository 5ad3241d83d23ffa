//! Rust port of libzmq's `perf/local_lat.cpp`, line for line: binds a REP
//! socket and echoes `roundtrip-count` messages back, receiving into and
//! sending one reused message.
//!
//! ```text
//! local_lat <bind-to> <message-size> <roundtrip-count>
//! ```

use std::time::Duration;

use zmq::{Context, Message, SocketType};
use zmq_guide::perf::port::{atoi, exit_with, or_exit, size_arg};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        println!("usage: local_lat <bind-to> <message-size> <roundtrip-count>");
        std::process::exit(1);
    }
    let bind_to = &args[1];
    let message_size = size_arg(&args[2]);
    let roundtrip_count = atoi(&args[3]);

    let ctx = or_exit(Context::with_io_threads(1), "zmq_init");

    let s = or_exit(ctx.socket(SocketType::Rep), "zmq_socket");

    zmq_guide::perf::port::tune(&s);

    or_exit(s.bind(bind_to), "zmq_bind");

    let mut msg = Message::new();

    for _ in 0..roundtrip_count {
        or_exit(s.recv_msg(&mut msg), "zmq_recvmsg");
        if msg.len() != message_size {
            exit_with("message of incorrect size received");
        }
        or_exit(s.send(&mut msg), "zmq_sendmsg");
    }

    drop(msg);

    std::thread::sleep(Duration::from_secs(1));

    or_exit(s.close(), "zmq_close");

    drop(ctx);
}
