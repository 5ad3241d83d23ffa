// DGRAM is a draft type but not thread-safe: its socket cannot be shared
// between threads.
use zmq::{Context, SocketType};

fn main() {
    let ctx = Context::new().unwrap();
    let dgram = ctx.socket(SocketType::Dgram).unwrap();
    std::thread::scope(|s| {
        s.spawn(|| dgram.send("datagram"));
        dgram.send("datagram").unwrap();
    });
}
