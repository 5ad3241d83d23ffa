//! Arbitrary bytes on the wire: a plain TCP client connects to one of the
//! bound servers of `zmq_fuzz::zmtp` (ROUTER, PULL, XPUB, DEALER with NULL;
//! REP with PLAIN; ROUTER with CURVE; the last three checked by the
//! authenticator; a raw STREAM), writes the input (garbage, truncated or
//! mutated greetings, handshakes and frames, frame headers announcing more
//! than MAXMSGSIZE), half-closes, and reads until the server closes the
//! connection. Meanwhile the server socket is drained and answers what it
//! received. Nothing may crash, hang (every wait has a deadline) or stop
//! the authenticator.
//!
//! The first byte picks the server, the rest is written. The sockets, the
//! context and the authenticator live for the whole run, so an iteration
//! costs one TCP connection.

#![no_main]

use std::io::{ErrorKind as IoErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::os::fd::{AsFd, AsRawFd};
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use zmq::auth::Authenticator;
use zmq::{PollEvents, PollItem, RecvFlags, SendFlags, poll};
use zmq_fuzz::zmtp::{Kind, Server, servers};
use zmq_fuzz::{DEADLINE, Fixture, uninterrupted};

static SERVERS: Fixture<(Authenticator, Vec<Server>)> = Fixture::new();

fn setup() -> (Authenticator, Vec<Server>) {
    // libFuzzer's main is not Rust's: SIGPIPE is not ignored, and a write
    // to a connection the server has already dropped would kill the run.
    // SAFETY: setting a signal disposition to SIG_IGN has no preconditions.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    servers()
}

/// Receives whatever the server has queued and answers it the way its
/// pattern expects, without ever blocking.
fn drain(server: &Server) {
    let socket = &server.socket;
    while let Ok(frames) = socket.recv_multipart_with(RecvFlags::DONTWAIT) {
        let reply: Vec<&[u8]> = match server.kind {
            // Routed back to the sender by its routing id.
            Kind::NullRouter | Kind::CurveRouter | Kind::Stream => {
                vec![frames[0].as_slice(), b"reply"]
            }
            Kind::PlainRep | Kind::NullZapDealer => vec![b"reply"],
            Kind::NullXpub => vec![b"published"],
            Kind::NullPull => continue,
        };
        // The client may be gone already: a reply that cannot be routed is
        // dropped, one that cannot be queued fails with Again.
        let _ = socket.send_multipart_with(reply, SendFlags::DONTWAIT);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, payload)) = data.split_first() else {
        return;
    };
    let fixture = SERVERS.get(setup);
    let (auth, servers) = &*fixture;
    let server = &servers[usize::from(pick) % servers.len()];

    let mut stream = TcpStream::connect_timeout(&server.addr, DEADLINE).expect("connect");
    stream
        .set_write_timeout(Some(DEADLINE))
        .expect("write timeout");
    stream
        .set_read_timeout(Some(Duration::from_millis(1)))
        .expect("read timeout");
    // The server may close as soon as it sees a bad byte: later writes then
    // fail, which is fine.
    let _ = stream.write_all(payload);
    let _ = stream.shutdown(Shutdown::Write);

    // Every server closes the connection once it reads the EOF after the
    // payload (or earlier, on an error): wait for that, draining the
    // server socket meanwhile.
    let deadline = Instant::now() + DEADLINE;
    let mut buffer = [0u8; 4096];
    loop {
        drain(server);
        let mut items = [
            PollItem::from_socket(&server.socket, PollEvents::POLLIN),
            PollItem::from_fd(stream.as_fd(), PollEvents::POLLIN),
        ];
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "{:?} kept the connection open past the deadline",
            server.kind
        );
        uninterrupted(|| poll(&mut items, Some(left.min(Duration::from_millis(100)))))
            .expect("poll");
        if !items[1].is_readable() {
            continue;
        }
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if matches!(e.kind(), IoErrorKind::WouldBlock | IoErrorKind::TimedOut) => {}
            // A server that closes with unread input resets the connection.
            Err(_) => break,
        }
    }
    drain(server);
    // Close without TIME_WAIT, so a long run never runs out of ports.
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: the descriptor is the stream's, open; `linger` is the
    // option's type and outlives the call.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            std::ptr::from_ref(&linger).cast(),
            size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    drop(stream);

    assert!(auth.is_running(), "the authenticator stopped");
    if let Some(error) = auth.last_error() {
        panic!("the authenticator recorded an error: {error}");
    }
});
