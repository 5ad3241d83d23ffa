//! pyzmq examples/poll: polling PAIR sockets
//!
//! Port of `poll/pair.py`: two PAIR sockets over tcp://127.0.0.1:5555, both
//! polled for input and output. Each is writable at once, readable as well
//! once the other has sent, and only writable again after it has read. A
//! failed check panics, as the original's `assert` raises.

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
    println!("Running polling tests for PAIR sockets...");

    let addr = endpoint("tcp://127.0.0.1:5555");
    let ctx = zmq::Context::new()?;
    let s1 = ctx.socket(SocketType::Pair)?;
    let s2 = ctx.socket(SocketType::Pair)?;

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
    assert_eq!(socks[1], PollEvents::POLLOUT);

    s1.send("msg1")?;
    s2.send("msg2")?;
    thread::sleep(Duration::from_secs(1));
    let socks = poll_all(&mut poller)?;
    assert_eq!(socks[0], PollEvents::POLLOUT | PollEvents::POLLIN);
    assert_eq!(socks[1], PollEvents::POLLOUT | PollEvents::POLLIN);

    s1.recv()?;
    s2.recv()?;
    let socks = poll_all(&mut poller)?;
    assert_eq!(socks[0], PollEvents::POLLOUT);
    assert_eq!(socks[1], PollEvents::POLLOUT);

    // Unregister both: the items go, the sockets stay.
    poller.clear();

    thread::sleep(Duration::from_secs(1));

    println!("Finished.");
    Ok(())
}
