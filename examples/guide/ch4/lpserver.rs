//! lpserver: the Lazy Pirate server
//!
//! Port of the zguide's `examples/Python/lpserver.py`: a REP echo server
//! that, after a few cycles, now and then stalls (simulated CPU overload)
//! or exits (a simulated crash), for `lpclient` to recover from.
//!
//! It logs to standard error as the original's `logging` does. The dice can
//! be replaced by fixed cycles (`ZGUIDE_CRASH_CYCLE`,
//! `ZGUIDE_OVERLOAD_CYCLE`, see `zmq_guide::simulate`) and its sleeps
//! follow `ZGUIDE_TIME_SCALE`.

use std::thread;

use rand::Rng;
use zmq::SocketType;
use zmq_guide::logging::leveled::info;
use zmq_guide::settings::scaled_ms;
use zmq_guide::simulate::Failures;
use zmq_guide::{endpoint, pyfmt};

fn main() -> zmq::Result<()> {
    let failures = Failures::from_env();
    let mut rng = rand::rng();

    let context = zmq::Context::new()?;
    let server = context.socket(SocketType::Rep)?;
    server.bind(&endpoint("tcp://*:5555"))?;

    for cycles in 0u64.. {
        let request = server.recv_bytes()?;

        // After a few cycles, stage some trouble.
        if failures.crash(cycles, || cycles > 3 && rng.random_range(0..=3) == 0) {
            info("Simulating a crash");
            break;
        } else if failures.overload(cycles, || cycles > 3 && rng.random_range(0..=3) == 0) {
            info("Simulating CPU overload");
            thread::sleep(scaled_ms(2000));
        }

        info(format_args!("Normal request ({})", pyfmt::bytes(&request)));
        thread::sleep(scaled_ms(1000)); // The "work".
        server.send(request)?;
    }
    Ok(())
}
