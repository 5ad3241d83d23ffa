// An event borrows its registration's user data: the registration cannot
// be removed (freeing the data) while the event is alive.
use std::time::Duration;
use zmq::{Context, PollEvents, Poller, ThreadSafeType};

fn main() {
    let ctx = Context::new().unwrap();
    let server = ctx.thread_safe_socket(ThreadSafeType::Server).unwrap();
    let mut poller = Poller::new().unwrap();
    poller.add(&server, PollEvents::POLLIN, String::from("server")).unwrap();
    if let Some(event) = poller.wait(Some(Duration::ZERO)).unwrap() {
        poller.remove(&server).unwrap();
        println!("{}", event.data());
    }
}
