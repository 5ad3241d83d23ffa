//! Weather update client
//!
//! Port of the zguide's `examples/Python/wuclient.py`: a SUB socket connected
//! to tcp://localhost:5556 averages the temperature of 100 updates for one
//! zipcode (the first argument, 10001 by default). `ZGUIDE_UPDATES` lowers
//! the 100, for tests.

use zmq::SocketType;
use zmq_guide::{endpoint, pyfmt};

fn main() -> zmq::Result<()> {
    // The socket that hears the server.
    let context = zmq::Context::new()?;
    let socket = context.socket(SocketType::Sub)?;

    println!("Collecting updates from weather server...");
    socket.connect(&endpoint("tcp://localhost:5556"))?;

    // Only updates starting with this zipcode get through; New York by default.
    let zip_filter = std::env::args().nth(1).unwrap_or_else(|| "10001".into());
    socket.subscribe(&zip_filter)?;

    // Add up the temperatures of the first updates.
    let updates: u32 = zmq_guide::setting("ZGUIDE_UPDATES", 100);
    let mut total_temp: i64 = 0;
    for _ in 0..updates {
        let string = socket.recv_string()?;
        let fields: Vec<&str> = string.split_whitespace().collect();
        let [_zipcode, temperature, _relhumidity] = fields[..] else {
            panic!("malformed update {string:?}");
        };
        total_temp += temperature
            .parse::<i64>()
            .unwrap_or_else(|e| panic!("bad temperature in {string:?}: {e}"));
    }

    // Python's `/` gives a float, printed the way Python prints floats.
    let average = total_temp as f64 / f64::from(updates);
    println!(
        "Average temperature for zipcode '{zip_filter}' was {} F",
        pyfmt::float(average)
    );
    Ok(())
}
