//! The binding's cost per call, each safe `zmq` call beside the raw
//! `zmq_sys` call it wraps, on the same sockets: message create/drop, an
//! inproc send+receive, `poll` over 1 and 16 sockets, and option get/set.
//!
//! `cargo bench --bench binding_vs_raw` (add `-- --quick` for a short run,
//! or a filter such as `-- poll`). Read each group's `zmq` and `raw` lines
//! side by side: their difference is what the binding adds. (The zmq
//! crate's own `zmq/benches/overhead.rs` times more of the safe API alone.)

use std::ffi::c_void;
use std::hint::black_box;
use std::mem::MaybeUninit;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use zmq::{Context, Message, PollEvents, PollItem, Socket, SocketType, sockopt, sys};

/// Creates a message of `size` bytes with `zmq_msg_init_size` and closes it.
fn raw_create_drop(size: usize) {
    let mut msg = MaybeUninit::<sys::zmq_msg_t>::uninit();
    // SAFETY: init_size initialises the message (asserted), which is closed
    // exactly once.
    unsafe {
        assert_eq!(sys::zmq_msg_init_size(msg.as_mut_ptr(), size), 0);
        black_box(msg.as_mut_ptr());
        sys::zmq_msg_close(msg.as_mut_ptr());
    }
}

fn message_create_drop(c: &mut Criterion) {
    let mut group = c.benchmark_group("message_create_drop");
    for size in [1usize, 1024, 65536] {
        group.bench_with_input(BenchmarkId::new("zmq", size), &size, |b, &size| {
            // SAFETY: the content is never read.
            b.iter(|| black_box(unsafe { Message::with_size_uninit(size) }.expect("init")));
        });
        // The same work on one reused message: each reset closes the last
        // content and sizes the next in place.
        group.bench_with_input(BenchmarkId::new("zmq_reset", size), &size, |b, &size| {
            let mut msg = Message::new();
            b.iter(|| {
                // SAFETY: the content is never read.
                unsafe { msg.reset_uninit(size) }.expect("init");
                black_box(msg.as_raw());
            });
        });
        group.bench_with_input(BenchmarkId::new("raw", size), &size, |b, &size| {
            b.iter(|| raw_create_drop(size));
        });
    }
    group.finish();
}

/// A connected PAIR of sockets over inproc.
fn pair(ctx: &Context, name: &str) -> (Socket, Socket) {
    let endpoint = format!("inproc://{name}");
    let a = ctx.socket(SocketType::Pair).expect("socket");
    a.bind(&endpoint).expect("bind");
    let b = ctx.socket(SocketType::Pair).expect("socket");
    b.connect(&endpoint).expect("connect");
    (a, b)
}

fn inproc_send_recv(c: &mut Criterion) {
    let ctx = Context::new().expect("context");
    let (sender, receiver) = pair(&ctx, "bench-send-recv");
    let mut group = c.benchmark_group("inproc_send_recv");
    for size in [1usize, 1024] {
        group.bench_with_input(BenchmarkId::new("zmq", size), &size, |b, &size| {
            let mut out = Message::new();
            let mut msg = Message::new();
            b.iter(|| {
                // SAFETY: the receiver only reads the size.
                unsafe { out.reset_uninit(size) }.expect("init");
                sender.send(&mut out).expect("send");
                receiver.recv_msg(&mut msg).expect("recv");
                black_box(msg.len());
            });
        });
        group.bench_with_input(BenchmarkId::new("raw", size), &size, |b, &size| {
            let (s, r) = (sender.as_raw(), receiver.as_raw());
            let mut out = MaybeUninit::<sys::zmq_msg_t>::uninit();
            let mut msg = MaybeUninit::<sys::zmq_msg_t>::uninit();
            // SAFETY: msg is initialised here and closed after the loop;
            // each `out` is initialised, then sent (which empties it) and
            // closed; both sockets stay alive throughout.
            unsafe {
                assert_eq!(sys::zmq_msg_init(msg.as_mut_ptr()), 0);
                b.iter(|| {
                    assert_eq!(sys::zmq_msg_init_size(out.as_mut_ptr(), size), 0);
                    assert_ne!(sys::zmq_msg_send(out.as_mut_ptr(), s, 0), -1);
                    sys::zmq_msg_close(out.as_mut_ptr());
                    assert_ne!(sys::zmq_msg_recv(msg.as_mut_ptr(), r, 0), -1);
                    black_box(sys::zmq_msg_size(msg.as_ptr()));
                });
                sys::zmq_msg_close(msg.as_mut_ptr());
            }
        });
    }
    group.finish();
}

