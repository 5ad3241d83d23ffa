//! pyzmq examples/recv_into: discarding frames without allocating
//!
//! Port of `recv_into/discard.py`. A publisher thread sends ten messages
//! over IPC (a socket file in a fresh temp directory), each "large" (up to
//! five random chunks of 1-2 KiB) or "small" (up to three short hex
//! strings), then "exit". The subscriber thread reads the first frame; the
//! frames of a large message it drops by receiving them into an empty
//! buffer, which costs no allocation but still reports their sizes; a small
//! one it logs whole. Both log as Python's `logging.basicConfig` does, to
//! stderr: `INFO:<logger>:<message>`.

use std::fmt::Write;
use std::thread;
use std::time::Duration;

use rand::Rng;
use rand::seq::IndexedRandom;
use zmq::{RecvFlags, SocketType, sockopt};
use zmq_guide::pyfmt;

/// `logging.getLogger(name).info(...)` under `basicConfig(level=INFO)`.
fn info(name: &str, message: &str) {
    eprintln!("INFO:{name}:{message}");
}

fn subscriber(url: &str) -> zmq::Result<()> {
    let log = "subscriber";
    let ctx = zmq::Context::new()?;
    let sub = ctx.socket(SocketType::Sub)?;
    sub.set(sockopt::Linger, Some(Duration::ZERO))?;
    sub.connect(url)?;
    sub.subscribe(b"")?;
    info(log, "Receiving...");
    loop {
        let frame_0 = sub.recv_string()?;
        if frame_0 == "exit" {
            info(log, "Exiting...");
            break;
        } else if frame_0 == "large" {
            let mut discarded_bytes = 0;
            let mut discarded_frames = 0;
            while sub.more()? {
                // An empty buffer: the frame is dropped, its size returned.
                discarded_bytes += sub.recv_into(&mut [])?;
                discarded_frames += 1;
            }
            info(
                log,
                &format!(
                    "Discarding large message frames: {discarded_frames}, bytes: {discarded_bytes}"
                ),
            );
        } else {
            // Python's repr of the list: the first frame as text, the rest as bytes.
            let mut msg = format!("['{frame_0}'");
            if sub.more()? {
                for frame in sub.recv_multipart_with(RecvFlags::DONTWAIT)? {
                    let _ = write!(msg, ", {}", pyfmt::bytes(&frame));
                }
            }
            msg.push(']');
            info(log, &format!("Received {msg}"));
        }
    }
    info(log, "Done");
    Ok(())
}

/// Lowercase hex of `n` random bytes: `secrets.token_hex(n)`.
fn token_hex(rng: &mut impl Rng, n: usize) -> String {
    (0..n).fold(String::new(), |mut hex, _| {
        let _ = write!(hex, "{:02x}", rng.random::<u8>());
        hex
    })
}

fn publisher(url: &str) -> zmq::Result<()> {
    let log = "publisher";
    let choices = ["large", "small"];
    let mut rng = rand::rng();
    let ctx = zmq::Context::new()?;
    let publisher = ctx.socket(SocketType::Pub)?;
    publisher.set(sockopt::Linger, Some(Duration::from_millis(1000)))?;
    publisher.bind(url)?;
    thread::sleep(Duration::from_secs(1));
    for _ in 0..10 {
        let kind = *choices.choose(&mut rng).unwrap_or(&"small");
        let mut frames = vec![kind.as_bytes().to_vec()];
        if kind == "large" {
            for _ in 0..rng.random_range(0..=5) {
                let chunk_size = rng.random_range(1024..=2048);
                let chunk: Vec<u8> = (0..chunk_size).map(|_| rng.random()).collect();
                frames.push(chunk);
            }
        } else {
            for _ in 0..rng.random_range(0..=3) {
                let chunk_size = rng.random_range(0..=5);
                frames.push(token_hex(&mut rng, chunk_size).into_bytes());
            }
        }
        let nbytes: usize = frames.iter().map(Vec::len).sum();
        info(log, &format!("Sending {kind}: {nbytes} bytes"));
        publisher.send_multipart(&frames)?;
        thread::sleep(Duration::from_millis(100));
    }
    info(log, "Sending exit");
    publisher.send("exit")?;
    drop(publisher);
    drop(ctx);
    info(log, "Done");
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let td = std::env::temp_dir().join(format!("pyzmq-discard-{}", std::process::id()));
    std::fs::create_dir_all(&td)?;
    let sock_path = td.join("example.sock");
    let url = format!("ipc://{}", sock_path.display());
    let s_thread = {
        let url = url.clone();
        thread::Builder::new()
            .name("subscriber".into())
            .spawn(move || subscriber(&url))?
    };
    let published = publisher(&url);
    // `join(timeout=3)`: the subscriber is a daemon thread, left behind if
    // it has not finished by then.
    for _ in 0..300 {
        if s_thread.is_finished() {
            break;
        }
        thread::sleep(Duration::from_millis(10));
    }
    if s_thread.is_finished() {
        s_thread.join().map_err(|_| "the subscriber panicked")??;
    }
    std::fs::remove_dir_all(&td)?;
    Ok(published?)
}
