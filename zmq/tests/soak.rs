//! The soak: the guide's brokers under churn for an hour (or
//! `ZMQ_SOAK_SECS` seconds), with a report line per minute.
//!
//! Two patterns share one context:
//! - a load-balancing broker in the style of the guide's lbbroker (ROUTER
//!   frontend for REQ clients, ROUTER backend for REQ workers that announce
//!   themselves with `READY`), with clients and workers that come and go:
//!   each client makes a few requests and closes, each worker serves a few
//!   and leaves, saying so in its last reply so the broker forgets it;
//! - a pub-sub proxy (XSUB/XPUB through `proxy_steerable`) fed by
//!   publishers numbering their messages, read by subscribers that join,
//!   read for a while and leave; each checks that every publisher's numbers
//!   only go up.
//!
//! Everything runs over `tcp://127.0.0.1:*`, so every churned socket opens
//! and closes real connections. It fails if a request goes unanswered, a
//! subscriber sees numbers out of order, or descriptors or memory grow past
//! a stated bound between the first report and the last.
//!
//! Run it: `cargo test -p zmq --test soak -- --ignored --nocapture` (the
//! full run: one hour; `ZMQ_SOAK_SECS=120` for a two-minute proof,
//! `ZMQ_SOAK_REPORT_SECS` to report more often). A watchdog fails the test
//! if it has not finished [`WATCHDOG_GRACE`] after its duration.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use common::resources::{open_fds, rss_bytes_trimmed};
use common::watchdog;
use zmq::proxy::{ProxyControl, proxy_steerable};
use zmq::{Context, PollEvents, PollItem, Socket, SocketType, poll, sockopt};

/// Concurrent clients, workers, publishers and subscribers.
const CLIENTS: usize = 8;
const WORKERS: usize = 4;
const PUBLISHERS: usize = 2;
const SUBSCRIBERS: usize = 4;

/// How long a request may wait for its reply before it counts as lost.
const REPLY_DEADLINE: Duration = Duration::from_secs(10);

/// Descriptors the process may hold at the end beyond what it held at the
/// first report (sockets mid-churn at either moment).
const FD_TOLERANCE: usize = 64;
/// Memory the process may have grown by from the first report to the last,
/// measured after `malloc_trim` (so a fragmented heap's cache is not counted).
const RSS_TOLERANCE_MIB: f64 = 32.0;

/// How long the soak may take past its duration to stop its threads and
/// check its figures before the watchdog fails it (a hang in a churning
/// thread or at shutdown).
const WATCHDOG_GRACE: Duration = Duration::from_secs(120);

/// Counters every thread adds to and the reporter reads.
#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    request_errors: AtomicU64,
    published: AtomicU64,
    received: AtomicU64,
    order_errors: AtomicU64,
    clients: AtomicU64,
    workers: AtomicU64,
    subscribers: AtomicU64,
}

impl Counters {
    fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
    fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}

fn env_secs(name: &str, default: u64) -> Duration {
    let secs = std::env::var(name)
        .ok()
        .map(|text| {
            text.parse()
                .unwrap_or_else(|_| panic!("{name} must be whole seconds"))
        })
        .unwrap_or(default);
    Duration::from_secs(secs)
}

/// A small xorshift generator: varied churn without a dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn socket(ctx: &Context, kind: SocketType) -> Socket {
    let socket = ctx.socket(kind).expect("socket");
    socket.set(sockopt::Linger, Some(Duration::ZERO)).unwrap();
    socket
}

/// A thread of the soak: its context, the endpoint it connects to, the
/// counters, the flag that keeps it going, a seed.
type Role = fn(Context, String, Arc<Counters>, Arc<AtomicBool>, u64);

#[test]
#[ignore = "an hour by default; run with --ignored (ZMQ_SOAK_SECS sets the duration)"]
fn brokers_survive_churning_clients_workers_and_subscribers() {
    let duration = env_secs("ZMQ_SOAK_SECS", 3600);
    let report_every = env_secs("ZMQ_SOAK_REPORT_SECS", 60);
    watchdog(duration + WATCHDOG_GRACE, "the soak", move || {
        soak(duration, report_every)
    });
}

