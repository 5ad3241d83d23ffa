//! Load-balancing broker with its clients and workers in-process, as tasks
//! on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/lbbroker2.py`: ten
//! REQ client tasks ("Client-0".."Client-9") send three requests each to
//! the broker's ROUTER on inproc://clients; three REQ worker tasks
//! ("Worker-0".."Worker-2") announce themselves with "READY" on the
//! broker's ROUTER on inproc://workers and answer each request with
//! "<request>-OK". The broker hands each request to the worker that became
//! free last (the original pops the end of its list) and stops after the
//! thirtieth reply: it cancels the workers, waits a second and returns.
//!
//! Fixed: the original registers the frontend with its poller always,
//! though its comment says it polls it only when a worker is free; with
//! every worker busy and a request waiting, each poll then returns at once
//! and the loop spins. The port polls the frontend only while a worker is
//! free. The last second's wait follows `ZGUIDE_TIME_SCALE`.

use zmq::asyncio::AsyncSocket;
use zmq::{PollEvents, SocketType, sockopt};
use zmq_guide::event_loop::{poll, run_until_complete};
use zmq_guide::settings::scaled_ms;

const NBR_CLIENTS: usize = 10;
const NBR_WORKERS: usize = 3;
const NBR_REQUESTS: usize = 3;

/// The original's switch for its `printdbg` lines (off there too).
const DEBUG: bool = false;

macro_rules! printdbg {
    ($($arg:tt)*) => {
        if DEBUG {
            println!($($arg)*);
        }
    };
}

/// A frame count other than the expected one: a protocol error.
fn frames<const N: usize>(message: Vec<Vec<u8>>) -> zmq::Result<[Vec<u8>; N]> {
    <[Vec<u8>; N]>::try_from(message).map_err(|_| zmq::Error::from_errno(libc::EPROTO))
}

/// A worker: a REQ socket, so the broker's ROUTER can route to it by its
/// identity.
async fn run_worker(
    worker_url: &'static str,
    context: zmq::Context,
    idx: usize,
) -> zmq::Result<()> {
    printdbg!("run_worker {idx} starting");
    let mut socket = AsyncSocket::with_type(&context, SocketType::Req)?;
    let identity = format!("Worker-{idx}");
    socket.set(sockopt::RoutingId, identity.as_bytes())?;
    socket.connect(worker_url)?;
    // Tell the broker this worker is ready for work.
    socket.send("READY").await?;
    // The broker cancels this task when it is done.
    loop {
        let [address, _empty, request] = frames(socket.recv_multipart().await?)?;
        let msg = String::from_utf8_lossy(&request);
        println!("{identity} received request \"{msg}\"");
        let msg = format!("{msg}-OK").into_bytes();
        socket
            .send_multipart([address, Vec::new(), msg.clone()])
            .await?;
        println!(
            "{identity} sent reply \"{}\"",
            zmq_guide::pyfmt::bytes(&msg)
        );
    }
}

/// A client: plain request-reply over REQ.
async fn run_client(
    client_url: &'static str,
    context: zmq::Context,
    idx: usize,
) -> zmq::Result<()> {
    printdbg!("run_client {idx} starting");
    let mut socket = AsyncSocket::with_type(&context, SocketType::Req)?;
    // An identity makes the traffic easier to follow.
    let identity = format!("Client-{idx}");
    socket.set(sockopt::RoutingId, identity.as_bytes())?;
    socket.connect(client_url)?;
    for count in 0..NBR_REQUESTS {
        // A request, then its reply.
        let msg = format!("Hello-{count}").into_bytes();
        socket.send(msg.clone()).await?;
        println!("{identity} sent msg: \"{}\"", zmq_guide::pyfmt::bytes(&msg));
        let reply = socket.recv_bytes().await?;
        println!(
            "{identity} received reply: \"{}\"",
            String::from_utf8_lossy(&reply)
        );
    }
    printdbg!("client {idx} finished");
    Ok(())
}

