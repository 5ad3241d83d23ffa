//! Per-call overhead of the safe API: message create/drop, an inproc
//! send+receive round, and socket option calls.
//!
//! `cargo bench -p zmq --bench overhead` (add `-- --warm-up-time 1
//! --measurement-time 2` for a quick run).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zmq::{Context, Message, SocketType, sockopt};

fn message_create_drop(c: &mut Criterion) {
    let mut group = c.benchmark_group("message_create_drop");
    group.bench_function("empty", |b| b.iter(|| black_box(Message::new())));
    for size in [1usize, 1024, 64 * 1024] {
        group.bench_with_input(BenchmarkId::new("from_vec", size), &size, |b, &size| {
            // The vector is built outside the timed part: this measures
            // handing it to libzmq and freeing it, not filling it.
            b.iter_batched(
                || vec![0x5au8; size],
                |data| black_box(Message::from(data)),
                criterion::BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}

fn inproc_round(c: &mut Criterion) {
    let ctx = Context::new().expect("context");
    let sender = ctx.socket(SocketType::Pair).expect("socket");
    sender.bind("inproc://bench-overhead").expect("bind");
    let receiver = ctx.socket(SocketType::Pair).expect("socket");
    receiver
        .connect("inproc://bench-overhead")
        .expect("connect");

    let mut group = c.benchmark_group("inproc_send_recv");
    for size in [1usize, 1024] {
        let payload = vec![0x5au8; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("pair", size), &payload, |b, payload| {
            let mut msg = Message::new();
            b.iter(|| {
                sender.send(payload.as_slice()).expect("send");
                receiver.recv_msg(&mut msg).expect("recv");
                black_box(msg.len());
            });
        });
    }
    group.finish();
}

fn socket_options(c: &mut Criterion) {
    let ctx = Context::new().expect("context");
    let socket = ctx.socket(SocketType::Dealer).expect("socket");
    let mut group = c.benchmark_group("sockopt");
    group.bench_function("set_int_sndhwm", |b| {
        b.iter(|| socket.set(sockopt::SndHwm, black_box(1000)).expect("set"));
    });
    group.bench_function("get_int_sndhwm", |b| {
        b.iter(|| black_box(socket.get(sockopt::SndHwm).expect("get")));
    });
    group.bench_function("set_bytes_routing_id", |b| {
        b.iter(|| {
            socket
                .set(sockopt::RoutingId, black_box(&b"worker-0001"[..]))
                .expect("set")
        });
    });
    group.bench_function("get_bytes_routing_id", |b| {
        b.iter(|| black_box(socket.get(sockopt::RoutingId).expect("get")));
    });
    group.finish();
}

criterion_group!(benches, message_create_drop, inproc_round, socket_options);
criterion_main!(benches);