/// The soak itself: runs the brokers and churning threads for `duration`,
/// reporting every `report_every`, then stops them and checks the figures.
fn soak(duration: Duration, report_every: Duration) {
    let ctx = Context::new().unwrap();
    let counters = Arc::new(Counters::default());
    // Clients and subscribers stop first; the broker and the workers serve
    // until the last client has its reply.
    let running = Arc::new(AtomicBool::new(true));
    let serving = Arc::new(AtomicBool::new(true));

    // The load balancer.
    let frontend = socket(&ctx, SocketType::Router);
    frontend.bind("tcp://127.0.0.1:*").unwrap();
    let frontend_ep = frontend.last_endpoint().unwrap();
    let backend = socket(&ctx, SocketType::Router);
    backend.bind("tcp://127.0.0.1:*").unwrap();
    let backend_ep = backend.last_endpoint().unwrap();
    let broker_running = Arc::clone(&serving);
    let broker = thread::spawn(move || lb_broker(&frontend, &backend, &broker_running));

    // The pub-sub proxy, stopped through its control socket.
    let xsub = socket(&ctx, SocketType::Xsub);
    xsub.bind("tcp://127.0.0.1:*").unwrap();
    let xsub_ep = xsub.last_endpoint().unwrap();
    let xpub = socket(&ctx, SocketType::Xpub);
    xpub.bind("tcp://127.0.0.1:*").unwrap();
    let xpub_ep = xpub.last_endpoint().unwrap();
    let control_remote = socket(&ctx, SocketType::Pair);
    control_remote.bind("inproc://soak-proxy-control").unwrap();
    let control = socket(&ctx, SocketType::Pair);
    control.connect("inproc://soak-proxy-control").unwrap();
    let proxy = thread::spawn(move || proxy_steerable(&xsub, &xpub, None, &control_remote));

    let mut threads = Vec::new();
    let mut servers = Vec::new();
    let roles: [(usize, Role); 4] = [
        (CLIENTS, client_loop),
        (WORKERS, worker_loop),
        (PUBLISHERS, publisher_loop),
        (SUBSCRIBERS, subscriber_loop),
    ];
    let endpoints = [&frontend_ep, &backend_ep, &xsub_ep, &xpub_ep];
    for (role, ((count, body), endpoint)) in roles.into_iter().zip(endpoints).enumerate() {
        for n in 0..count {
            let (ctx, endpoint) = (ctx.clone(), endpoint.clone());
            let flag = if role == 1 { &serving } else { &running };
            let (counters, flag) = (Arc::clone(&counters), Arc::clone(flag));
            let seed = (role * 100 + n + 1) as u64;
            let thread = thread::spawn(move || body(ctx, endpoint, counters, flag, seed));
            if role == 1 {
                servers.push(thread)
            } else {
                threads.push(thread)
            }
        }
    }

    println!(
        "soak: {duration:?}, report every {report_every:?}; \
         columns: elapsed requests request_errors published received order_errors \
         clients workers subscribers rss_mib fds"
    );
    let started = Instant::now();
    let mut first: Option<(usize, f64)> = None;
    let mut last = (0, 0.0);
    while started.elapsed() < duration {
        let next = report_every.min(duration.saturating_sub(started.elapsed()));
        thread::sleep(next);
        let c = &counters;
        let (fds, rss) = (open_fds(), rss_bytes_trimmed() as f64 / 1048576.0);
        println!(
            "soak {:>6}s requests={} request_errors={} published={} received={} \
             order_errors={} clients={} workers={} subscribers={} rss_mib={rss:.1} fds={fds}",
            started.elapsed().as_secs(),
            Counters::get(&c.requests),
            Counters::get(&c.request_errors),
            Counters::get(&c.published),
            Counters::get(&c.received),
            Counters::get(&c.order_errors),
            Counters::get(&c.clients),
            Counters::get(&c.workers),
            Counters::get(&c.subscribers),
        );
        first.get_or_insert((fds, rss));
        last = (fds, rss);
    }

    running.store(false, Ordering::Relaxed);
    for thread in threads {
        thread.join().expect("soak thread");
    }
    serving.store(false, Ordering::Relaxed);
    for thread in servers {
        thread.join().expect("worker thread");
    }
    broker.join().expect("broker thread");
    ProxyControl::new(control).terminate().unwrap();
    proxy.join().expect("proxy thread").unwrap();

    let c = &counters;
    assert_eq!(
        Counters::get(&c.request_errors),
        0,
        "requests went unanswered"
    );
    assert_eq!(
        Counters::get(&c.order_errors),
        0,
        "subscribers saw reordering"
    );
    assert!(Counters::get(&c.requests) > 0 && Counters::get(&c.received) > 0);
    let (first_fds, first_rss) = first.expect("at least one report");
    assert!(
        last.0 <= first_fds + FD_TOLERANCE,
        "descriptors grew from {first_fds} to {}",
        last.0
    );
    assert!(
        last.1 <= first_rss + RSS_TOLERANCE_MIB,
        "RSS grew from {first_rss:.1} MiB to {:.1} MiB",
        last.1
    );
}

