//! The bytes of a message are borrowed from it: they cannot be read after
//! the message is dropped.

fn main() {
    let bytes: &[u8];
    {
        let msg = zmq::Message::from("frame");
        bytes = &msg;
    }
    println!("{bytes:?}");
}
