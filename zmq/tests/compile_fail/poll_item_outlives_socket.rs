//! A poll item borrows its socket: it cannot be polled after the socket is
//! closed.

fn main() {
    let ctx = zmq::Context::new().unwrap();
    let item;
    {
        let socket = ctx.socket(zmq::SocketType::Pull).unwrap();
        item = zmq::PollItem::from_socket(&socket, zmq::PollEvents::POLLIN);
    }
    let mut items = [item];
    let _ = zmq::poll(&mut items, None);
}