/// The guide's lbbroker, polling the frontend only while a worker is free.
/// A worker's message is `[worker, "", READY]` or `[worker, "", "MORE" |
/// "LAST", client, "", reply]`; a worker that said `LAST` is not queued.
fn lb_broker(frontend: &Socket, backend: &Socket, running: &AtomicBool) {
    let mut free: Vec<Vec<u8>> = Vec::new();
    while running.load(Ordering::Relaxed) {
        let mut items = [
            PollItem::from_socket(backend, PollEvents::POLLIN),
            PollItem::from_socket(frontend, PollEvents::POLLIN),
        ];
        let watched = if free.is_empty() { 1 } else { 2 };
        poll(&mut items[..watched], Some(Duration::from_millis(100))).unwrap();
        let (backend_ready, frontend_ready) = (items[0].is_readable(), items[1].is_readable());
        if backend_ready {
            let mut frames = backend.recv_multipart().unwrap();
            let worker = frames.remove(0);
            match frames[1].as_slice() {
                b"READY" => free.push(worker),
                flag => {
                    if flag == b"MORE" {
                        free.push(worker);
                    }
                    frontend.send_multipart(&frames[2..]).unwrap();
                }
            }
        }
        if frontend_ready && !free.is_empty() {
            let frames = backend_route(free.remove(0), frontend.recv_multipart().unwrap());
            backend.send_multipart(frames).unwrap();
        }
    }
}

/// `[client, "", request]` from the frontend, addressed to `worker`.
fn backend_route(worker: Vec<u8>, request: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut frames = vec![worker, Vec::new()];
    frames.extend(request);
    frames
}

/// A client makes 1 to 50 requests on one REQ socket, checks every reply
/// and closes; then the next client begins.
fn client_loop(ctx: Context, ep: String, c: Arc<Counters>, running: Arc<AtomicBool>, seed: u64) {
    let mut rng = Rng::new(seed);
    let mut serial = 0u64;
    while running.load(Ordering::Relaxed) {
        let client = socket(&ctx, SocketType::Req);
        client.set(sockopt::RcvTimeo, Some(REPLY_DEADLINE)).unwrap();
        client.connect(&ep).unwrap();
        for _ in 0..=rng.below(50) {
            serial += 1;
            let request = format!("{seed}-{serial}");
            client.send(request.as_str()).unwrap();
            match client.recv_string() {
                Ok(reply) if reply == format!("OK {request}") => {
                    Counters::add(&c.requests, 1);
                }
                Ok(reply) => panic!("client {seed}: {reply:?} answers {request:?}"),
                Err(error) => {
                    eprintln!("client {seed}: no reply to {request}: {error}");
                    Counters::add(&c.request_errors, 1);
                    break;
                }
            }
        }
        Counters::add(&c.clients, 1);
        drop(client);
    }
}

