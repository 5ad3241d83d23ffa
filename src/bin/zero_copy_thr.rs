//! The comparison's zero-copy row over the `zmq` crate (not a port of a
//! libzmq tool; its C version is `benches/peers/libzmq/zero_copy_thr.cpp`):
//! a worker thread builds a fresh `Vec<u8>` per message and sends it over
//! `inproc://` to a PULL socket in the main thread, either copied
//! (`send(&vec[..])`) or handed over (`send(vec)`: `Message::from(Vec)`,
//! freed by libzmq once the receiver is done); at most 100 messages in
//! flight. Prints inproc_thr's report.
//!
//! ```text
//! zero_copy_thr <copy|owned> <message-size> <message-count>
//! ```

use std::thread;
use std::time::Instant;

use zmq::{Context, Message, SocketType, sockopt};
use zmq_guide::perf::port::{atoi, exit_with, or_exit, or_exit_with, size_arg};

/// Messages in flight per direction: bounds memory at 1 MiB per message.
const HWM: i32 = 100;

fn usage() -> ! {
    println!("usage: zero_copy_thr <copy|owned> <message-size> <message-count>");
    std::process::exit(1);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        usage();
    }
    let owned = match args[1].as_str() {
        "copy" => false,
        "owned" => true,
        _ => usage(),
    };
    let message_size = size_arg(&args[2]);
    let message_count = atoi(&args[3]);
    if message_count < 1 {
        exit_with("message-count must be at least 1");
    }

    let ctx = or_exit(Context::with_io_threads(1), "zmq_init");
    let s = or_exit(ctx.socket(SocketType::Pull), "zmq_socket");
    or_exit(s.set(sockopt::RcvHwm, HWM), "zmq_setsockopt");
    or_exit(s.bind("inproc://zero-copy"), "zmq_bind");

    let worker_ctx = ctx.clone();
    let worker = thread::spawn(move || {
        let s = or_exit_with(worker_ctx.socket(SocketType::Push), "zmq_socket", 1);
        or_exit_with(s.set(sockopt::SndHwm, HWM), "zmq_setsockopt", 1);
        or_exit_with(s.connect("inproc://zero-copy"), "zmq_connect", 1);
        for _ in 0..message_count {
            let data = vec![0x5a_u8; message_size];
            let sent = if owned {
                s.send(data)
            } else {
                s.send(&data[..])
            };
            or_exit_with(sent, "zmq_msg_send", 1);
        }
    });

    let mut msg = Message::new();
    or_exit(s.recv_msg(&mut msg), "zmq_msg_recv");
    let watch = Instant::now();
    for _ in 1..message_count {
        or_exit(s.recv_msg(&mut msg), "zmq_msg_recv");
        if msg.len() != message_size {
            exit_with("message of incorrect size received");
        }
    }
    let elapsed = (watch.elapsed().as_micros() as u64).max(1);
    drop(msg);
    if worker.join().is_err() {
        exit_with("error in pthread_join: the worker panicked");
    }

    let throughput = f64::from(message_count) / elapsed as f64 * 1_000_000.0;
    let megabits = throughput * message_size as f64 * 8.0 / 1_000_000.0;
    println!("message size: {} [B]", message_size as i32);
    println!("message count: {message_count}");
    println!("mean throughput: {} [msg/s]", throughput as i32);
    println!("mean throughput: {megabits:.3} [Mb/s]");
}
