//! ZMQ_TYPE can only be read.

fn main() {
    let ctx = zmq::Context::new().unwrap();
    let socket = ctx.socket(zmq::SocketType::Sub).unwrap();
    let _ = socket.set(zmq::sockopt::Type, zmq::SocketType::Pub);
}
