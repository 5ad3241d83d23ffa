//! File transfer, model one (no flow control), as tasks on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/fileio1.py`: a
//! client task sends one `fetch` over a DEALER to a server task's ROUTER on
//! tcp://*:6000; the server answers with the whole file `testdata` at
//! once, 250000 bytes a chunk and an empty chunk to end, its high-water
//! mark lifted so nothing is dropped. The client counts what it gets and
//! tells a monitor task over a PAIR pipe; every task's result is printed
//! once all three are done.
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
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::zhelpers::zpipe;
use zmq_guide::{endpoint, pyfmt};

const CHUNK_SIZE: u64 = 250_000;

async fn client_task(ctx: zmq::Context, mut pipe: AsyncSocket) -> zmq::Result<Outcome> {
    println!("(client) starting");
    let mut dealer = AsyncSocket::with_type(&ctx, SocketType::Dealer)?;
    dealer.connect(&endpoint("tcp://127.0.0.1:6000"))?;
    dealer.send("fetch").await?;
    println!("(client) sent fetch request");
    let mut total = 0; // bytes received
    let mut chunks = 0; // chunks received
    loop {
        let chunk = match dealer.recv().await {
            Err(e) if e.kind() == ErrorKind::Terminated => return Ok(None), // shutting down
            other => other?,
        };
        chunks += 1;
        let size = chunk.len();
        total += size;
        println!("(client) received chunk: {size}");
        if size == 0 {
            break; // the whole file is here
        }
    }
    let message = format!("{chunks} chunks received, {total} bytes");
    println!("{message}");
    pipe.send("OK").await?;
    println!("(client_task) finished");
    Ok(Some(("client", message)))
}

/// The server reads the file chunk by chunk and sends each chunk as its
/// own message; it serves one request.
async fn server_task(ctx: zmq::Context) -> zmq::Result<Outcome> {
    println!("(server) starting");
    let mut infile = open_testdata()?;
    println!("(server) setup 1");
    let mut router = AsyncSocket::with_type(&ctx, SocketType::Router)?;
    // More than a thousand chunks would hit the default high-water mark
    // and be dropped; no limit at all is the simple, stupid fix.
    println!("(server) setup 2");
    router.set(sockopt::SndHwm, 0)?;
    router.set(sockopt::RcvHwm, 0)?;
    router.bind(&endpoint("tcp://*:6000"))?;
    println!("(server) after setup");
    let mut count = 0;
    let mut total = 0;
    // The sender's identity, then the command.
    println!("(server) waiting for request");
    let msg = match router.recv_multipart().await {
        Err(e) if e.kind() == ErrorKind::Terminated => return Ok(None), // shutting down
        other => other?,
    };
    let [identity, command] =
        <[Vec<u8>; 2]>::try_from(msg).map_err(|_| zmq::Error::from_errno(libc::EPROTO))?;
    println!(
        "(server) received request.  command: {}",
        pyfmt::bytes(&command)
    );
    assert_eq!(command, b"fetch");
    loop {
        let data = read_chunk(&mut infile, SeekFrom::Current(0), CHUNK_SIZE)?;
        let size = data.len();
        router.send_multipart([identity.clone(), data]).await?;
        println!("(server) sent chunk.  length: {size}");
        if size == 0 {
            break;
        }
        count += 1;
        total += size;
    }
    let message = format!("server sent {count} chunks, {total} bytes");
    println!("{message}");
    println!("(server_task) finished");
    Ok(Some(("server", message)))
}

/// Waits for the client to say it is done.
async fn monitor(mut pipe: AsyncSocket) -> zmq::Result<Outcome> {
    println!("(monitor) starting");
    let mesg = pipe.recv_bytes().await?;
    let message = format!("monitor received: {}", pyfmt::bytes(&mesg));
    println!("{message}");
    println!("(monitor) finished");
    Ok(Some(("monitor", message)))
}

/// Starts the client, the server and the monitor as tasks of one process,
/// which is easier to test than three processes.
async fn run() -> zmq::Result<()> {
    println!("(run) starting");
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
        eprintln!("usage: asyncio_fileio1");
        std::process::exit(1);
    }
    run_until_complete(run())?;
    println!("(main) exiting");
    Ok(())
}
