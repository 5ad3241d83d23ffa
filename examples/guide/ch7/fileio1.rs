//! File transfer, model one: no flow control
//!
//! Port of the zguide's `examples/Python/fileio1.py`: a client thread asks
//! a server thread (ROUTER on tcp://*:6000) for the file `testdata` with
//! one `fetch`; the server sends all of it at once, in chunks of 250000
//! bytes and an empty chunk at the end, with no high-water mark, so
//! whatever the client has not taken yet piles up in memory. The client
//! prints how many chunks and bytes it received, the main thread prints
//! its `b'OK'`.
//!
//! For tests: `ZGUIDE_TESTDATA` names another file to send,
//! `ZGUIDE_FILEIO_COPY` a file the client writes what it receives to,
//! `ZGUIDE_CHUNK_DELAY_MS` has the client spend that long on each chunk, as
//! a slow network or consumer would, and `ZGUIDE_PEAK_RSS=true` prints the
//! process's peak resident memory to stderr at the end.

use std::fs::File;
use std::io::{Read, Write};
use std::thread;
use std::time::Duration;

use zmq::{ErrorKind, Socket, SocketType, interrupt, sockopt};
use zmq_guide::zhelpers::zpipe;
use zmq_guide::{endpoint, memory, pyfmt, setting};

const CHUNK_SIZE: u64 = 250_000;

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

/// The client: one request, then chunks until the empty one.
fn client_thread(ctx: &zmq::Context, pipe: &Socket) -> Result<(), Box<dyn std::error::Error>> {
    let dealer = ctx.socket(SocketType::Dealer)?;
    dealer.connect(&endpoint("tcp://127.0.0.1:6000"))?;
    dealer.send("fetch")?;
    let mut copy = copy_file()?;
    let delay = Duration::from_millis(setting("ZGUIDE_CHUNK_DELAY_MS", 0));

    let mut total = 0; // bytes received
    let mut chunks = 0; // chunks received

    loop {
        let chunk = match dealer.recv() {
            Err(e) if e.kind() == ErrorKind::Terminated => return Ok(()), // shutting down
            other => other?,
        };
        chunks += 1;
        let size = chunk.len();
        total += size;
        if let Some(copy) = copy.as_mut() {
            copy.write_all(&chunk)?;
        }
        thread::sleep(delay);
        if size == 0 {
            break; // the whole file is here
        }
    }

    println!("{chunks} chunks received, {total} bytes");
    pipe.send("OK")?;
    Ok(())
}

/// The server: for each request, the whole file, chunk after chunk, as
/// fast as it can read it.
fn server_thread(ctx: &zmq::Context) -> Result<(), Box<dyn std::error::Error>> {
    let mut file = File::open(setting("ZGUIDE_TESTDATA", "testdata".to_owned()))?;

    let router = ctx.socket(SocketType::Router)?;
    // The default high-water mark (1000) would drop chunks of a large
    // file; no limit at all is the simple, stupid fix.
    router.set(sockopt::SndHwm, 0)?;
    router.set(sockopt::RcvHwm, 0)?;
    router.bind(&endpoint("tcp://*:6000"))?;

    loop {
        // The sender's identity, then the command.
        let msg = match router.recv_multipart() {
            Err(e) if e.kind() == ErrorKind::Terminated => return Ok(()), // shutting down
            other => other?,
        };
        let [identity, command] = &msg[..] else {
            return Err(format!("expected 2 frames, got {}", msg.len()).into());
        };
        assert_eq!(command, b"fetch");

        loop {
            let data = read_chunk(&mut file, CHUNK_SIZE)?;
            let last = data.is_empty();
            router.send_multipart(zmq::frames![&identity[..], data])?;
            if last {
                break;
            }
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
