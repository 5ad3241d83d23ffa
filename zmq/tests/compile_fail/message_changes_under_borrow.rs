//! Receiving into a message replaces its content: not while its bytes are
//! borrowed.

fn main() {
    let ctx = zmq::Context::new().unwrap();
    let socket = ctx.socket(zmq::SocketType::Pull).unwrap();
    let mut msg = zmq::Message::new();
    let bytes: &[u8] = &msg;
    socket.recv_msg(&mut msg).unwrap();
    println!("{bytes:?}");
}
