//! The zero-copy path: sending `Vec<u8>`-owned messages by handing the
//! vector to libzmq (`send(vec)`, `Message::from(Vec)`) versus copying them
//! (`send(&vec[..])`, `zmq_send`), over `inproc://` in this process.
//!
//! Both sides build a fresh vector per message, as an application that
//! produces its data would; they differ only in what sending does with it.
//! The receiver checks sizes only, like inproc_thr, and the clock covers
//! its receive loop, as in inproc_thr.

use std::error::Error;
use std::thread;
use std::time::{Duration, Instant};

use zmq::{Context, Message, SocketType, sockopt};

/// Messages in flight per direction: bounds memory at 1 MiB per message.
const HWM: i32 = 100;

/// How a sender hands its vector to libzmq.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handover {
    /// `socket.send(&vec[..])`: libzmq copies the bytes into a new message.
    Copy,
    /// `socket.send(vec)`: libzmq takes the vector over and frees it when
    /// the receiver is done with it.
    Owned,
}

impl Handover {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Handover::Copy => "copy",
            Handover::Owned => "zero-copy",
        }
    }
}

/// Sends `count` messages of `size` bytes from a worker thread and returns
/// the receiver's messages per second.
pub(crate) fn run(handover: Handover, size: usize, count: u64) -> Result<f64, Box<dyn Error>> {
    let ctx = Context::new()?;
    let pull = ctx.socket(SocketType::Pull)?;
    pull.set(sockopt::RcvHwm, HWM)?;
    pull.bind("inproc://zero-copy")?;
    let push = ctx.socket(SocketType::Push)?;
    push.set(sockopt::SndHwm, HWM)?;
    push.connect("inproc://zero-copy")?;

    let sender = thread::spawn(move || -> zmq::Result<()> {
        for _ in 0..count {
            let data = vec![0x5a_u8; size];
            match handover {
                Handover::Copy => push.send(&data[..])?,
                Handover::Owned => push.send(data)?,
            }
        }
        Ok(())
    });

    let mut msg = Message::new();
    pull.recv_msg(&mut msg)?;
    let start = Instant::now();
    for _ in 1..count {
        pull.recv_msg(&mut msg)?;
        if msg.len() != size {
            return Err(format!("received {} bytes, sent {size}", msg.len()).into());
        }
    }
    let elapsed = start.elapsed().max(Duration::from_micros(1));
    sender.join().map_err(|_| "the sender thread panicked")??;
    Ok(count as f64 / elapsed.as_secs_f64())
}
