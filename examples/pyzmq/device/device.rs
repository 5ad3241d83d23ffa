//! pyzmq examples/device: relaying messages through `zmq::proxy`
//!
//! Port of `device/device.py`. Two producer threads PUSH `"<id>: <unix
//! time>"` once a second to tcp://127.0.0.1:5555, where a proxy thread's
//! PULL takes them and its PUSH on tcp://127.0.0.1:5556 hands them to one
//! consumer thread, which prints them. Once the consumer has all of them
//! the context is shut down, which ends the proxy with "terminated".
//!
//! `ZGUIDE_MSGS` sets how many messages each producer sends (10, as in the
//! original).

use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zmq::{ErrorKind, SocketType};
use zmq_guide::{endpoint, setting};

const PRODUCERS: usize = 2;

/// Produces messages.
fn produce(ctx: zmq::Context, url: String, ident: usize, msgs: usize) -> zmq::Result<()> {
    let s = ctx.socket(SocketType::Push)?;
    s.connect(&url)?;
    println!("Producing {ident}");
    for _ in 0..msgs {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64();
        s.send(format!("{ident}: {now:.0}"))?;
        thread::sleep(Duration::from_secs(1));
    }
    println!("Producer {ident} done");
    s.close()
}

/// Consumes messages.
fn consume(ctx: zmq::Context, url: String, msgs: usize) -> zmq::Result<()> {
    let s = ctx.socket(SocketType::Pull)?;
    s.connect(&url)?;
    println!("Consuming");
    for _ in 0..msgs * PRODUCERS {
        let msg = s.recv()?;
        println!("{}", String::from_utf8_lossy(&msg));
    }
    println!("Consumer done");
    s.close()
}

/// Relays from `in_url` to `out_url` until the context is shut down.
fn proxy(ctx: zmq::Context, in_url: String, out_url: String) -> zmq::Result<()> {
    let in_s = ctx.socket(SocketType::Pull)?;
    in_s.bind(&in_url)?;
    let out_s = ctx.socket(SocketType::Push)?;
    out_s.bind(&out_url)?;
    match zmq::proxy(&in_s, &out_s) {
        Err(e) if e.kind() == ErrorKind::Terminated => {
            println!("proxy terminated");
            in_s.close()?;
            out_s.close()
        }
        other => other,
    }
}

/// Joins a thread, turning its panic into an error.
fn join(handle: thread::JoinHandle<zmq::Result<()>>) -> Result<(), Box<dyn std::error::Error>> {
    handle.join().map_err(|_| "a thread panicked")??;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let msgs: usize = setting("ZGUIDE_MSGS", 10);
    let in_url = endpoint("tcp://127.0.0.1:5555");
    let out_url = endpoint("tcp://127.0.0.1:5556");
    let ctx = zmq::Context::new()?;

    let consumer = {
        let (ctx, url) = (ctx.clone(), out_url.clone());
        thread::spawn(move || consume(ctx, url, msgs))
    };
    let proxy_thread = {
        let (ctx, in_url) = (ctx.clone(), in_url.clone());
        thread::spawn(move || proxy(ctx, in_url, out_url))
    };
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|i| {
            let (ctx, url) = (ctx.clone(), in_url.clone());
            thread::spawn(move || produce(ctx, url, i, msgs))
        })
        .collect();

    join(consumer)?;
    // `Context.term()`: blocking calls fail with ETERM, which ends the proxy.
    ctx.shutdown()?;
    join(proxy_thread)?;
    for p in producers {
        join(p)?;
    }
    Ok(())
}
