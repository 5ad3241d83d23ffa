//! Draft API: SCATTER/GATHER, the thread-safe PUSH/PULL.
//!
//! A SCATTER socket hands tasks round-robin to two GATHER workers, which
//! report the total of what they got on a second SCATTER/GATHER pair back to
//! the sink. Each worker first announces on that pair that it is connected,
//! and the tasks go out only once both have (the guide's node
//! synchronisation), so round-robin always includes both. Run with
//! `cargo run --example draft_scatter_gather --features draft`.

use std::thread;
use std::time::Duration;

use zmq::{ThreadSafeType, sockopt};

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
                // Connected to both: tell the sink we are ready.
                results.send("ready")?;
                let (mut count, mut sum) = (0u32, 0u32);
                loop {
                    let task = tasks.recv()?;
                    if task.is_empty() {
                        break;
                    }
                    let value: u32 = String::from_utf8_lossy(&task).parse().unwrap_or(0);
                    count += 1;
                    sum += value;
                }
                println!("worker {id}: {count} tasks");
                results.send(sum.to_string())?;
                Ok(())
            })
        })
        .collect();

    // Wait until both workers are connected. An inproc connect queues its
    // pipe for the bound ventilator at once, which takes in every queued
    // pipe before it sends: both workers get tasks.
    for _ in 0..2 {
        sink.recv()?;
    }
    for task in 1..=TASKS {
        ventilator.send(task.to_string())?;
    }
    // An empty task tells each worker to report.
    ventilator.send("")?;
    ventilator.send("")?;

    let mut total = 0u32;
    for _ in 0..2 {
        let sum = sink.recv()?;
        total += String::from_utf8_lossy(&sum).parse::<u32>().unwrap_or(0);
    }
    for worker in workers {
        worker.join().expect("worker thread panicked")?;
    }
    println!("total: {total} (expected {})", TASKS * (TASKS + 1) / 2);
    Ok(())
}
