//! Last value cache
//!
//! Port of the zguide's `examples/Python/lvcache.py`: a proxy between a
//! publisher on tcp://localhost:5557 (subscribed to everything) and
//! subscribers on tcp://*:5558 (an XPUB) that remembers the last message
//! of each topic; when a subscriber subscribes to a topic it has, it sends
//! that message at once and prints `Sending cached topic b'<topic>'`.
//! Ctrl-C prints `interrupted` and stops it.
//!
//! Difference: the original connects to `tcp://*:5557`, which libzmq
//! refuses (a connect needs a host); this connects to localhost, as
//! intended.

use std::collections::HashMap;
use std::time::Duration;

use zmq::{ErrorKind, PollEvents, PollItem, SocketType, interrupt};
use zmq_guide::{endpoint, pyfmt};

fn main() -> zmq::Result<()> {
    // Ctrl-C makes the poll fail instead of killing the process.
    interrupt::catch_signals()?;

    let ctx = zmq::Context::new()?;
    let frontend = ctx.socket(SocketType::Sub)?;
    frontend.connect(&endpoint("tcp://localhost:5557"))?;
    let backend = ctx.socket(SocketType::Xpub)?;
    backend.bind(&endpoint("tcp://*:5558"))?;

    // Every topic the publisher has.
    frontend.subscribe(b"")?;

    // The last message of each topic.
    let mut cache: HashMap<Vec<u8>, Vec<u8>> = HashMap::new();

    // Updates pass through and are cached; a new subscription gets the
    // cached message of its topic, if there is one.
    loop {
        let mut items = [
            PollItem::from_socket(&frontend, PollEvents::POLLIN),
            PollItem::from_socket(&backend, PollEvents::POLLIN),
        ];
        match zmq::poll(&mut items, Some(Duration::from_millis(1000))) {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {
                println!("interrupted");
                break;
            }
            Err(e) => return Err(e),
        }

        // New data on a topic: keep it and pass it on.
        if items[0].is_readable() {
            let msg = frontend.recv_multipart()?;
            if let [topic, current] = &msg[..] {
                cache.insert(topic.clone(), current.clone());
            }
            backend.send_multipart(&msg)?;
        }

        // A subscription (1, then the topic) or an unsubscription (0).
        if items[1].is_readable() {
            let event = backend.recv()?;
            if let Some((1, topic)) = event.split_first()
                && let Some(current) = cache.get(topic)
            {
                println!("Sending cached topic {}", pyfmt::bytes(topic));
                backend.send_multipart([topic, current.as_slice()])?;
            }
        }
    }
    Ok(())
}
