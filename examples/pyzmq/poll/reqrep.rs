//! pyzmq examples/poll: polling REQ/REP sockets
//!
//! Port of `poll/reqrep.py`: a REP bound to tcp://127.0.0.1:5555 and a REQ
//! connected to it, both polled for input and output, through one request
//! and its reply. Each side is writable only when its turn in the lockstep
//! is to send and readable only when a message waits. A failed check
//! panics, as the original's `assert` raises.

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
    println!("Running polling tests for REQ/REP sockets...");

    let addr = endpoint("tcp://127.0.0.1:5555");
    let ctx = zmq::Context::new()?;
    let s1 = ctx.socket(SocketType::Rep)?;
    let s2 = ctx.socket(SocketType::Req)?;

    s1.bind(&addr)?;
    s2.connect(&addr)?;

    thread::sleep(Duration::from_secs(1));

    let both = PollEvents::POLLIN | PollEvents::POLLOUT;
    let mut poller = vec![
        PollItem::from_socket(&s1, both),
        PollItem::from_socket(&s2, both),
    ];

    let socks = poll_all(&mut poller)?;
    assert!(socks[0].is_empty());
    assert_eq!(socks[1], PollEvents::POLLOUT);

    s2.send("msg1")?;
    let socks = poll_all(&mut poller)?;
    assert!(socks[1].is_empty());

    thread::sleep(Duration::from_millis(500));
    let socks = poll_all(&mut poller)?;
    assert_eq!(socks[0], PollEvents::POLLIN);

    s1.recv()?;
    let socks = poll_all(&mut poller)?;
    assert_eq!(socks[0], PollEvents::POLLOUT);

    s1.send("msg2")?;
    let socks = poll_all(&mut poller)?;
    assert!(socks[0].is_empty());

    thread::sleep(Duration::from_millis(500));
    let socks = poll_all(&mut poller)?;
    assert_eq!(socks[1], PollEvents::POLLIN);

    s2.recv()?;
    let socks = poll_all(&mut poller)?;
    assert_eq!(socks[1], PollEvents::POLLOUT);

    // Unregister both: the items go, the sockets stay.
    poller.clear();

    thread::sleep(Duration::from_secs(1));

    println!("Finished.");
    Ok(())
}
