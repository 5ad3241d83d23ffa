// Thread-safe sockets send single frames: there is no multipart API.
use zmq::{Context, ThreadSafeType};

fn main() {
    let ctx = Context::new().unwrap();
    let client = ctx.thread_safe_socket(ThreadSafeType::Client).unwrap();
    client.send_multipart(["a", "b"]).unwrap();
}
