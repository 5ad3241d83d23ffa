//! File transfer, model three: credit-based flow control
//!
//! Port of the zguide's `examples/Python/fileio3.py` (whose title says
//! model two): model two's requests by offset and size (`fetch`, offset,
//! size, as decimal text, to the server thread's ROUTER on tcp://*:6000),
//! pipelined: the client holds a credit of 10 chunks, asks for that many
//! at once and for one more whenever one arrives, so at most 10 chunks of
//! 250000 bytes are ever in flight, however large the file `testdata`. A
//! chunk shorter than 250000 bytes is the last; the server stops at the
//! first empty one. The client prints how many chunks and bytes it
//! received, the main thread prints its `b'OK'`.
//!
//! Fixed: the original caps the server's ROUTER at 10 queued messages as a
//! sanity check, but a ROUTER drops what it cannot queue, and it learns
//! late that queued chunks went out (libzmq's pipe reports reads in
//! batches), so it drops chunks while the credit says there is room: the
//! client then ends short of the file, or waits forever for a lost chunk.
//! The port keeps the cap and sets `ZMQ_ROUTER_MANDATORY`, with which a
//! ROUTER at its cap waits instead of dropping. And the client's requests
//! for chunks past the end, which the server never reads, no longer hold
//! the context's termination forever (linger 0 once the file is in), as
//! they can in the original.
//!
//! For tests: `ZGUIDE_TESTDATA` names another file to send,
//! `ZGUIDE_FILEIO_COPY` a file the client writes what it receives to,
//! `ZGUIDE_CHUNK_DELAY_MS` has the client spend that long on each chunk, as
//! a slow network or consumer would, and `ZGUIDE_PEAK_RSS=true` prints the
//! process's peak resident memory to stderr at the end.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::thread;
use std::time::Duration;

use zmq::{ErrorKind, Socket, SocketType, interrupt, sockopt};
use zmq_guide::zhelpers::zpipe;
use zmq_guide::{endpoint, memory, pyfmt, setting};

const CHUNK_SIZE: u64 = 250_000;
/// How many chunks may be in flight at once.
const PIPELINE: i32 = 10;

/// The file the client copies what it receives to, if the test asked.
fn copy_file() -> std::io::Result<Option<File>> {
    let path: String = setting("ZGUIDE_FILEIO_COPY", String::new());
    (!path.is_empty()).then(|| File::create(path)).transpose()
}

/// Up to `size` bytes of `file` from where it stands: fewer only at its
/// end.
fn read_chunk(file: &mut File, size: u64) -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    file.take(size).read_to_end(&mut data)?;
    Ok(data)
}

/// The client: spends its credit on requests, earns one back per chunk,
/// until a short chunk.
fn client_thread(ctx: &zmq::Context, pipe: &Socket) -> Result<(), Box<dyn std::error::Error>> {
    let dealer = ctx.socket(SocketType::Dealer)?;
    dealer.set(sockopt::SndHwm, PIPELINE)?;
    dealer.set(sockopt::RcvHwm, PIPELINE)?;
    dealer.connect(&endpoint("tcp://127.0.0.1:6000"))?;
    let mut copy = copy_file()?;
    let delay = Duration::from_millis(setting("ZGUIDE_CHUNK_DELAY_MS", 0));

    let mut credit = PIPELINE; // chunks we may still ask for

    let mut total = 0; // bytes received
    let mut chunks = 0; // chunks received
    let mut offset = 0; // where the next request starts

    loop {
        while credit > 0 {
            // The next chunk, please.
            dealer.send_multipart(zmq::frames![
                "fetch",
                offset.to_string(),
                CHUNK_SIZE.to_string()
            ])?;
            offset += CHUNK_SIZE;
            credit -= 1;
        }

        let chunk = match dealer.recv() {
            Err(e) if e.kind() == ErrorKind::Terminated => return Ok(()), // shutting down
            other => other?,
        };
        chunks += 1;
        credit += 1;
        let size = chunk.len();
        total += size;
        if let Some(copy) = copy.as_mut() {
            copy.write_all(&chunk)?;
        }
        thread::sleep(delay);
        if (size as u64) < CHUNK_SIZE {
            break; // the last chunk
        }
    }

    // The requests past the end of the file are not worth waiting for.
    dealer.set(sockopt::Linger, Some(Duration::ZERO))?;
    println!("{chunks} chunks received, {total} bytes");
    pipe.send("OK")?;
    Ok(())
}

/// The server: reads the chunk each request names and sends it back.
fn server_thread(ctx: &zmq::Context) -> Result<(), Box<dyn std::error::Error>> {
    let mut file = File::open(setting("ZGUIDE_TESTDATA", "testdata".to_owned()))?;

    let router = ctx.socket(SocketType::Router)?;
    // Never more than the client's credit queued: a sanity check, which
    // must make the server wait rather than drop a chunk.
    router.set(sockopt::SndHwm, PIPELINE)?;
    router.set(sockopt::RcvHwm, PIPELINE)?;
    router.set(sockopt::RouterMandatory, true)?;
    router.bind(&endpoint("tcp://*:6000"))?;

    loop {
        // The sender's identity, then the command.
        let msg = match router.recv_multipart() {
            Err(e) if e.kind() == ErrorKind::Terminated => return Ok(()), // shutting down
            other => other?,
        };
        let [identity, command, offset, chunksz] = &msg[..] else {
            return Err(format!("expected 4 frames, got {}", msg.len()).into());
        };
        assert_eq!(command, b"fetch");

        let offset: u64 = std::str::from_utf8(offset)?.parse()?;
        let chunksz: u64 = std::str::from_utf8(chunksz)?.parse()?;

        // That chunk of the file...
        file.seek(SeekFrom::Start(offset))?;
        let data = read_chunk(&mut file, chunksz)?;

        // ...to the client that asked; one that has left needs no more.
        let last = data.is_empty();
        match router.send_multipart(zmq::frames![&identity[..], data]) {
            Err(e) if e.kind() == ErrorKind::HostUnreachable => return Ok(()),
            other => other?,
        }

        // Past the end of the file: done.
        if last {
            return Ok(());
        }
    }
}

/// Runs a thread's body, printing what ends it early.
fn report(name: &str, result: Result<(), Box<dyn std::error::Error>>) {
    if let Err(e) = result {
        eprintln!("{name}: {e}");
    }
}

fn main() -> zmq::Result<()> {
    // Ctrl-C makes the wait below fail instead of killing the process.
    interrupt::catch_signals()?;

    // The client and server threads, and a pipe from the client.
    let ctx = zmq::Context::new()?;
    let (a, b) = zpipe(&ctx)?;

    let client_ctx = ctx.clone();
    let client = thread::spawn(move || report("client", client_thread(&client_ctx, &b)));
    let server_ctx = ctx.clone();
    let server = thread::spawn(move || report("server", server_thread(&server_ctx)));

    // Until the client says it is done.
    match a.recv() {
        Ok(msg) => println!("{}", pyfmt::bytes(&msg)),
        Err(e) if e.kind() == ErrorKind::Interrupted => {}
        Err(e) => return Err(e),
    }
    drop(a);
    // The server waits for the next request: shutting the context down
    // ends it, as terminating it does in the original.
    ctx.shutdown()?;
    for thread in [client, server] {
        let _ = thread.join();
    }
    drop(ctx);

    if setting("ZGUIDE_PEAK_RSS", false)
        && let Some(kib) = memory::peak_rss_kib()
    {
        eprintln!("peak RSS: {kib} KiB");
    }
    Ok(())
}
