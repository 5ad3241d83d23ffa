//! pyzmq examples/poll: polling PUB/SUB sockets
//!
//! Port of `poll/pubsub.py`: a PUB bound to tcp://127.0.0.1:5555 and a SUB
//! connected to it, both polled for input and output. The PUB is always
//! writable and never readable; the SUB is never writable and readable only
//! while a message waits. A failed check panics, as the original's `assert`
//! raises. (The first line keeps the original's spelling.)

use std::thread;
use std::time::Duration;

use zmq::{PollEvents, PollItem, SocketType, poll};
use zmq_guide::endpoint;

/// `dict(poller.poll())`: the events of each item, empty for those that
/// fired nothing.
fn poll_all(items: &mut [PollItem<'_>]) -> zmq::Result<Vec<PollEvents>> {
    poll(items, None)?;
    Ok(items.iter().map(PollItem::revents).collect())
}

fn main() -> zmq::Result<()> {
    println!("Running polling tets for PUB/SUB sockets...");

    let addr = endpoint("tcp://127.0.0.1:5555");
    let ctx = zmq::Context::new()?;
    let s1 = ctx.socket(SocketType::Pub)?;
    let s2 = ctx.socket(SocketType::Sub)?;
    s2.subscribe(b"")?;

    s1.bind(&addr)?;
    s2.connect(&addr)?;

    thread::sleep(Duration::from_secs(1));

    let both = PollEvents::POLLIN | PollEvents::POLLOUT;
    let mut poller = vec![
        PollItem::from_socket(&s1, both),
        PollItem::from_socket(&s2, both),
    ];

    let socks = poll_all(&mut poller)?;
    assert_eq!(socks[0], PollEvents::POLLOUT);
    assert!(socks[1].is_empty());

    s1.send("msg1")?;
    let socks = poll_all(&mut poller)?;
    assert_eq!(socks[0], PollEvents::POLLOUT);

    thread::sleep(Duration::from_millis(500));
    let socks = poll_all(&mut poller)?;
    assert_eq!(socks[1], PollEvents::POLLIN);

    s2.recv()?;
    let socks = poll_all(&mut poller)?;
    assert!(socks[1].is_empty());

    // Unregister both: the items go, the sockets stay.
    poller.clear();

    thread::sleep(Duration::from_secs(1));

    println!("Finished.");
    Ok(())
}
