//! `local_lat` (libzmq's `perf/local_lat.cpp`) on an async REP socket
//! (`zmq::asyncio`, a tokio current-thread runtime): echoes
//! `roundtrip-count` messages back, as `local_lat` does.
//!
//! ```text
//! async_local_lat <bind-to> <message-size> <roundtrip-count>
//! ```

use std::time::Duration;

use zmq::asyncio::AsyncSocket;
use zmq::{Context, Message, SocketType};
use zmq_guide::perf::port::{atoi, exit_with, or_exit, size_arg};

async fn run(bind_to: &str, message_size: usize, roundtrip_count: i32) {
    let ctx = or_exit(Context::with_io_threads(1), "zmq_init");

    let s = or_exit(ctx.socket(SocketType::Rep), "zmq_socket");

    zmq_guide::perf::port::tune(&s);

    or_exit(s.bind(bind_to), "zmq_bind");
    let mut s = or_exit(AsyncSocket::new(s), "AsyncSocket::new");

    let mut msg = Message::new();

    for _ in 0..roundtrip_count {
        or_exit(s.recv_msg(&mut msg).await, "zmq_recvmsg");
        if msg.len() != message_size {
            exit_with("message of incorrect size received");
        }
        or_exit(s.send_msg(&mut msg).await, "zmq_sendmsg");
    }

    drop(msg);

    // zmq_sleep (1), as the original: nothing else runs meanwhile.
    std::thread::sleep(Duration::from_secs(1));

    or_exit(s.into_inner().close(), "zmq_close");

    drop(ctx);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        println!("usage: async_local_lat <bind-to> <message-size> <roundtrip-count>");
        std::process::exit(1);
    }
    let message_size = size_arg(&args[2]);
    let roundtrip_count = atoi(&args[3]);
    zmq_guide::perf::port::block_on(run(&args[1], message_size, roundtrip_count));
}
