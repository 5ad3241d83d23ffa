//! flclient2: Freelance client, model 2
//!
//! Port of the zguide's `examples/Python/flclient2.py` (Python 2): a DEALER
//! connected to every endpoint given on the command line (`flserver2`s)
//! sends each request to all of them at once and takes the first reply
//! that carries the request's sequence number, so a dead server costs
//! nothing. It times 10,000 requests (`ZGUIDE_REQUESTS` changes that) and
//! prints the average round trip.
//!
//! Its timeout follows `ZGUIDE_TIME_SCALE` (see `zmq_guide::settings`).

use std::time::{Duration, Instant};

use zmq::{Context, PollEvents, Socket, SocketType, sockopt};
use zmq_guide::settings::scaled_ms;
use zmq_guide::{endpoint, setting};

const GLOBAL_TIMEOUT: u64 = 2500; // ms

/// A freelance client: one DEALER to all servers.
struct FlClient {
    servers: usize,
    sequence: u64,
    socket: Socket,
    /// Kept for the socket's lifetime.
    _context: Context,
}

impl FlClient {
    fn new() -> zmq::Result<Self> {
        let context = Context::new()?;
        let socket = context.socket(SocketType::Dealer)?;
        Ok(FlClient {
            servers: 0,
            sequence: 0,
            socket,
            _context: context,
        })
    }

    fn destroy(self) -> zmq::Result<()> {
        self.socket.set(sockopt::Linger, Some(Duration::ZERO))?; // Terminate early
        Ok(())
    }

    fn connect(&mut self, endpoint: &str) -> zmq::Result<()> {
        self.socket.connect(endpoint)?;
        self.servers += 1;
        println!("I: Connected to {endpoint}");
        Ok(())
    }

    /// Sends `request` to every server; the first matching reply, or
    /// `None` if none came within the timeout.
    fn request(&mut self, request: &[&[u8]]) -> zmq::Result<Option<Vec<Vec<u8>>>> {
        // An empty envelope, the sequence number, then the request.
        self.sequence += 1;
        let sequence = self.sequence.to_string();
        let mut msg: Vec<&[u8]> = vec![b"", sequence.as_bytes()];
        msg.extend_from_slice(request);

        // One copy per server: the DEALER deals them out one each.
        for _ in 0..self.servers {
            self.socket.send_multipart(msg.iter().copied())?;
        }

        // Wait for the reply to this request, from whoever sends it;
        // every poll waits only for the time left.
        let endtime = Instant::now() + scaled_ms(GLOBAL_TIMEOUT);
        while Instant::now() < endtime {
            let ready = self
                .socket
                .poll(PollEvents::POLLIN, Some(endtime - Instant::now()))?;
            if ready.contains(PollEvents::POLLIN) {
                let reply = self.socket.recv_multipart()?;
                assert_eq!(reply.len(), 3, "expected [empty, sequence, reply]");
                let sequence: Option<u64> = std::str::from_utf8(&reply[1])
                    .ok()
                    .and_then(|text| text.parse().ok());
                if sequence == Some(self.sequence) {
                    return Ok(Some(reply));
                }
            }
        }
        // Fix: the original hands back the last stale reply it read, if
        // any, rather than nothing; the C original reports the failure.
        Ok(None)
    }
}

fn main() -> zmq::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 1 {
        println!("I: Usage: {} <endpoint> ...", args[0]);
        return Ok(());
    }

    // The freelance client.
    let mut client = FlClient::new()?;

    for arg in &args[1..] {
        client.connect(&endpoint(arg))?;
    }

    let requests: u32 = setting("ZGUIDE_REQUESTS", 10_000);
    let start = Instant::now();
    for _ in 0..requests {
        let request: &[u8] = b"random name";
        let reply = client.request(&[request])?;
        if reply.is_none() {
            println!("E: Name service not available, aborting");
            break;
        }
    }
    // Fix: the original divides the elapsed seconds by 100; the average
    // in microseconds over its 10,000 requests is the seconds times 100.
    println!(
        "Average round trip cost: {} usec",
        (start.elapsed().as_secs_f64() * 1e6 / f64::from(requests.max(1))) as u64
    );
    client.destroy()
}
