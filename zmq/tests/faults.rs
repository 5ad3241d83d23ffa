//! Faults: peers killed with SIGKILL (or frozen with SIGSTOP) at the worst
//! moments, and the sockets that survive them recover within a bound.
//!
//! Killing needs separate processes. This binary plays both roles (no
//! libtest harness, `harness = false`): run plainly it is the parent and
//! runs every test (or those whose names contain an argument); with
//! `CHILD_ENV` set to a role it is that child, which prints what it has
//! done on stdout, one line per step, and never outlives [`CHILD_LIFETIME`].
//! The parent kills the children through their own `Child` handles.
//!
//! Run: `cargo test -p zmq --test faults` (`-- req` for the tests whose
//! names contain "req").

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::thread;
use std::time::{Duration, Instant};

use common::resources::open_fds;
use common::{TIMEOUT, socket, watchdog};
use zmq::CurveKeyPair;
use zmq::{Context, ErrorKind, Socket, SocketType, sockopt};

const CHILD_ENV: &str = "ZMQ_FAULTS_CHILD";
const ENDPOINT_ENV: &str = "ZMQ_FAULTS_ENDPOINT";
/// A child exits on its own after this, should its parent have died.
const CHILD_LIFETIME: Duration = Duration::from_secs(60);
/// How long a survivor may take to recover in any test.
const RECOVERY: Duration = Duration::from_secs(5);

type Test = (&'static str, fn());

const TESTS: &[Test] = &[
    (
        "pull_discards_a_multipart_cut_by_a_killed_sender",
        pull_discards_a_multipart_cut_by_a_killed_sender,
    ),
    (
        "curve_server_serves_others_while_a_killed_client_was_mid_handshake",
        curve_server_serves_others_while_a_killed_client_was_mid_handshake,
    ),
    (
        "relaxed_req_recovers_when_its_server_is_killed_holding_the_request",
        relaxed_req_recovers_when_its_server_is_killed_holding_the_request,
    ),
    (
        "heartbeats_drop_a_frozen_server_so_requests_reach_a_live_one",
        heartbeats_drop_a_frozen_server_so_requests_reach_a_live_one,
    ),
    (
        "push_reconnects_to_a_listener_killed_and_bound_again",
        push_reconnects_to_a_listener_killed_and_bound_again,
    ),
    (
        "publisher_never_blocks_on_a_frozen_subscriber_which_recovers",
        publisher_never_blocks_on_a_frozen_subscriber_which_recovers,
    ),
];

fn main() {
    if let Ok(role) = std::env::var(CHILD_ENV) {
        child(&role);
        return;
    }
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    let fds_before = open_fds();
    let mut ran = 0;
    for (name, test) in TESTS {
        if filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())) {
            let started = Instant::now();
            watchdog(Duration::from_secs(60), name, *test);
            println!("test {name} ... ok ({:.2?})", started.elapsed());
            ran += 1;
        }
    }
    // Every survivor was closed: no descriptor outlives the tests.
    let deadline = Instant::now() + RECOVERY;
    while open_fds() > fds_before && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
    assert!(
        open_fds() <= fds_before,
        "descriptors left open: {} before, {} after",
        fds_before,
        open_fds()
    );
    println!("test result: ok. {ran} passed");
}

// ---------------------------------------------------------------- parent side

/// A child process of this binary in some role, its stdout read line by
/// line; killed (SIGKILL) and reaped when dropped.
struct Peer {
    child: Child,
    lines: Receiver<String>,
}

impl Peer {
    fn spawn(role: &str, endpoint: &str) -> Self {
        let mut child = Command::new(std::env::current_exe().expect("own path"))
            .env(CHILD_ENV, role)
            .env(ENDPOINT_ENV, endpoint)
            .stdout(Stdio::piped())
            .stdin(Stdio::null())
            .spawn()
            .expect("spawn child");
        let stdout = child.stdout.take().expect("piped stdout");
        let (send, lines) = channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Self { child, lines }
    }

