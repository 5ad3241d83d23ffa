//! A poll item borrows its file descriptor: the descriptor cannot be
//! closed (and its number reused) while the item may still be polled.

use std::os::fd::AsFd;

fn main() {
    let item;
    {
        let file = std::fs::File::open("/dev/null").unwrap();
        item = zmq::PollItem::from_fd(file.as_fd(), zmq::PollEvents::POLLIN);
    }
    let mut items = [item];
    let _ = zmq::poll(&mut items, None);
}
