//! Two threads may not use one socket at once: `&Socket` is not `Send`
//! because `Socket` is not `Sync`.

fn main() {
    let ctx = zmq::Context::new().unwrap();
    let socket = ctx.socket(zmq::SocketType::Pair).unwrap();
    std::thread::scope(|scope| {
        scope.spawn(|| socket.last_endpoint());
        scope.spawn(|| socket.last_endpoint());
    });
}