    /// Waits (at most [`TIMEOUT`]) for a line starting with `prefix` and
    /// returns the rest of it.
    fn expect(&self, prefix: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix(prefix) {
                        return rest.trim().to_owned();
                    }
                }
                Err(_) => panic!("child never printed {prefix:?} within {TIMEOUT:?}"),
            }
        }
    }

    /// A line starting with `prefix` if one arrives within `wait`.
    fn saw(&self, prefix: &str, wait: Duration) -> Option<String> {
        let deadline = Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix(prefix) {
                        return Some(rest.trim().to_owned());
                    }
                }
                Err(_) => return None,
            }
        }
    }

    fn signal(&self, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(self.child.id()).expect("a pid");
        // SAFETY: kill only sends a signal, to the child this handle owns
        // and has not reaped (it is reaped in `kill_and_reap`).
        let rc = unsafe { libc::kill(pid, signal) };
        assert_eq!(rc, 0, "kill: {}", std::io::Error::last_os_error());
    }

    /// SIGKILL through the Child handle, then reap it.
    fn kill_and_reap(&mut self) {
        let _ = self.child.kill();
        let status = self.child.wait().expect("reap child");
        assert_eq!(
            status.signal(),
            Some(libc::SIGKILL),
            "the child ended before it was killed: {status}"
        );
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A raw TCP connection that greets a ZMTP 3.0 peer with `mechanism` and
/// reads its greeting back.
fn zmtp_greet(endpoint: &str, mechanism: &[u8]) -> TcpStream {
    let address = endpoint.strip_prefix("tcp://").expect("a tcp endpoint");
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    let mut greeting = [0u8; 64];
    greeting[0] = 0xFF;
    greeting[9] = 0x7F;
    greeting[10] = 3; // version 3.0
    greeting[12..12 + mechanism.len()].copy_from_slice(mechanism);
    stream.write_all(&greeting).expect("send greeting");
    let mut theirs = [0u8; 64];
    stream.read_exact(&mut theirs).expect("read greeting");
    assert_eq!(theirs[0], 0xFF, "not a ZMTP peer");
    stream
}

/// A short ZMTP frame: flags, one length byte, the body.
fn zmtp_frame(flags: u8, body: &[u8]) -> Vec<u8> {
    let mut frame = vec![flags, u8::try_from(body.len()).expect("a short frame")];
    frame.extend_from_slice(body);
    frame
}

/// Sends requests on `req` (REQ_RELAXED) until one is answered, each
/// waiting `patience`; fails past [`RECOVERY`]. Returns the attempts made.
fn request_until_answered(req: &Socket, request: &str, patience: Duration) -> usize {
    let deadline = Instant::now() + RECOVERY;
    req.set(sockopt::RcvTimeo, Some(patience)).unwrap();
    for attempt in 1.. {
        req.send(request).unwrap();
        match req.recv_string() {
            Ok(reply) => {
                assert_eq!(reply, format!("echo {request}"));
                return attempt;
            }
            Err(error) if error.is_again() => {
                assert!(
                    Instant::now() < deadline,
                    "{request} unanswered after {RECOVERY:?}"
                );
            }
            Err(error) => panic!("{error}"),
        }
    }
    unreachable!()
}

fn relaxed_req(ctx: &Context) -> Socket {
    let req = socket(ctx, SocketType::Req);
    req.set(sockopt::ReqRelaxed, true).unwrap();
    req.set(sockopt::ReqCorrelate, true).unwrap();
    req
}

// ---------------------------------------------------------------- the tests

/// A child speaking raw ZMTP as a PUSH sends the first frame of a
/// multipart message (MORE set) and is killed before the rest: the PULL
/// delivers nothing of it, and a complete message from a new sender
/// arrives whole and alone.
fn pull_discards_a_multipart_cut_by_a_killed_sender() {
    let ctx = Context::new().unwrap();
    let pull = socket(&ctx, SocketType::Pull);
    let endpoint = common::bind(&pull, common::Transport::Tcp, "");
    let mut cut = Peer::spawn("push-partial", &endpoint);
    cut.expect("partial sent");
    cut.kill_and_reap();
    pull.set(sockopt::RcvTimeo, Some(Duration::from_millis(300)))
        .unwrap();
    let nothing = pull.recv().unwrap_err();
    assert_eq!(nothing.kind(), ErrorKind::Again, "a cut message surfaced");

    pull.set(sockopt::RcvTimeo, Some(RECOVERY)).unwrap();
    let push = socket(&ctx, SocketType::Push);
    push.connect(&endpoint).unwrap();
    push.send_multipart(["one", "two", "three"]).unwrap();
    assert_eq!(
        pull.recv_multipart().unwrap(),
        [b"one".as_slice(), b"two", b"three"]
    );
}

/// Children that opened a CURVE handshake (greeting sent, half a HELLO
/// command) stall and are killed: meanwhile and afterwards a real CURVE
/// client gets its answer.
fn curve_server_serves_others_while_a_killed_client_was_mid_handshake() {
    let ctx = Context::new().unwrap();
    let server_keys = CurveKeyPair::generate().unwrap();
    let server = socket(&ctx, SocketType::Rep);
    server.set(sockopt::CurveServer, true).unwrap();
    server
        .set(
            sockopt::CurveSecretKey,
            &server_keys.secret().as_bytes()[..],
        )
        .unwrap();
    server
        .set(sockopt::HandshakeIvl, Duration::from_secs(1))
        .unwrap();
    let endpoint = common::bind(&server, common::Transport::Tcp, "");
    let echo = thread::spawn(move || {
        for _ in 0..2 {
            let request = server.recv_string().unwrap();
            server.send(format!("echo {request}").as_str()).unwrap();
        }
    });

    let mut stalled: Vec<Peer> = (0..3)
        .map(|_| Peer::spawn("curve-half-hello", &endpoint))
        .collect();
    for peer in &stalled {
        peer.expect("half hello sent");
    }
    let client_keys = CurveKeyPair::generate().unwrap();
    let client = |request: &str| {
        let req = socket(&ctx, SocketType::Req);
        req.set(
            sockopt::CurveServerKey,
            &server_keys.public().as_bytes()[..],
        )
        .unwrap();
        req.set(
            sockopt::CurvePublicKey,
            &client_keys.public().as_bytes()[..],
        )
        .unwrap();
        req.set(
            sockopt::CurveSecretKey,
            &client_keys.secret().as_bytes()[..],
        )
        .unwrap();
        req.set(sockopt::RcvTimeo, Some(RECOVERY)).unwrap();
        req.connect(&endpoint).unwrap();
        req.send(request).unwrap();
        assert_eq!(req.recv_string().unwrap(), format!("echo {request}"));
    };
    client("while they stall");
    for peer in &mut stalled {
        peer.kill_and_reap();
    }
    client("after they died");
    echo.join().expect("echo thread");
}

/// A REQ's server receives the request and is killed before replying. The
/// REQ gives up waiting (RCVTIMEO); with REQ_RELAXED it may send again, and
/// the request reaches a new server and is answered.
fn relaxed_req_recovers_when_its_server_is_killed_holding_the_request() {
    let ctx = Context::new().unwrap();
    let req = relaxed_req(&ctx);
    let endpoint = common::bind(&req, common::Transport::Tcp, "");
    let mut holder = Peer::spawn("rep-silent", &endpoint);
    holder.expect("connected");
    req.send("first").unwrap();
    assert_eq!(holder.expect("got"), "first");
    holder.kill_and_reap();

    req.set(sockopt::RcvTimeo, Some(Duration::from_millis(500)))
        .unwrap();
    assert_eq!(req.recv().unwrap_err().kind(), ErrorKind::Again);
    let answerer = Peer::spawn("rep-echo", &endpoint);
    answerer.expect("connected");
    let started = Instant::now();
    request_until_answered(&req, "second", Duration::from_millis(500));
    println!(
        "  REQ answered by the new server {:.2?} after it started",
        started.elapsed()
    );
}

/// One of two servers is frozen (SIGSTOP), its connection still open: with
/// ZMQ_HEARTBEAT_IVL/TIMEOUT the REQ drops it, and from then on every
/// request is answered by the live one; the frozen one is then killed.
fn heartbeats_drop_a_frozen_server_so_requests_reach_a_live_one() {
    let ctx = Context::new().unwrap();
    let req = relaxed_req(&ctx);
    req.set(sockopt::HeartbeatIvl, Duration::from_millis(100))
        .unwrap();
    req.set(sockopt::HeartbeatTimeout, Duration::from_millis(500))
        .unwrap();
    let endpoint = common::bind(&req, common::Transport::Tcp, "");
    let mut frozen = Peer::spawn("rep-echo", &endpoint);
    frozen.expect("connected");
    let live = Peer::spawn("rep-echo", &endpoint);
    live.expect("connected");
    // Both answer while both run.
    for n in 0..4 {
        request_until_answered(&req, &format!("warm {n}"), Duration::from_millis(500));
    }
    frozen.signal(libc::SIGSTOP);
    let started = Instant::now();
    // Once the frozen peer is dropped, ten requests in a row are answered
    // at the first attempt.
    let mut in_a_row = 0;
    let mut n = 0;
    while in_a_row < 10 {
        assert!(
            started.elapsed() < RECOVERY,
            "requests still reach the frozen server after {RECOVERY:?}"
        );
        n += 1;
        let attempts =
            request_until_answered(&req, &format!("frozen {n}"), Duration::from_millis(300));
        in_a_row = if attempts == 1 { in_a_row + 1 } else { 0 };
    }
    println!(
        "  frozen server dropped; 10 first-attempt answers {:.2?} after the freeze",
        started.elapsed()
    );
    frozen.kill_and_reap();
}

/// A PUSH connected to a listener (a PULL in a child) keeps sending while
/// the listener is killed and a new one binds the same endpoint: the PUSH
/// reconnects and the new listener receives, in order.
fn push_reconnects_to_a_listener_killed_and_bound_again() {
    let ctx = Context::new().unwrap();
    let mut first = Peer::spawn("pull-listener", "tcp://127.0.0.1:*");
    let endpoint = first.expect("bound");
    let push = socket(&ctx, SocketType::Push);
    push.set(sockopt::ReconnectIvl, Some(Duration::from_millis(50)))
        .unwrap();
    push.connect(&endpoint).unwrap();
    push.send("0").unwrap();
    assert_eq!(first.expect("got"), "0");
    first.kill_and_reap();

    let second = Peer::spawn("pull-listener", &endpoint);
    assert_eq!(second.expect("bound"), endpoint);
    let started = Instant::now();
    let mut n = 0;
    let got = loop {
        assert!(
            started.elapsed() < RECOVERY,
            "no message reached the new listener"
        );
        n += 1;
        push.send(n.to_string().as_str()).unwrap();
        if let Some(got) = second.saw("got", Duration::from_millis(50)) {
            break got;
        }
    };
    // What the new listener receives counts up from there.
    let first_got: u64 = got.parse().unwrap();
    for _ in 0..3 {
        n += 1;
        push.send(n.to_string().as_str()).unwrap();
    }
    let mut last = first_got;
    while last < n {
        let next: u64 = second.expect("got").parse().unwrap();
        assert!(next > last, "{next} after {last}");
        last = next;
    }
    println!(
        "  reconnected {:.2?} after the new listener bound",
        started.elapsed()
    );
}

/// A subscriber in a child is frozen at its HWM: the publisher is never
/// blocked and a subscriber beside it keeps receiving in order; once
/// thawed, the frozen one reads what it had queued (in order, bounded by
/// the HWMs) and then fresh messages; killed, it takes nothing with it.
fn publisher_never_blocks_on_a_frozen_subscriber_which_recovers() {
    const MESSAGES: u64 = 50_000;
    let ctx = Context::new().unwrap();
    let publisher = socket(&ctx, SocketType::Pub);
    publisher.set(sockopt::SndHwm, 1000).unwrap();
    let endpoint = common::bind(&publisher, common::Transport::Tcp, "");
    let fast = socket(&ctx, SocketType::Sub);
    fast.subscribe("").unwrap();
    fast.connect(&endpoint).unwrap();
    let mut slow = Peer::spawn("sub-slow", &endpoint);
    slow.expect("connected");
    // Until both have the subscription, publishing is lost.
    let deadline = Instant::now() + RECOVERY;
    loop {
        assert!(Instant::now() < deadline, "subscribers never joined");
        publisher.send("sync").unwrap();
        if slow.saw("synced", Duration::from_millis(20)).is_some() {
            break;
        }
    }
    slow.signal(libc::SIGSTOP);

    let reader = thread::spawn(move || {
        let mut last = 0;
        let mut count = 0u64;
        loop {
            let text = fast.recv_string().unwrap();
            if text == "end" {
                return (count, fast);
            }
            if let Some(n) = text.strip_prefix("n ") {
                let n: u64 = n.parse().unwrap();
                assert!(n > last, "fast subscriber: {n} after {last}");
                last = n;
                count += 1;
            }
        }
    });
    let started = Instant::now();
    for n in 1..=MESSAGES {
        publisher.send(format!("n {n}").as_str()).unwrap();
    }
    let publishing = started.elapsed();
    // The end marker too may be dropped if the reader lags: repeat it.
    while !reader.is_finished() {
        publisher.send("end").unwrap();
        thread::sleep(Duration::from_millis(10));
    }
    let (fast_count, fast) = reader.join().expect("fast subscriber");
    println!(
        "  published {MESSAGES} past a frozen subscriber in {publishing:.2?}; \
         the other subscriber got {fast_count}"
    );

    slow.signal(libc::SIGCONT);
    let deadline = Instant::now() + RECOVERY;
    let queued: u64 = loop {
        assert!(
            Instant::now() < deadline,
            "the thawed subscriber got nothing fresh"
        );
        publisher.send("fresh").unwrap();
        if let Some(queued) = slow.saw("fresh after", Duration::from_millis(20)) {
            break queued.parse().unwrap();
        }
    };
    assert!(
        queued < MESSAGES,
        "nothing was dropped for the frozen subscriber?"
    );
    println!("  the thawed subscriber had {queued} queued, then got fresh messages");
    slow.kill_and_reap();
    publisher.send("after").unwrap();
    fast.set(sockopt::RcvTimeo, Some(RECOVERY)).unwrap();
    while fast.recv_string().unwrap() != "after" {}
}

// ---------------------------------------------------------------- child side

/// Runs as the child `role`; exits by itself after [`CHILD_LIFETIME`].
fn child(role: &str) {
    thread::spawn(|| {
        thread::sleep(CHILD_LIFETIME);
        std::process::exit(3);
    });
    let endpoint = std::env::var(ENDPOINT_ENV).expect("endpoint");
    let say = |line: &str| {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{line}").unwrap();
        stdout.flush().unwrap();
    };
    let ctx = Context::new().unwrap();
    match role {
        "push-partial" => {
            let mut stream = zmtp_greet(&endpoint, b"NULL");
            let mut ready = vec![5];
            ready.extend_from_slice(b"READY");
            ready.push(11);
            ready.extend_from_slice(b"Socket-Type");
            ready.extend_from_slice(&4u32.to_be_bytes());
            ready.extend_from_slice(b"PUSH");
            stream.write_all(&zmtp_frame(0x04, &ready)).unwrap();
            // The first of three frames: MORE set, the rest never comes.
            stream.write_all(&zmtp_frame(0x01, b"one")).unwrap();
            say("partial sent");
            thread::sleep(CHILD_LIFETIME);
        }
        "curve-half-hello" => {
            let mut stream = zmtp_greet(&endpoint, b"CURVE");
            // A HELLO command is 200 bytes: send its first half.
            let mut hello = [0u8; 200];
            hello[0] = 5;
            hello[1..6].copy_from_slice(b"HELLO");
            stream.write_all(&[0x04, 200]).unwrap();
            stream.write_all(&hello[..100]).unwrap();
            say("half hello sent");
            thread::sleep(CHILD_LIFETIME);
        }
        "rep-silent" | "rep-echo" => {
            let rep = ctx.socket(SocketType::Rep).unwrap();
            rep.connect(&endpoint).unwrap();
            say("connected");
            loop {
                let request = rep.recv_string().unwrap();
                say(&format!("got {request}"));
                if role == "rep-silent" {
                    // Holds the request until killed.
                    thread::sleep(CHILD_LIFETIME);
                }
                rep.send(format!("echo {request}").as_str()).unwrap();
            }
        }
        "pull-listener" => {
            let pull = ctx.socket(SocketType::Pull).unwrap();
            pull.bind(&endpoint).unwrap();
            say(&format!("bound {}", pull.last_endpoint().unwrap()));
            loop {
                say(&format!("got {}", pull.recv_string().unwrap()));
            }
        }
        "sub-slow" => {
            let sub = ctx.socket(SocketType::Sub).unwrap();
            sub.set(sockopt::RcvHwm, 1000).unwrap();
            sub.subscribe("").unwrap();
            sub.connect(&endpoint).unwrap();
            say("connected");
            while sub.recv_string().unwrap() != "sync" {}
            say("synced");
            // Frozen here by the parent; then read what was queued.
            let mut last = 0;
            let mut queued = 0;
            loop {
                let text = sub.recv_string().unwrap();
                if let Some(n) = text.strip_prefix("n ") {
                    let n: u64 = n.parse().unwrap();
                    assert!(n > last, "slow subscriber: {n} after {last}");
                    last = n;
                    queued += 1;
                } else if text == "fresh" {
                    say(&format!("fresh after {queued}"));
                    thread::sleep(CHILD_LIFETIME);
                }
            }
        }
        other => panic!("unknown child role {other}"),
    }
}
