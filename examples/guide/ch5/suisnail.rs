//! Suicidal snail
//!
//! Port of the zguide's `examples/Python/suisnail.py`: a publisher thread
//! sends the current time every millisecond on tcp://*:5556; a subscriber
//! thread takes 1 to 3 ms over each message, so it falls behind, and when a
//! message is more than a second old it says so on stderr ("E: subscriber
//! cannot keep up, aborting") and quits, which stops the publisher and the
//! program.
//!
//! The time goes out pickled, as the original's `pickle.dumps(time.time())`
//! writes it (protocol 4: a framed BINFLOAT), so the two can be mixed.

use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rand::Rng;
use zmq::{ErrorKind, RecvFlags, Socket, SocketType};
use zmq_guide::endpoint;
use zmq_guide::zhelpers::zpipe;

/// The most a message may lag behind before the subscriber gives up.
const MAX_ALLOWED_DELAY: f64 = 1.0; // seconds

/// Seconds since the epoch, as Python's `time.time()`.
fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |since| since.as_secs_f64())
}

/// `pickle.dumps(value)` for a float, as Python 3.8 and later write it.
fn dumps(value: f64) -> Vec<u8> {
    let mut pickle = vec![0x80, 4, 0x95]; // PROTO 4, FRAME
    pickle.extend_from_slice(&10u64.to_le_bytes()); // the frame's length
    pickle.push(b'G'); // BINFLOAT
    pickle.extend_from_slice(&value.to_be_bytes());
    pickle.push(b'.'); // STOP
    pickle
}

/// `pickle.loads(data)` for a pickled float: the BINFLOAT before STOP.
fn loads(data: &[u8]) -> Option<f64> {
    let body = data.strip_suffix(b".")?;
    let binfloat = body.get(body.len().checked_sub(9)?..)?;
    let (opcode, value) = binfloat.split_first()?;
    if *opcode != b'G' {
        return None;
    }
    Some(f64::from_be_bytes(value.try_into().ok()?))
}

/// Takes everything, slowly; gives up once a message is too old.
fn subscriber(pipe: &Socket) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let ctx = pipe.context();
    let sub = ctx.socket(SocketType::Sub)?;
    sub.subscribe(b"")?;
    sub.connect(&endpoint("tcp://localhost:5556"))?;

    let mut rng = rand::rng();
    loop {
        let clock = loads(&sub.recv()?).ok_or("not a pickled float")?;
        // Too late: the snail ends itself.
        if now() - clock > MAX_ALLOWED_DELAY {
            eprintln!("E: subscriber cannot keep up, aborting");
            break;
        }
        // 1 ms of work, plus up to 2 more.
        thread::sleep(Duration::from_secs_f64(
            1e-3 * (1.0 + 2.0 * rng.random::<f64>()),
        ));
    }
    pipe.send("gone and died")?;
    Ok(())
}

/// Publishes the time every millisecond until told to stop.
fn publisher(pipe: &Socket) -> zmq::Result<()> {
    let ctx = pipe.context();
    let publisher = ctx.socket(SocketType::Pub)?;
    publisher.bind(&endpoint("tcp://*:5556"))?;

    loop {
        publisher.send(dumps(now()))?;
        match pipe.recv_with(RecvFlags::DONTWAIT) {
            Ok(_) => break, // told to stop
            Err(e) if e.kind() == ErrorKind::Again => {}
            Err(e) => return Err(e),
        }
        thread::sleep(Duration::from_millis(1));
    }
    Ok(())
}

fn main() -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;
    let (pub_pipe, pub_peer) = zpipe(&ctx)?;
    let (sub_pipe, sub_peer) = zpipe(&ctx)?;

    // Both run in the background; like the original's daemon threads they
    // end with the process.
    thread::spawn(move || {
        if let Err(e) = publisher(&pub_peer) {
            eprintln!("publisher: {e}");
        }
    });
    thread::spawn(move || {
        if let Err(e) = subscriber(&sub_peer) {
            eprintln!("subscriber: {e}");
        }
    });

    // Until the subscriber dies...
    sub_pipe.recv()?;
    // ...then the publisher stops.
    pub_pipe.send("break")?;
    thread::sleep(Duration::from_millis(100));
    Ok(())
}
