//! ZMQ_SUBSCRIBE can only be written.

fn main() {
    let ctx = zmq::Context::new().unwrap();
    let socket = ctx.socket(zmq::SocketType::Sub).unwrap();
    let _ = socket.get(zmq::sockopt::Subscribe);
}
