// A socket registered in a poller cannot be dropped while the poller lives.
use zmq::{Context, PollEvents, Poller, ThreadSafeType};

fn main() {
    let ctx = Context::new().unwrap();
    let mut poller = Poller::new().unwrap();
    {
        let server = ctx.thread_safe_socket(ThreadSafeType::Server).unwrap();
        poller.add(&server, PollEvents::POLLIN, "server").unwrap();
    }
    let _ = poller.wait(None);
}
