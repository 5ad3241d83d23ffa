//! A metadata value points into the message's properties: it cannot be read
//! after the message is dropped.

fn main() {
    let socket_type: Option<&str>;
    {
        let msg = zmq::Message::new();
        socket_type = msg.gets("Socket-Type");
    }
    println!("{socket_type:?}");
}
