//! Rust port of libzmq's `perf/local_thr.cpp`, line for line: binds a PULL
//! socket, receives `message-count` messages of `message-size` bytes into
//! one reused message and prints the throughput in the original's format.
//!
//! ```text
//! local_thr <bind-to> <message-size> <message-count> [<enable_curve>]
//! ```

use std::time::Instant;

use zmq::{Context, Message, SocketType, sockopt};
use zmq_guide::perf::port::{atoi, exit_with, or_exit, size_arg};

// keys are arbitrary but must match remote_thr.rs (and remote_thr.cpp)
const SERVER_PRVKEY: &str = "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 && args.len() != 5 {
        println!("usage: local_thr <bind-to> <message-size> <message-count> [<enable_curve>]");
        std::process::exit(1);
    }
    let bind_to = &args[1];
    let message_size = size_arg(&args[2]);
    let message_count = atoi(&args[3]);
    let curve = args.len() >= 5 && atoi(&args[4]) != 0;

    let ctx = or_exit(Context::with_io_threads(1), "zmq_init");

    let s = or_exit(ctx.socket(SocketType::Pull), "zmq_socket");

    //  Add your socket options here.
    //  For example ZMQ_RATE, ZMQ_RECOVERY_IVL and ZMQ_MCAST_LOOP for PGM.
    if curve {
        or_exit(
            s.set(sockopt::CurveSecretKey, SERVER_PRVKEY.as_bytes()),
            "zmq_setsockoopt",
        );
        or_exit(s.set(sockopt::CurveServer, true), "zmq_setsockoopt");
    }

    zmq_guide::perf::port::tune(&s);

    or_exit(s.bind(bind_to), "zmq_bind");

    let mut msg = Message::new();

    or_exit(s.recv_msg(&mut msg), "zmq_recvmsg");
    if msg.len() != message_size {
        exit_with("message of incorrect size received");
    }

    let watch = Instant::now();

    for _ in 0..message_count - 1 {
        or_exit(s.recv_msg(&mut msg), "zmq_recvmsg");
        if msg.len() != message_size {
            exit_with("message of incorrect size received");
        }
    }

    let mut elapsed = watch.elapsed().as_micros() as u64;
    if elapsed == 0 {
        elapsed = 1;
    }

    drop(msg);

    let throughput = f64::from(message_count) / elapsed as f64 * 1_000_000.0;
    let megabits = throughput * message_size as f64 * 8.0 / 1_000_000.0;

    println!("message size: {} [B]", message_size as i32);
    println!("message count: {message_count}");
    println!("mean throughput: {} [msg/s]", throughput as i32);
    println!("mean throughput: {megabits:.3} [Mb/s]");

    or_exit(s.close(), "zmq_close");

    drop(ctx);
}