fn poll(c: &mut Criterion) {
    let ctx = Context::new().expect("context");
    // 16 pairs; the first receiver always has a message waiting, so every
    // poll returns at once with one item ready, having looked at all.
    let pairs: Vec<(Socket, Socket)> = (0..16)
        .map(|i| pair(&ctx, &format!("bench-poll-{i}")))
        .collect();
    pairs[0].0.send("ready").expect("send");
    let mut group = c.benchmark_group("poll");
    for count in [1usize, 16] {
        group.bench_with_input(BenchmarkId::new("zmq", count), &count, |b, &count| {
            let mut items: Vec<PollItem<'_>> = pairs[..count]
                .iter()
                .map(|(_, r)| PollItem::from_socket(r, PollEvents::POLLIN))
                .collect();
            b.iter(|| {
                let ready = zmq::poll(&mut items, Some(Duration::ZERO)).expect("poll");
                assert_eq!(ready, 1);
                black_box(items[0].is_readable());
            });
        });
        group.bench_with_input(BenchmarkId::new("raw", count), &count, |b, &count| {
            let mut items: Vec<sys::zmq_pollitem_t> = pairs[..count]
                .iter()
                .map(|(_, r)| sys::zmq_pollitem_t {
                    socket: r.as_raw(),
                    fd: 0,
                    events: sys::ZMQ_POLLIN as i16,
                    revents: 0,
                })
                .collect();
            b.iter(|| {
                // SAFETY: `count` items, each naming a live socket.
                let ready = unsafe { sys::zmq_poll(items.as_mut_ptr(), count as i32, 0) };
                assert_eq!(ready, 1);
                black_box(items[0].revents & sys::ZMQ_POLLIN as i16 != 0);
            });
        });
    }
    group.finish();
}

fn socket_options(c: &mut Criterion) {
    let ctx = Context::new().expect("context");
    let socket = ctx.socket(SocketType::Dealer).expect("socket");
    let raw = socket.as_raw();
    let mut group = c.benchmark_group("sockopt");
    group.bench_function("zmq/get_sndhwm", |b| {
        b.iter(|| black_box(socket.get(sockopt::SndHwm).expect("get")));
    });
    group.bench_function("raw/get_sndhwm", |b| {
        b.iter(|| {
            let mut value: i32 = 0;
            let mut len = size_of::<i32>();
            // SAFETY: a live socket and an int-sized buffer.
            let rc = unsafe {
                sys::zmq_getsockopt(
                    raw,
                    sys::ZMQ_SNDHWM,
                    std::ptr::from_mut(&mut value).cast::<c_void>(),
                    &mut len,
                )
            };
            assert_eq!(rc, 0);
            black_box(value)
        });
    });
    group.bench_function("zmq/set_sndhwm", |b| {
        b.iter(|| socket.set(sockopt::SndHwm, black_box(1000)).expect("set"));
    });
    group.bench_function("raw/set_sndhwm", |b| {
        b.iter(|| {
            let value: i32 = black_box(1000);
            // SAFETY: a live socket and an int-sized value.
            let rc = unsafe {
                sys::zmq_setsockopt(
                    raw,
                    sys::ZMQ_SNDHWM,
                    std::ptr::from_ref(&value).cast::<c_void>(),
                    size_of::<i32>(),
                )
            };
            assert_eq!(rc, 0);
        });
    });
    group.finish();
}

criterion_group!(
    benches,
    message_create_drop,
    inproc_send_recv,
    poll,
    socket_options
);
criterion_main!(benches);
