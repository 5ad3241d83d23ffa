//! File transfer, model three (credit-based flow control), as tasks on the
//! event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/fileio3.py`: model
//! two's requests by offset and size (`fetch`, offset, size, as decimal
//! text, to the server task's ROUTER on tcp://*:6000), pipelined: the
//! client holds a credit of 10 chunks, asks for that many at once and for
//! one more whenever one arrives. A chunk shorter than 250000 bytes is the
//! last; the client then says `finish`, tells the monitor task over a PAIR
//! pipe, and every task's result is printed once all three are done. The
//! server prints each chunk it sends, also those asked for past the end.
//!
//! Fixed, three things. The original asks for the chunk at the byte count
//! received so far rather than at the offset it keeps (so its first ten
//! requests all ask for the first chunk); the port asks at the offset. The
//! original caps the server's ROUTER at 10 queued messages as a sanity
//! check, but a ROUTER drops what it cannot queue and learns late, in
//! batches, that queued chunks went out, so it can drop a chunk while the
//! credit says there is room and leave the client waiting forever; the
//! port keeps the cap and sets `ZMQ_ROUTER_MANDATORY`, with which the send
//! waits instead. With that option a chunk for a client that has already
//! gone is an error (`EHOSTUNREACH`): the port drops it, as the original's
//! ROUTER does.
//!
//! The original reads the file as text and encodes it back to UTF-8; the
//! port sends its bytes as they are, the same thing for ASCII data.
//! `ZGUIDE_TESTDATA` names another file to send, for tests.

#[path = "fileio.rs"]
mod fileio;

use std::io::SeekFrom;

use fileio::{Outcome, open_testdata, outcomes_repr, read_chunk, wait_all};
use zmq::asyncio::AsyncSocket;
use zmq::{ErrorKind, SocketType, sockopt};
use zmq_guide::endpoint;
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::pyfmt;
use zmq_guide::zhelpers::zpipe;

const CHUNK_SIZE: usize = 250_000;
/// How many chunks may be in flight at once.
const PIPELINE: i32 = 10;

async fn client_task(ctx: zmq::Context, mut pipe: AsyncSocket) -> zmq::Result<Outcome> {
    let mut dealer = AsyncSocket::with_type(&ctx, SocketType::Dealer)?;
    dealer.set(sockopt::SndHwm, PIPELINE)?;
    dealer.set(sockopt::RcvHwm, PIPELINE)?;
    dealer.connect(&endpoint("tcp://127.0.0.1:6000"))?;
    let mut credit = PIPELINE; // chunks that may still be asked for
    let mut total = 0; // bytes received
    let mut chunks = 0; // chunks received
    let mut offset = 0; // where the next chunk starts
    loop {
        while credit > 0 {
            // Ask for the next chunk.
            dealer
                .send_multipart([
                    "fetch".to_owned(),
                    offset.to_string(),
                    CHUNK_SIZE.to_string(),
                ])
                .await?;
            offset += CHUNK_SIZE;
            credit -= 1;
        }
        let chunk = match dealer.recv().await {
            Err(e) if e.kind() == ErrorKind::Terminated => return Ok(None), // shutting down
            other => other?,
        };
        chunks += 1;
        credit += 1;
        let size = chunk.len();
        total += size;
        if size < CHUNK_SIZE {
            break; // the last chunk
        }
    }
    dealer.send_multipart(["finish", "-1", "-1"]).await?;
    let message = format!("client received {chunks} chunks, {total} bytes");
    println!("{message}");
    println!("(client) finished");
    pipe.send("OK").await?;
    Ok(Some(("client", message)))
}

/// A decimal number from the wire, as Python's `int()` reads it.
fn number(frame: &[u8]) -> zmq::Result<u64> {
    std::str::from_utf8(frame)
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .ok_or_else(|| zmq::Error::from_errno(libc::EPROTO))
}

/// Model two's server, its ROUTER capped at the client's credit as a
/// sanity check.
async fn server_task(ctx: zmq::Context) -> zmq::Result<Outcome> {
    let mut file = open_testdata()?;
    let mut router = AsyncSocket::with_type(&ctx, SocketType::Router)?;
    router.set(sockopt::SndHwm, PIPELINE)?;
    router.set(sockopt::RcvHwm, PIPELINE)?;
    // At the cap, wait rather than drop.
    router.set(sockopt::RouterMandatory, true)?;
    router.bind(&endpoint("tcp://*:6000"))?;
    let mut count = 0;
    let mut total = 0;
    loop {
        // The sender's identity, then the command, offset and size.
        let msg = match router.recv_multipart().await {
            Err(e) if e.kind() == ErrorKind::Terminated => return Ok(None), // shutting down
            other => other?,
        };
        let [identity, command, offset_str, chunksz_str] =
            <[Vec<u8>; 4]>::try_from(msg).map_err(|_| zmq::Error::from_errno(libc::EPROTO))?;
        if command == b"finish" {
            break;
        }
        assert_eq!(command, b"fetch", "{}", pyfmt::bytes(&command));
        let offset = number(&offset_str)?;
        let chunksz = number(&chunksz_str)?;
        // That chunk of the file, back to the client it came from.
        let data = read_chunk(&mut file, SeekFrom::Start(offset), chunksz)?;
        let size = data.len();
        match router.send_multipart([identity, data]).await {
            // The client has gone: dropped, as a plain ROUTER drops it.
            Err(e) if e.kind() == ErrorKind::HostUnreachable => {}
            other => other?,
        }
        println!("(server) sent chunk: {count} size: {size}");
        count += 1;
        total += size;
    }
    let message = format!("server sent {count} chunks, {total} bytes");
    println!("(server) finished");
    Ok(Some(("server", message)))
}

/// Waits for the client to say it is done.
async fn monitor(mut pipe: AsyncSocket) -> zmq::Result<Outcome> {
    let mesg = pipe.recv_bytes().await?;
    let message = format!("monitor received: {}", pyfmt::bytes(&mesg));
    println!("{message}");
    println!("(monitor) finished");
    Ok(Some(("monitor", message)))
}

async fn run() -> zmq::Result<()> {
    let ctx = zmq::Context::new()?;
    let (a, b) = zpipe(&ctx)?;
    let (a, b) = (AsyncSocket::new(a)?, AsyncSocket::new(b)?);
    let tasks = vec![
        tokio::spawn(client_task(ctx.clone(), b)),
        tokio::spawn(server_task(ctx.clone())),
        tokio::spawn(monitor(a)),
    ];
    let results = wait_all(tasks).await?;
    println!("results: {}", outcomes_repr(&results));
    println!("(run) finished");
    Ok(())
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_fileio3");
        std::process::exit(1);
    }
    run_until_complete(run())
}
