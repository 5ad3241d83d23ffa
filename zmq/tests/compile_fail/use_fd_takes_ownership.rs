//! `ZMQ_USE_FD` hands the descriptor over to the socket, which closes it:
//! a raw number (still owned by someone else) is not accepted.

use std::os::fd::AsRawFd;

fn main() {
    let ctx = zmq::Context::new().unwrap();
    let socket = ctx.socket(zmq::SocketType::Pull).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let _ = socket.set(zmq::sockopt::UseFd, listener.as_raw_fd());
}
