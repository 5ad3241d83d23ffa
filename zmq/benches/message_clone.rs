//! `Message::clone` against raw `zmq_msg_copy` and a copy of the bytes:
//! a clone of a 64 KiB message must cost a reference count, what
//! `zmq_msg_copy` costs, not a 64 KiB copy. Each timed step makes one
//! clone and drops it (`zmq_msg_copy` + `zmq_msg_close` for the raw one).
//!
//! `cargo bench -p zmq --bench message_clone` (add `-- --warm-up-time 1
//! --measurement-time 2` for a quick run).

use std::hint::black_box;
use std::mem::MaybeUninit;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use zmq::Message;

const SIZES: [usize; 2] = [64, 64 * 1024];

fn clone_vs_msg_copy(c: &mut Criterion) {
    let mut group = c.benchmark_group("message_clone");
    for size in SIZES {
        let original = Message::from(vec![0x5au8; size]);
        group.bench_with_input(BenchmarkId::new("Message::clone", size), &size, |b, _| {
            b.iter(|| black_box(black_box(&original).clone()));
        });

        let mut source = Message::from(vec![0x5au8; size]);
        group.bench_with_input(BenchmarkId::new("zmq_msg_copy", size), &size, |b, _| {
            b.iter(|| {
                let mut copy = MaybeUninit::<zmq::sys::zmq_msg_t>::uninit();
                // SAFETY: zmq_msg_init initialises the struct; zmq_msg_copy
                // gets two valid messages; the copy is closed once.
                unsafe {
                    zmq::sys::zmq_msg_init(copy.as_mut_ptr());
                    zmq::sys::zmq_msg_copy(copy.as_mut_ptr(), black_box(source.as_raw_mut()));
                    zmq::sys::zmq_msg_close(copy.as_mut_ptr());
                }
            });
        });

        let bytes = vec![0x5au8; size];
        group.bench_with_input(
            BenchmarkId::new("copy of the bytes", size),
            &size,
            |b, _| {
                b.iter(|| black_box(Message::from(black_box(&bytes[..]))));
            },
        );
    }
    group.finish();
}

criterion_group!(benches, clone_vs_msg_copy);
criterion_main!(benches);
