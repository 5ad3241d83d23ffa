//! File transfer, model two (one chunk per request), as tasks on the event
//! loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/fileio2.py`: the
//! client task asks the server task's ROUTER on tcp://*:6000 for each chunk
//! of the file `testdata` in turn (`fetch`, offset, size, as decimal text),
//! so nothing piles up in the server's queue, at the cost of a round trip
//! per chunk. A chunk shorter than 250000 bytes is the last; the client
//! then says `finish`, tells the monitor task over a PAIR pipe, and every
//! task's result is printed once all three are done.
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

async fn client_task(ctx: zmq::Context, mut pipe: AsyncSocket) -> zmq::Result<Outcome> {
    let mut dealer = AsyncSocket::with_type(&ctx, SocketType::Dealer)?;
    dealer.set(sockopt::SndHwm, 1)?;
    dealer.set(sockopt::RcvHwm, 1)?;
    dealer.connect(&endpoint("tcp://127.0.0.1:6000"))?;
    let mut total = 0; // bytes received
    let mut chunks = 0; // chunks received
    loop {
        // Ask for the next chunk.
        dealer
            .send_multipart([
                "fetch".to_owned(),
                total.to_string(),
                CHUNK_SIZE.to_string(),
            ])
            .await?;
        let chunk = match dealer.recv().await {
            Err(e) if e.kind() == ErrorKind::Terminated => return Ok(None), // shutting down
            other => other?,
        };
        chunks += 1;
        let size = chunk.len();
        total += size;
        if size < CHUNK_SIZE {
            break; // the last chunk
        }
    }
    dealer.send_multipart(["finish", "-1", "-1"]).await?;
    let message = format!("client received {chunks} chunks, {total} bytes");
    println!("{message}");
    pipe.send("OK").await?;
    println!("(client) finished");
    Ok(Some(("client", message)))
}

/// A decimal number from the wire, as Python's `int()` reads it.
fn number(frame: &[u8]) -> zmq::Result<u64> {
    std::str::from_utf8(frame)
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .ok_or_else(|| zmq::Error::from_errno(libc::EPROTO))
}

/// The server waits for a request, reads that chunk and sends it back.
async fn server_task(ctx: zmq::Context) -> zmq::Result<Outcome> {
    let mut file = open_testdata()?;
    let mut router = AsyncSocket::with_type(&ctx, SocketType::Router)?;
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
        // That chunk of the file.
        let data = read_chunk(&mut file, SeekFrom::Start(offset), chunksz)?;
        total += data.len();
        // Back to the client it came from.
        router.send_multipart([identity, data]).await?;
        count += 1;
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

/// The client, the server and the monitor, as tasks of one process: as in
/// model one.
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
        eprintln!("usage: asyncio_fileio2");
        std::process::exit(1);
    }
    run_until_complete(run())
}