/// A worker says READY, serves 1 to 200 requests and leaves, flagging its
/// last reply `LAST`; then the next worker begins.
fn worker_loop(ctx: Context, ep: String, c: Arc<Counters>, running: Arc<AtomicBool>, seed: u64) {
    let mut rng = Rng::new(seed);
    while running.load(Ordering::Relaxed) {
        let worker = socket(&ctx, SocketType::Req);
        worker
            .set(sockopt::RcvTimeo, Some(Duration::from_millis(100)))
            .unwrap();
        worker.connect(&ep).unwrap();
        worker.send("READY").unwrap();
        let quota = 1 + rng.below(200);
        let mut served = 0;
        while served < quota {
            let request = match worker.recv_multipart() {
                Ok(frames) => frames,
                Err(error) if error.is_again() => {
                    if running.load(Ordering::Relaxed) {
                        continue;
                    }
                    break;
                }
                Err(error) => panic!("worker {seed}: {error}"),
            };
            served += 1;
            let flag: &[u8] = if served == quota { b"LAST" } else { b"MORE" };
            let (client, body) = (&request[0], &request[2]);
            let reply = [b"OK ".as_slice(), body].concat();
            worker
                .send_multipart([flag, client, b"", &reply[..]])
                .unwrap();
        }
        Counters::add(&c.workers, 1);
    }
}

/// A publisher sends `"<topic> <publisher> <n>"` with n counting up, in
/// bursts of 100 with a pause between.
fn publisher_loop(ctx: Context, ep: String, c: Arc<Counters>, running: Arc<AtomicBool>, seed: u64) {
    let publisher = socket(&ctx, SocketType::Pub);
    publisher.connect(&ep).unwrap();
    let mut n = 0u64;
    while running.load(Ordering::Relaxed) {
        for _ in 0..100 {
            n += 1;
            let topic = ["alpha", "beta", "gamma"][(n % 3) as usize];
            publisher
                .send(format!("{topic} {seed} {n}").as_str())
                .unwrap();
        }
        Counters::add(&c.published, 100);
        thread::sleep(Duration::from_millis(2));
    }
}

/// A subscriber joins with one or two topics, reads 100 to 5,000 messages
/// (checking each publisher's numbers only go up) and leaves.
fn subscriber_loop(
    ctx: Context,
    ep: String,
    c: Arc<Counters>,
    running: Arc<AtomicBool>,
    seed: u64,
) {
    let mut rng = Rng::new(seed);
    while running.load(Ordering::Relaxed) {
        let subscriber = socket(&ctx, SocketType::Sub);
        subscriber
            .set(sockopt::RcvTimeo, Some(Duration::from_millis(200)))
            .unwrap();
        subscriber.subscribe("alpha").unwrap();
        if rng.below(2) == 0 {
            subscriber.subscribe("gamma").unwrap();
        }
        subscriber.connect(&ep).unwrap();
        let mut latest: HashMap<String, u64> = HashMap::new();
        let wanted = 100 + rng.below(4900);
        let mut got = 0;
        while got < wanted && running.load(Ordering::Relaxed) {
            let text = match subscriber.recv_string() {
                Ok(text) => text,
                Err(error) if error.is_again() => continue,
                Err(error) => panic!("subscriber {seed}: {error}"),
            };
            let mut fields = text.split(' ');
            let (topic, publisher) = (fields.next().unwrap(), fields.next().unwrap());
            let n: u64 = fields.next().unwrap().parse().unwrap();
            if topic == "beta" {
                panic!("subscriber {seed} received an unsubscribed topic: {text}");
            }
            let previous = latest.insert(publisher.to_owned(), n);
            if previous.is_some_and(|previous| previous >= n) {
                eprintln!("subscriber {seed}: {text} after {previous:?}");
                Counters::add(&c.order_errors, 1);
            }
            got += 1;
        }
        Counters::add(&c.received, got);
        Counters::add(&c.subscribers, 1);
    }
}
