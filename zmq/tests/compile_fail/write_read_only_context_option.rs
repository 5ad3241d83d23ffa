//! ZMQ_SOCKET_LIMIT can only be read.

fn main() {
    let ctx = zmq::Context::new().unwrap();
    let _ = ctx.set(zmq::ctxopt::SocketLimit, 10);
}
