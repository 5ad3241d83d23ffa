// A poller may hold classic sockets, so it cannot move to another thread.
use zmq::Poller;

fn main() {
    let poller: Poller<'static, u32> = Poller::new().unwrap();
    std::thread::spawn(move || drop(poller));
}
