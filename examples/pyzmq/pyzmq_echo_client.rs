//! pyzmq classic: the event-loop echo client
//!
//! pyzmq ships the echo server only; this client follows the widely taught
//! companion, on the same event loop: a DEALER connects to
//! tcp://127.0.0.1:5555, a periodic timer sends "ping 1", "ping 2", ... once
//! a second, and each echo is printed as Python shows it (`b'ping 1'`). It
//! stops after ten echoes; `ZGUIDE_REQUESTS` and `ZGUIDE_INTERVAL_MS` set
//! how many and how often.

use std::time::Duration;

use zmq::SocketType;
use zmq::reactor::Reactor;
use zmq_guide::{endpoint, pyfmt, setting};

/// What the handlers share: pings sent and echoes received.
#[derive(Debug, Default)]
struct Echoes {
    sent: u32,
    received: u32,
}

fn main() -> zmq::Result<()> {
    let requests: u32 = setting("ZGUIDE_REQUESTS", 10);
    let interval = Duration::from_millis(setting("ZGUIDE_INTERVAL_MS", 1000));

    let ctx = zmq::Context::new()?;
    let s = ctx.socket(SocketType::Dealer)?;
    s.connect(&endpoint("tcp://127.0.0.1:5555"))?;

    let mut reactor = Reactor::new(Echoes::default())?;
    let stream = reactor.on_recv(s, move |ctx, _stream, msg| {
        let frames: Vec<String> = msg.iter().map(|frame| pyfmt::bytes(frame)).collect();
        println!("{}", frames.join(" "));
        ctx.state().received += 1;
        if ctx.state().received == requests {
            ctx.stop();
        }
        Ok(())
    });
    reactor.add_interval(interval, move |ctx| {
        if ctx.state().sent == requests {
            // Every ping is out; the loop ends with the last echo.
            ctx.remove(ctx.current());
            return Ok(());
        }
        ctx.state().sent += 1;
        let ping = format!("ping {}", ctx.state().sent);
        match ctx.socket(stream) {
            Some(socket) => socket.send(ping),
            None => Ok(()),
        }
    });

    reactor.run()
}
