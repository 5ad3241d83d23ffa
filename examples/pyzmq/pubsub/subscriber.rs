//! pyzmq examples/pubsub: the array subscriber
//!
//! Port of `pubsub/subscriber.py`. A SUB socket connects (default
//! tcp://127.0.0.1:5555), subscribes to everything and receives the arrays
//! `publisher` sends (a JSON header frame, then the values) until the
//! `{"done": true}` header; then it prints the size of one array, how many
//! came and the throughput.
//!
//! Usage: `subscriber [--url URL]`.

use std::process::exit;
use std::time::Instant;

use serde_json::Value;
use zmq::SocketType;
use zmq_guide::endpoint;

/// An array as received: its values' bytes, checked against its header's
/// shape and dtype.
struct Array {
    data: Vec<u8>,
}

impl Array {
    /// numpy's `nbytes`.
    fn nbytes(&self) -> usize {
        self.data.len()
    }
}

/// Receives one array, or `None` at the `done` header.
fn recv_array(socket: &zmq::Socket) -> Result<Option<Array>, Box<dyn std::error::Error>> {
    let header: Value = socket.recv_json()?;
    if header.get("done").and_then(Value::as_bool).unwrap_or(false) {
        return Ok(None);
    }
    let shape = header
        .get("shape")
        .and_then(Value::as_array)
        .ok_or("header without a shape")?
        .iter()
        .map(|n| {
            n.as_u64()
                .map(|n| n as usize)
                .ok_or("shape of non-integers")
        })
        .collect::<Result<Vec<_>, _>>()?;
    let dtype = header.get("dtype").and_then(Value::as_str).unwrap_or("");
    let itemsize = match dtype {
        "float64" | "int64" | "uint64" => 8,
        "float32" | "int32" | "uint32" => 4,
        other => return Err(format!("unsupported dtype {other:?}").into()),
    };
    let data = socket.recv_bytes()?;
    if data.len() != shape.iter().product::<usize>() * itemsize {
        return Err("array bytes do not match its shape".into());
    }
    Ok(Some(Array { data }))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut argv = std::env::args().skip(1);
    let mut url = "tcp://127.0.0.1:5555".to_owned();
    while let Some(flag) = argv.next() {
        match (flag.as_str(), argv.next()) {
            ("--url", Some(value)) => url = value,
            _ => {
                eprintln!("usage: subscriber [--url URL]");
                exit(2);
            }
        }
    }

    let ctx = zmq::Context::new()?;
    let s = ctx.socket(SocketType::Sub)?;
    s.connect(&endpoint(&url))?;
    s.subscribe(b"")?;

    let start = Instant::now();
    println!("Receiving arrays...");
    let first_array = recv_array(&s)?.ok_or("the first message was already 'done'")?;
    let mut array_count = 1u64;
    while recv_array(&s)?.is_some() {
        array_count += 1;
    }
    println!("   Done.");

    let elapsed = start.elapsed().as_secs_f64();
    let throughput = array_count as f64 / elapsed;
    let message_size = first_array.nbytes();
    let megabits = throughput * message_size as f64 * 8.0 / 1_000_000.0;

    println!("message size: {message_size:.0} [B]");
    println!("array count: {array_count:.0}");
    println!("mean throughput: {throughput:.0} [msg/s]");
    println!("mean throughput: {megabits:.3} [Mb/s]");
    Ok(())
}
