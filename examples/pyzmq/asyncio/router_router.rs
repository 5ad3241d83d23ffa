//! pyzmq examples/asyncio: ROUTER to ROUTER
//!
//! Port of `asyncio/router_router.py` (feature `tokio`): a ROUTER named
//! `server` bound to inproc://test_zmq, and two ROUTER clients named `romeo`
//! and `sierra` connected to it, the way peers of a peer-to-peer network
//! talk: each side addresses the other by its identity. Each client, every
//! tenth of a second, sends `[b'server', b'', b'cheers']` and prints the
//! reply; the server prints each request and answers it with `whatup`.
//!
//! The original drives them with aiowire's `EventLoop(1.0)`: each task is a
//! step that schedules itself again, and after a second whatever is still
//! running is cancelled. Here each is a tokio task looping over its step,
//! and [`run_for`] aborts them after the second; the program then ends.
//! `ZGUIDE_RUN_MS` changes that second, for tests on a loaded machine.

use std::error::Error;
use std::time::Duration;

use tokio::task::JoinSet;
use zmq::SocketType;
use zmq::asyncio::AsyncSocket;
use zmq_guide::event_loop::run_until_complete;
use zmq_guide::pyfmt;

type StepResult = Result<(), Box<dyn Error + Send + Sync>>;

struct Server {
    socket: AsyncSocket,
}

impl Server {
    fn new(ctx: &zmq::Context, url: &str) -> zmq::Result<Self> {
        let socket = AsyncSocket::with_type(ctx, SocketType::Router)?;
        socket.set(zmq::sockopt::RoutingId, b"server")?;
        socket.bind(url)?;
        Ok(Self { socket })
    }

    /// One request answered; the task runs it again and again.
    async fn run(&mut self) -> StepResult {
        let req = self.socket.recv_multipart().await?;
        println!("Server received {}", pyfmt::bytes_list(&req));
        // The client's identity, the empty delimiter, the answer.
        let client = req.into_iter().next().ok_or("an empty request")?;
        self.socket
            .send_multipart([client, Vec::new(), b"whatup".to_vec()])
            .await?;
        Ok(())
    }
}

struct Client {
    name: String,
    socket: AsyncSocket,
}

impl Client {
    fn new(ctx: &zmq::Context, url: &str, name: &str) -> zmq::Result<Self> {
        let socket = AsyncSocket::with_type(ctx, SocketType::Router)?;
        socket.set(zmq::sockopt::RoutingId, name.as_bytes())?;
        socket.connect(url)?;
        Ok(Self {
            name: name.to_owned(),
            socket,
        })
    }

    /// One request sent and its reply printed; the task runs it again and
    /// again.
    async fn run(&mut self) -> StepResult {
        tokio::time::sleep(Duration::from_millis(100)).await;
        // The server's identity, the empty delimiter, the greeting.
        self.socket
            .send_multipart([b"server".as_slice(), b"", b"cheers"])
            .await?;
        let rep = self.socket.recv_multipart().await?;
        println!("{} received {}", self.name, pyfmt::bytes_list(&rep));
        Ok(())
    }
}

/// The server's task: its step, over and over, until it fails.
async fn serve(mut srv: Server) -> StepResult {
    loop {
        srv.run().await?;
    }
}

/// A client's task: its step, over and over, until it fails.
async fn keep_asking(mut client: Client) -> StepResult {
    loop {
        client.run().await?;
    }
}

/// Lets `tasks` run until `timeout` has passed, then aborts those still
/// running (all of them: they loop), as aiowire's `EventLoop(timeout)`
/// cancels its tasks when its block ends. The first task to fail ends it
/// sooner, with that error.
async fn run_for(timeout: Duration, mut tasks: JoinSet<StepResult>) -> StepResult {
    let deadline = tokio::time::sleep(timeout);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            () = &mut deadline => break,
            joined = tasks.join_next() => match joined {
                Some(result) => result??,
                None => break,
            },
        }
    }
    tasks.abort_all();
    Ok(())
}

async fn run() -> StepResult {
    let url = "inproc://test_zmq";
    let ctx = zmq::Context::instance()?;
    let srv = Server::new(&ctx, url)?;
    let romeo = Client::new(&ctx, url, "romeo")?;
    let sierra = Client::new(&ctx, url, "sierra")?;
    let mut tasks = JoinSet::new();
    tasks.spawn(keep_asking(romeo));
    tasks.spawn(keep_asking(sierra));
    tasks.spawn(serve(srv));
    let timeout = Duration::from_millis(zmq_guide::setting("ZGUIDE_RUN_MS", 1000));
    run_for(timeout, tasks).await
}

fn main() -> StepResult {
    run_until_complete(run())
}
