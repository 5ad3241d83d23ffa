//! `remote_thr` (libzmq's `perf/remote_thr.cpp`) on an async PUSH socket
//! (`zmq::asyncio`, a tokio current-thread runtime): same arguments, same
//! behaviour as `remote_thr`.
//!
//! ```text
//! async_remote_thr <connect-to> <message-size> <message-count> [<enable_curve>]
//! ```

use zmq::asyncio::AsyncSocket;
use zmq::{Context, Message, SocketType, sockopt};
use zmq_guide::perf::port::{atoi, or_exit, size_arg};

// keys are arbitrary but must match local_thr.rs (and local_thr.cpp)
const SERVER_PUBKEY: &str = "DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH";
const CLIENT_PUBKEY: &str = "<n^oA}I:66W+*ds3tAmi1+KJzv-}k&fC2aA5Bj0K";
const CLIENT_PRVKEY: &str = "9R9bV}[6z6DC-%$!jTVTKvWc=LEL{4i4gzUe$@Zx";

async fn run(connect_to: &str, message_size: usize, message_count: i32, curve: bool) {
    let ctx = or_exit(Context::with_io_threads(1), "zmq_init");

    let s = or_exit(ctx.socket(SocketType::Push), "zmq_socket");

    //  Add your socket options here.
    //  For example ZMQ_RATE, ZMQ_RECOVERY_IVL and ZMQ_MCAST_LOOP for PGM.
    if curve {
        or_exit(
            s.set(sockopt::CurveSecretKey, CLIENT_PRVKEY.as_bytes()),
            "zmq_setsockoopt",
        );
        or_exit(
            s.set(sockopt::CurvePublicKey, CLIENT_PUBKEY.as_bytes()),
            "zmq_setsockoopt",
        );
        or_exit(
            s.set(sockopt::CurveServerKey, SERVER_PUBKEY.as_bytes()),
            "zmq_setsockoopt",
        );
    }

    zmq_guide::perf::port::tune(&s);

    or_exit(s.connect(connect_to), "zmq_connect");
    let mut s = or_exit(AsyncSocket::new(s), "AsyncSocket::new");

    let mut msg = Message::new();
    for _ in 0..message_count {
        // SAFETY: nobody reads the content: libzmq writes it to the wire as
        // it is, and local_thr only checks the size.
        or_exit(
            unsafe { msg.reset_uninit(message_size) },
            "zmq_msg_init_size",
        );
        or_exit(s.send_msg(&mut msg).await, "zmq_sendmsg");
    }

    or_exit(s.into_inner().close(), "zmq_close");

    drop(ctx);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 && args.len() != 5 {
        println!(
            "usage: async_remote_thr <connect-to> <message-size> <message-count> [<enable_curve>]"
        );
        std::process::exit(1);
    }
    let message_size = size_arg(&args[2]);
    let message_count = atoi(&args[3]);
    let curve = args.len() >= 5 && atoi(&args[4]) != 0;
    zmq_guide::perf::port::block_on(run(&args[1], message_size, message_count, curve));
}
