//! Asynchronous client/server, as tasks on the event loop
//!
//! Port of the zguide's `examples/Python/asyncio_ioloop/asyncsrv.py`: three
//! REQ client tasks send numbered requests to a ROUTER on
//! inproc://frontend; a proxy task polls it and a DEALER on
//! inproc://backend, and passes messages between them; five DEALER worker
//! tasks echo each request back after half a second. Runs until
//! interrupted.

use std::time::Duration;

use zmq::asyncio::AsyncSocket;
use zmq::{PollEvents, SocketType};
use zmq_guide::event_loop::{poll, run_until_complete};
use zmq_guide::pyfmt;

const FRONTEND_ADDR: &str = "inproc://frontend";
const BACKEND_ADDR: &str = "inproc://backend";

/// The original's switch for its `printdbg` lines (off there too).
const DEBUG: bool = false;

macro_rules! printdbg {
    ($($arg:tt)*) => {
        if DEBUG {
            println!($($arg)*);
        }
    };
}

/// A client that sends requests, one a second.
struct Client {
    ctx: zmq::Context,
    id: usize,
}

impl Client {
    async fn run_client(self) -> zmq::Result<()> {
        let mut socket = AsyncSocket::with_type(&self.ctx, SocketType::Req)?;
        let identity = format!("client-{}", self.id);
        socket.connect(FRONTEND_ADDR)?;
        println!("Client {identity} started");
        let mut reqs = 0;
        loop {
            reqs += 1;
            let msg = format!("request # {}.{reqs}", self.id);
            printdbg!("Client {} before sending request: {reqs}", self.id);
            socket.send(msg).await?;
            println!("Client {} sent request: {reqs}", self.id);
            let msg = socket.recv_bytes().await?;
            println!("Client {identity} received: {}", pyfmt::bytes(&msg));
            tokio::time::sleep(Duration::from_secs(1)).await;
            printdbg!("(run_client) client {} after sleep", self.id);
        }
    }
}

/// Sets up the proxy, the workers and the clients.
struct Server {
    ctx: zmq::Context,
}

impl Server {
    fn run_server(&self) -> zmq::Result<Vec<tokio::task::JoinHandle<zmq::Result<()>>>> {
        printdbg!("(Server.run) starting");
        let mut tasks = Vec::new();
        let frontend = AsyncSocket::with_type(&self.ctx, SocketType::Router)?;
        frontend.bind(FRONTEND_ADDR)?;
        let backend = AsyncSocket::with_type(&self.ctx, SocketType::Dealer)?;
        backend.bind(BACKEND_ADDR)?;
        tasks.push(tokio::spawn(run_proxy(frontend, backend)));
        printdbg!("(Server.run) started proxy");
        // The workers.
        for idx in 0..5 {
            let worker = Worker {
                ctx: self.ctx.clone(),
                idx,
            };
            tasks.push(tokio::spawn(worker.run_worker()));
            printdbg!("(Server.run) started worker {idx}");
        }
        // The clients.
        let clients = (0..3).map(|id| Client {
            ctx: self.ctx.clone(),
            id,
        });
        tasks.extend(clients.map(|client| tokio::spawn(client.run_client())));
        printdbg!("(Server.run) after starting clients");
        Ok(tasks)
    }
}

/// A request handler: echoes each request after half a second.
struct Worker {
    ctx: zmq::Context,
    idx: usize,
}

impl Worker {
    async fn run_worker(self) -> zmq::Result<()> {
        let mut worker = AsyncSocket::with_type(&self.ctx, SocketType::Dealer)?;
        worker.connect(BACKEND_ADDR)?;
        println!("Worker {} started", self.idx);
        loop {
            let frames = worker.recv_multipart().await?;
            let [ident, part2, msg] = <[Vec<u8>; 3]>::try_from(frames)
                .map_err(|_| zmq::Error::from_errno(libc::EPROTO))?;
            println!(
                "Worker {} received {} from {}",
                self.idx,
                pyfmt::bytes(&msg),
                pyfmt::bytes(&ident)
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
            worker.send_multipart([ident, part2, msg]).await?;
        }
    }
}

async fn run_proxy(mut socket_from: AsyncSocket, mut socket_to: AsyncSocket) -> zmq::Result<()> {
    printdbg!("(run_proxy) started");
    loop {
        let events = poll(&mut [&mut socket_from, &mut socket_to], PollEvents::POLLIN).await?;
        if !events[0].is_empty() {
            let msg = socket_from.recv_multipart().await?;
            printdbg!(
                "(run_proxy) received from frontend -- msg: {}",
                pyfmt::bytes_list(&msg)
            );
            socket_to.send_multipart(msg).await?;
        } else if !events[1].is_empty() {
            let msg = socket_to.recv_multipart().await?;
            printdbg!(
                "(run_proxy) received from backend -- msg: {}",
                pyfmt::bytes_list(&msg)
            );
            socket_from.send_multipart(msg).await?;
        }
    }
}

async fn run(ctx: zmq::Context) -> zmq::Result<()> {
    printdbg!("(run) starting");
    let server = Server { ctx };
    let tasks = server.run_server()?;
    // Like asyncio.wait, wait for every task; none ends without an error.
    for task in tasks {
        task.await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))?;
    }
    printdbg!("(run) finished");
    Ok(())
}

fn main() -> zmq::Result<()> {
    println!("(main) starting");
    if std::env::args().len() != 1 {
        eprintln!("usage: asyncio_asyncsrv");
        std::process::exit(1);
    }
    let ctx = zmq::Context::new()?;
    run_until_complete(run(ctx))
}
