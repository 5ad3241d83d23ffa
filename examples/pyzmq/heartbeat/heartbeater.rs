//! pyzmq examples/heartbeat: tracking hearts
//!
//! Port of `heartbeat/heartbeater.py`, for use with `heart`. Once a period
//! (a second) the heartbeater publishes its lifetime on a PUB bound to
//! tcp://127.0.0.1:5555; every heart echoes it through its DEALER to the
//! ROUTER bound to tcp://127.0.0.1:5556, which names the heart by its
//! identity. Hearts that answered the last ping stay; new ones are
//! welcomed, silent ones declared failed. It runs on the crate's reactor,
//! as the original runs on tornado's IOLoop with two ZMQStreams.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use zmq::SocketType;
use zmq::reactor::Reactor;
use zmq_guide::{endpoint, pyfmt};

/// A basic heartbeater: pings go out on a PUB, pongs come back on a
/// ROUTER.
struct HeartBeater {
    hearts: BTreeSet<Vec<u8>>,
    responses: BTreeSet<Vec<u8>>,
    lifetime: f64,
    tic: Instant,
}

/// Python's `repr()` of a set of `bytes`.
fn bytes_set(set: &BTreeSet<Vec<u8>>) -> String {
    if set.is_empty() {
        return "set()".to_owned();
    }
    let items: Vec<String> = set.iter().map(|b| pyfmt::bytes(b)).collect();
    format!("{{{}}}", items.join(", "))
}

impl HeartBeater {
    /// The ping: the lifetime as Python's `str()` writes a float.
    fn message(&self) -> String {
        pyfmt::float(self.lifetime)
    }

    fn beat(&mut self) -> Vec<u8> {
        let toc = Instant::now();
        self.lifetime += (toc - self.tic).as_secs_f64();
        self.tic = toc;
        println!("{}", pyfmt::float(self.lifetime));
        let goodhearts: BTreeSet<_> = self.hearts.intersection(&self.responses).cloned().collect();
        let heartfailures: Vec<_> = self.hearts.difference(&goodhearts).cloned().collect();
        let newhearts: Vec<_> = self.responses.difference(&goodhearts).cloned().collect();
        for heart in newhearts {
            self.handle_new_heart(heart);
        }
        for heart in heartfailures {
            self.handle_heart_failure(&heart);
        }
        self.responses.clear();
        println!(
            "{} beating hearts: {}",
            self.hearts.len(),
            bytes_set(&self.hearts)
        );
        self.message().into_bytes()
    }

    fn handle_new_heart(&mut self, heart: Vec<u8>) {
        println!("yay, got new heart {}!", pyfmt::bytes(&heart));
        self.hearts.insert(heart);
    }

    fn handle_heart_failure(&mut self, heart: &[u8]) {
        println!("Heart {} failed :(", pyfmt::bytes(heart));
        self.hearts.remove(heart);
    }

    /// If a heart is beating: its pong carries the current lifetime.
    fn handle_pong(&mut self, msg: Vec<Vec<u8>>) {
        let [heart, pong] = <[Vec<u8>; 2]>::try_from(msg).unwrap_or_default();
        if pong == self.message().as_bytes() {
            self.responses.insert(heart);
        } else {
            println!("got bad heartbeat (possibly old?): {}", pyfmt::bytes(&pong));
        }
    }
}

fn main() -> zmq::Result<()> {
    let period = Duration::from_millis(1000);
    let context = zmq::Context::new()?;
    let publisher = context.socket(SocketType::Pub)?;
    publisher.bind(&endpoint("tcp://127.0.0.1:5555"))?;
    let router = context.socket(SocketType::Router)?;
    router.bind(&endpoint("tcp://127.0.0.1:5556"))?;

    let mut ioloop = Reactor::new(HeartBeater {
        hearts: BTreeSet::new(),
        responses: BTreeSet::new(),
        lifetime: 0.0,
        tic: Instant::now(),
    })?;
    // The ping stream: the interval's handler owns the PUB socket.
    ioloop.add_interval(period, move |ctx| {
        let ping = ctx.state().beat();
        publisher.send(ping)
    });
    // The pong stream.
    ioloop.on_recv(router, |ctx, _, msg| {
        ctx.state().handle_pong(msg);
        Ok(())
    });

    ioloop.run()
}
