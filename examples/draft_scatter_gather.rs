//! Draft API: SCATTER/GATHER, the thread-safe PUSH/PULL.
//!
//! A SCATTER socket hands tasks round-robin to two GATHER workers, which
//! report the total of what they got on a second SCATTER/GATHER pair back to
//! the sink. Run with `cargo run --example draft_scatter_gather --features draft`.

use std::thread;
use std::time::Duration;

use zmq::{RecvFlags, SendFlags, ThreadSafeType, sockopt};

const TASKS: u32 = 100;

fn main() -> zmq::Result<()> {
    let context = zmq::Context::new()?;
    let ventilator = context.thread_safe_socket(ThreadSafeType::Scatter)?;
    ventilator.bind("inproc://tasks")?;
    let sink = context.thread_safe_socket(ThreadSafeType::Gather)?;
    sink.set(sockopt::RcvTimeo, Some(Duration::from_secs(5)))?;
    sink.bind("inproc://results")?;

    let workers: Vec<_> = (0..2)
        .map(|id| {
            let context = context.clone();
            thread::spawn(move || -> zmq::Result<()> {
                let tasks = context.thread_safe_socket(ThreadSafeType::Gather)?;
                tasks.set(sockopt::RcvTimeo, Some(Duration::from_secs(5)))?;
                tasks.connect("inproc://tasks")?;
                let results = context.thread_safe_socket(ThreadSafeType::Scatter)?;
                results.connect("inproc://results")?;
                let (mut count, mut sum) = (0u32, 0u32);
                loop {
                    let task = tasks.recv(RecvFlags::empty())?;
                    if task.is_empty() {
                        break;
                    }
                    let value: u32 = String::from_utf8_lossy(&task).parse().unwrap_or(0);
                    count += 1;
                    sum += value;
                }
                println!("worker {id}: {count} tasks");
                results.send(sum.to_string(), SendFlags::empty())?;
                Ok(())
            })
        })
        .collect();

    // Give both workers time to connect, so round-robin includes both.
    thread::sleep(Duration::from_millis(100));
    for task in 1..=TASKS {
        ventilator.send(task.to_string(), SendFlags::empty())?;
    }
    // An empty task tells each worker to report.
    ventilator.send("", SendFlags::empty())?;
    ventilator.send("", SendFlags::empty())?;

    let mut total = 0u32;
    for _ in 0..2 {
        let sum = sink.recv(RecvFlags::empty())?;
        total += String::from_utf8_lossy(&sum).parse::<u32>().unwrap_or(0);
    }
    for worker in workers {
        worker.join().expect("worker thread panicked")?;
    }
    println!("total: {total} (expected {})", TASKS * (TASKS + 1) / 2);
    Ok(())
}