async fn run_broker() -> zmq::Result<&'static str> {
    println!("(run_broker) starting");
    let url_worker = "inproc://workers";
    let url_client = "inproc://clients";
    let mut client_nbr = NBR_CLIENTS * 3;
    // The context and the broker's two sockets.
    let context = zmq::Context::new()?;
    let mut frontend = AsyncSocket::with_type(&context, SocketType::Router)?;
    frontend.bind(url_client)?;
    let mut backend = AsyncSocket::with_type(&context, SocketType::Router)?;
    backend.bind(url_worker)?;
    println!("(run_broker) creating workers and clients");
    let worker_tasks: Vec<_> = (0..NBR_WORKERS)
        .map(|idx| tokio::spawn(run_worker(url_worker, context.clone(), idx)))
        .collect();
    // The clients run to their end; nobody waits for them.
    for idx in 0..NBR_CLIENTS {
        tokio::spawn(run_client(url_client, context.clone(), idx));
    }
    println!("(run_broker) after creating workers and clients");
    // The load-balancing loop: the backend always, the frontend only while
    // a worker is free. A worker's message makes it free again and may
    // carry a reply for a client; a client's request goes to the worker
    // freed last.
    let mut available_workers = 0;
    let mut workers_list = Vec::new();
    loop {
        let socks = if available_workers > 0 {
            poll(&mut [&mut backend, &mut frontend], PollEvents::POLLIN).await?
        } else {
            let mut socks = poll(&mut [&mut backend], PollEvents::POLLIN).await?;
            socks.push(PollEvents::empty());
            socks
        };
        // Worker activity on the backend.
        if socks[0] == PollEvents::POLLIN {
            let message = backend.recv_multipart().await?;
            if message.len() < 3 {
                return Err(zmq::Error::from_errno(libc::EPROTO));
            }
            assert!(available_workers < NBR_WORKERS);
            // The worker is free again.
            let worker_addr = message[0].clone();
            available_workers += 1;
            workers_list.push(worker_addr);
            // Then an empty frame, then READY or a client's address.
            assert_eq!(message[1], b"");
            let client_addr = message[2].clone();
            // A reply goes back to its client.
            if client_addr != b"READY" {
                let [_, _, _, empty, reply] = frames(message)?;
                assert_eq!(empty, b"");
                printdbg!(
                    "(run_broker) to frontend -- reply: \"{}\"",
                    zmq_guide::pyfmt::bytes(&reply)
                );
                frontend
                    .send_multipart([client_addr, Vec::new(), reply])
                    .await?;
                client_nbr -= 1;
                if client_nbr == 0 {
                    printdbg!("(run_broker) exiting");
                    break; // every request answered
                }
            }
        }
        if available_workers > 0 && socks[1] == PollEvents::POLLIN {
            // A client's request: [address][empty][request], to the worker
            // freed last.
            let [client_addr, empty, request] = frames(frontend.recv_multipart().await?)?;
            assert_eq!(empty, b"");
            available_workers -= 1;
            let worker_id = workers_list
                .pop()
                .ok_or_else(|| zmq::Error::from_errno(libc::EPROTO))?;
            printdbg!(
                "(run_broker) to backend -- request: \"{}\"",
                zmq_guide::pyfmt::bytes(&request)
            );
            backend
                .send_multipart([worker_id, Vec::new(), client_addr, Vec::new(), request])
                .await?;
        }
    }
    // Out of the loop: clean up.
    printdbg!("(run_broker) finished");
    for worker_task in worker_tasks {
        worker_task.abort();
    }
    printdbg!("(run_broker) workers cancelled");
    tokio::time::sleep(scaled_ms(1000)).await;
    drop(frontend);
    drop(backend);
    printdbg!("(run_broker) returning");
    Ok("finished ok")
}

async fn run() -> zmq::Result<()> {
    let reply = run_broker().await?;
    printdbg!("(run) reply: \"{reply}\"");
    Ok(())
}

fn main() -> zmq::Result<()> {
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_lbbroker2");
        std::process::exit(1);
    }
    run_until_complete(run())
}
