//! pyzmq examples/pubsub: the array publisher
//!
//! Port of `pubsub/publisher.py`. An XPUB socket binds (default
//! tcp://127.0.0.1:5555), waits for the first subscription, then sends
//! `--count` arrays of random `f64`s, each as two frames: a JSON header
//! `{"shape": [...], "dtype": "float64"}` and the raw native-endian values,
//! as numpy sends them. A last `{"done": true}` tells subscribers to stop.
//!
//! Usage: `publisher [--url URL] [-n COUNT] [--size SIZE] [--nd ND]`.

use std::process::exit;

use rand::Rng;
use serde_json::json;
use zmq::{SendFlags, SocketType};
use zmq_guide::endpoint;

/// The command line, with the original's defaults.
struct Args {
    url: String,
    count: usize,
    size: usize,
    nd: u32,
}

fn usage(why: &str) -> ! {
    eprintln!("usage: publisher [--url URL] [-n COUNT] [--size SIZE] [--nd ND]");
    eprintln!("publisher: error: {why}");
    exit(2)
}

fn parse_args() -> Args {
    let mut args = Args {
        url: "tcp://127.0.0.1:5555".to_owned(),
        count: 10,
        size: 1024,
        nd: 2,
    };
    let mut argv = std::env::args().skip(1);
    while let Some(flag) = argv.next() {
        let value = argv
            .next()
            .unwrap_or_else(|| usage(&format!("{flag} expects a value")));
        let number = || {
            value
                .parse::<usize>()
                .unwrap_or_else(|_| usage(&format!("{flag}: invalid int value: {value:?}")))
        };
        match flag.as_str() {
            "--url" => args.url = value.clone(),
            "-n" | "--count" => args.count = number(),
            "--size" => args.size = number(),
            "--nd" => {
                args.nd = number()
                    .try_into()
                    .unwrap_or_else(|_| usage("--nd too large"))
            }
            _ => usage(&format!("unrecognized argument: {flag}")),
        }
    }
    args
}

/// Sends an array of `f64`s: its JSON header, then its bytes.
fn send_array(socket: &zmq::Socket, shape: &[usize], values: &[f64]) -> zmq::Result<()> {
    let md = json!({
        "shape": shape,
        "dtype": "float64",
    });
    socket.send_json_with(&md, SendFlags::SNDMORE)?;
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_ne_bytes()).collect();
    socket.send(bytes)
}

fn main() -> zmq::Result<()> {
    let args = parse_args();
    let bind_to = endpoint(&args.url);
    let ctx = zmq::Context::new()?;
    let s = ctx.socket(SocketType::Xpub)?;
    s.bind(&bind_to)?;
    println!("Waiting for subscriber");
    s.recv()?;
    println!("Sending arrays...");
    let shape = vec![args.size; args.nd as usize];
    let len = shape.iter().product();
    let mut rng = rand::rng();
    for _ in 0..args.count {
        let a: Vec<f64> = (0..len).map(|_| rng.random::<f64>()).collect();
        send_array(&s, &shape, &a)?;
    }
    s.send_json(&json!({"done": true}))?;
    println!("   Done.");
    Ok(())
}
