// Message::clone calls zmq_msg_copy, which writes the source's flags and
// reference count: two threads cloning one &Message would race, so a
// Message cannot be shared between threads (moving it is fine).
fn main() {
    let msg = zmq::Message::from(vec![0u8; 100]);
    std::thread::scope(|scope| {
        scope.spawn(|| msg.clone());
        scope.spawn(|| msg.clone());
    });
}
