//! titanic: the Titanic service, disconnected reliability
//!
//! Port of the zguide's `examples/Python/titanic.py`, the server side of
//! the Titanic Service Protocol (RFC 9) on top of Majordomo. Three worker
//! threads serve `titanic.request` (store a request on disk, answer its
//! UUID), `titanic.reply` (answer the stored reply: 200, or 300 while
//! pending, 400 if unknown) and `titanic.close` (forget a request). The
//! main thread keeps a queue file of the requests still to do and, once a
//! second or whenever a new one comes in, sends each pending request to
//! its service through the broker (if MMI says the service exists) and
//! stores the reply. Because everything is on disk, a titanic that is
//! killed and started again carries on where it stopped. `-v` traces the
//! protocol. Runs until killed.
//!
//! The files live in `.titanic` under the working directory, or in the
//! directory `ZGUIDE_TITANIC_DIR` names. The original pickles its
//! messages; the port writes each frame as a four-byte big-endian length
//! and the bytes, so its files are its own (the protocol on the wire is
//! the same). Its timeouts follow `ZGUIDE_TIME_SCALE`.

use std::fs::{self, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::thread;

use rand::Rng;
use zmq::{PollEvents, Socket};
use zmq_guide::mdcliapi::MajorDomoClient;
use zmq_guide::mdp;
use zmq_guide::mdwrkapi::MajorDomoWorker;
use zmq_guide::settings::scaled_ms;
use zmq_guide::zhelpers::zpipe;
use zmq_guide::{endpoint, setting};

/// The directory of the request, reply and queue files.
fn titanic_dir() -> PathBuf {
    PathBuf::from(setting("ZGUIDE_TITANIC_DIR", ".titanic".to_owned()))
}

/// The file holding the request with UUID `suuid`.
fn request_filename(suuid: &str) -> PathBuf {
    titanic_dir().join(format!("{suuid}.req"))
}

/// The file holding the reply to the request with UUID `suuid`.
fn reply_filename(suuid: &str) -> PathBuf {
    titanic_dir().join(format!("{suuid}.rep"))
}

/// A random (version 4) UUID as 32 lowercase hex digits, as Python's
/// `uuid4().hex`.
fn uuid4_hex() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Writes `frames` to `path`: per frame, its length (four bytes, big
/// endian), then its bytes.
fn save_frames(path: &Path, frames: &[Vec<u8>]) -> io::Result<()> {
    let mut out = Vec::new();
    for frame in frames {
        let len = u32::try_from(frame.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "frame over 4 GiB"))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(frame);
    }
    fs::write(path, out)
}

/// Reads back what [`save_frames`] wrote.
fn load_frames(path: &Path) -> io::Result<Vec<Vec<u8>>> {
    let data = fs::read(path)?;
    let mut frames = Vec::new();
    let mut rest = &data[..];
    while !rest.is_empty() {
        let truncated = || io::Error::new(io::ErrorKind::InvalidData, "truncated message file");
        let (len, tail) = rest.split_first_chunk::<4>().ok_or_else(truncated)?;
        let len = u32::from_be_bytes(*len) as usize;
        let frame = tail.get(..len).ok_or_else(truncated)?;
        frames.push(frame.to_vec());
        rest = &tail[len..];
    }
    Ok(frames)
}

// ---------------------------------------------------------------------
// The titanic.request service

fn titanic_request(pipe: Socket) -> mdp::Result<()> {
    let mut worker =
        MajorDomoWorker::new(&endpoint("tcp://localhost:5555"), b"titanic.request", false)?;

    let mut reply = None;

    // Send the last reply, if any, and take the next request.
    while let Some(request) = worker.recv(reply.take())? {
        // The directory may not be there yet.
        fs::create_dir_all(titanic_dir()).map_err(io_error)?;

        // A UUID for the request, which goes to disk.
        let suuid = uuid4_hex();
        save_frames(&request_filename(&suuid), &request).map_err(io_error)?;

        // The main thread queues it.
        pipe.send(&suuid)?;

        // The client gets the UUID: sent by recv at the top of the loop.
        reply = Some(vec![b"200".to_vec(), suuid.into_bytes()]);
    }
    Ok(())
}

// ---------------------------------------------------------------------
// The titanic.reply service

fn titanic_reply() -> mdp::Result<()> {
    let mut worker =
        MajorDomoWorker::new(&endpoint("tcp://localhost:5555"), b"titanic.reply", false)?;
    let mut reply = None;

    while let Some(request) = worker.recv(reply.take())? {
        let suuid = first_as_text(&request);
        let req_filename = request_filename(&suuid);
        let rep_filename = reply_filename(&suuid);
        reply = Some(if rep_filename.exists() {
            let stored = load_frames(&rep_filename).map_err(io_error)?;
            [b"200".to_vec()].into_iter().chain(stored).collect()
        } else if req_filename.exists() {
            vec![b"300".to_vec()] // pending
        } else {
            vec![b"400".to_vec()] // unknown
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------
// The titanic.close service

fn titanic_close() -> mdp::Result<()> {
    let mut worker =
        MajorDomoWorker::new(&endpoint("tcp://localhost:5555"), b"titanic.close", false)?;
    let mut reply = None;

    while let Some(request) = worker.recv(reply.take())? {
        let suuid = first_as_text(&request);
        // Files already gone are fine: closing twice is not an error.
        let _ = fs::remove_file(request_filename(&suuid));
        let _ = fs::remove_file(reply_filename(&suuid));
        reply = Some(vec![b"200".to_vec()]);
    }
    Ok(())
}

/// A request's first frame, the UUID, as text (empty if there is none).
fn first_as_text(request: &[Vec<u8>]) -> String {
    request
        .first()
        .map(|frame| String::from_utf8_lossy(frame).into_owned())
        .unwrap_or_default()
}

/// Tries to get the request with UUID `suuid` served; true if it was (or
/// the client closed it already).
fn service_success(client: &mut MajorDomoClient, suuid: &str) -> mdp::Result<bool> {
    // The stored request: the service, then the body.
    let filename = request_filename(suuid);

    // Closed by the client already: nothing left to do.
    if !filename.exists() {
        return Ok(true);
    }

    let mut request = load_frames(&filename).map_err(io_error)?;
    if request.is_empty() {
        return Ok(false);
    }
    let service = request.remove(0);
    // MMI says whether the service exists.
    let mmi_reply = client.send(b"mmi.service", &[&service])?;
    let service_ok =
        mmi_reply.is_some_and(|reply| reply.first().is_some_and(|code| code == b"200"));

    if service_ok
        && let Some(reply) = client.send(&service, &request)?
        && !reply.is_empty()
    {
        save_frames(&reply_filename(suuid), &reply).map_err(io_error)?;
        return Ok(true);
    }

    Ok(false)
}

/// A file error, as the API's error type.
fn io_error(e: io::Error) -> mdp::Error {
    mdp::Error::Protocol(format!("titanic storage: {e}"))
}

/// Runs a service thread, printing why it ended if it failed, as the
/// original's daemon threads print their traceback.
fn spawn_service(name: &'static str, service: impl FnOnce() -> mdp::Result<()> + Send + 'static) {
    thread::spawn(move || {
        if let Err(e) = service() {
            eprintln!("{name}: {e}");
        }
    });
}

fn main() -> mdp::Result<()> {
    let verbose = std::env::args().any(|arg| arg == "-v");
    let ctx = zmq::Context::new()?;

    // An MDP client with a short timeout and a single attempt.
    let mut client = MajorDomoClient::new(&endpoint("tcp://localhost:5555"), verbose)?;
    client.set_timeout(scaled_ms(1000));
    client.set_retries(1);

    let (request_pipe, peer) = zpipe(&ctx)?;
    spawn_service("titanic.request", move || titanic_request(peer));
    spawn_service("titanic.reply", titanic_reply);
    spawn_service("titanic.close", titanic_close);

    let queue_filename = titanic_dir().join("queue");

    // The dispatcher.
    loop {
        // The directory and an empty queue, if there are none yet. Fix:
        // the original only makes the queue with the directory, and fails
        // if the request thread made the directory first.
        fs::create_dir_all(titanic_dir()).map_err(io_error)?;
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&queue_filename)
            .map_err(io_error)?;

        // Once a second when idle.
        let ready = request_pipe.poll(PollEvents::POLLIN, Some(scaled_ms(1000)))?;

        if ready.contains(PollEvents::POLLIN) {
            // A new request: its UUID goes on the queue, '-' for pending.
            let suuid = request_pipe.recv_string()?;
            let mut queue = OpenOptions::new()
                .append(true)
                .open(&queue_filename)
                .map_err(io_error)?;
            queue
                .write_all(format!("-{suuid}\n").as_bytes())
                .map_err(io_error)?;
        }

        // Brute force: try every pending request.
        let mut queue = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&queue_filename)
            .map_err(io_error)?;
        let mut entries = Vec::new();
        queue.read_to_end(&mut entries).map_err(io_error)?;
        let mut offset = 0u64;
        for entry in entries.split_inclusive(|&byte| byte == b'\n') {
            let here = offset;
            offset += entry.len() as u64;
            // A '-' marks a request still waiting.
            if let Some(rest) = entry.strip_prefix(b"-") {
                let suuid = String::from_utf8_lossy(rest).trim_end().to_owned();
                println!("I: processing request {suuid}");
                if service_success(&mut client, &suuid)? {
                    // Done: mark the entry '+'.
                    queue.seek(SeekFrom::Start(here)).map_err(io_error)?;
                    queue.write_all(b"+").map_err(io_error)?;
                }
            }
        }
    }
}
