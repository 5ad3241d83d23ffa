//! The Freelance client API, model 3 (`flcliapi.py`), used by `flclient3`.
//!
//! A [`FreelanceClient`] talks to any number of servers (`flserver3`) with
//! no broker between them. A background agent thread holds a ROUTER
//! connected to every server; each server's identity is the endpoint the
//! client connects to, so the agent addresses a server by name. The agent
//! pings the servers every 2 s and counts one as dead after 6 s of
//! silence; a request goes to the first server believed alive, again and
//! again as the agent wakes up, until a reply with the request's sequence
//! number comes back or 3 s have passed.
//!
//! ```ignore
//! let client = FreelanceClient::new()?;
//! client.connect("tcp://localhost:5555")?;
//! client.connect("tcp://localhost:5556")?;
//! match client.request(&[b"random name"])? {
//!     Some(reply) => println!("{reply:?}"),
//!     None => println!("no server answered"),
//! }
//! ```
//!
//! Between the application and the agent, a PAIR pipe carries
//! `[CONNECT, endpoint]` and `[REQUEST, frames...]` one way and
//! `[OK, frames...]` or `[FAILED]` the other. The intervals follow
//! `ZGUIDE_TIME_SCALE` (see `zmq_guide::settings`).

use std::collections::HashMap;
use std::thread;
use std::time::{Duration, Instant};

use zmq::{Context, PollEvents, PollItem, SendFlags, Socket, SocketType};
use zmq_guide::settings::scaled_ms;
use zmq_guide::zhelpers::zpipe;

/// A request no server answers within this time is abandoned (msecs).
const GLOBAL_TIMEOUT: u64 = 3000;
/// Servers believed alive are pinged this often (msecs).
const PING_INTERVAL: u64 = 2000;
/// A server silent for this long is believed dead (msecs).
const SERVER_TTL: u64 = 6000;

/// The agent's command that ends it, sent when the client is dropped.
const TERM: &[u8] = b"$TERM";

// =====================================================================
// The synchronous part, in the application's thread

/// A Freelance client; see the [module documentation](self).
#[derive(Debug)]
pub(crate) struct FreelanceClient {
    /// The pipe to the agent.
    pipe: Socket,
    /// Kept for the pipe's lifetime.
    _ctx: Context,
}

impl FreelanceClient {
    /// A client with no servers yet, its agent running.
    pub(crate) fn new() -> zmq::Result<Self> {
        let ctx = Context::new()?;
        let (pipe, peer) = zpipe(&ctx)?;
        thread::spawn(move || {
            if let Err(e) = agent_task(peer) {
                eprintln!("flcliapi agent: {e}");
            }
        });
        Ok(FreelanceClient { pipe, _ctx: ctx })
    }

    /// Adds the server at `endpoint`, which must be the identity it gives
    /// its ROUTER socket.
    pub(crate) fn connect(&self, endpoint: &str) -> zmq::Result<()> {
        self.pipe
            .send_multipart([&b"CONNECT"[..], endpoint.as_bytes()])?;
        thread::sleep(Duration::from_millis(100)); // Let the connection come up
        Ok(())
    }

    /// Sends `msg` (its frames) to a live server and waits for the reply:
    /// its frames, or `None` if no server answered in time.
    pub(crate) fn request(&self, msg: &[&[u8]]) -> zmq::Result<Option<Vec<Vec<u8>>>> {
        let request = std::iter::once(&b"REQUEST"[..]).chain(msg.iter().copied());
        self.pipe.send_multipart(request)?;
        let mut reply = self.pipe.recv_multipart()?;
        let status = reply.remove(0);
        Ok((status != b"FAILED").then_some(reply))
    }
}

impl Drop for FreelanceClient {
    /// Ends the agent, which the original leaves running as a daemon
    /// thread until the process exits.
    fn drop(&mut self) {
        let _ = self.pipe.send_with(TERM, SendFlags::DONTWAIT);
    }
}

// =====================================================================
// The asynchronous part, in the agent's thread

/// One server the agent talks to.
struct FreelanceServer {
    /// The server's endpoint, also its identity.
    endpoint: String,
    /// Whether it is believed alive.
    alive: bool,
    /// When it gets its next PING.
    ping_at: Instant,
    /// When it counts as dead unless it speaks.
    expires: Instant,
}

impl FreelanceServer {
    fn new(endpoint: String) -> Self {
        FreelanceServer {
            endpoint,
            alive: true,
            ping_at: Instant::now() + scaled_ms(PING_INTERVAL),
            expires: Instant::now() + scaled_ms(SERVER_TTL),
        }
    }

    /// PINGs the server if it is time.
    fn ping(&mut self, socket: &Socket) -> zmq::Result<()> {
        if Instant::now() > self.ping_at {
            socket.send_multipart([self.endpoint.as_bytes(), b"PING"])?;
            self.ping_at = Instant::now() + scaled_ms(PING_INTERVAL);
        }
        Ok(())
    }

    /// `tickless`, brought forward to this server's next PING.
    fn tickless(&self, tickless: Instant) -> Instant {
        tickless.min(self.ping_at)
    }
}

/// The agent's state.
struct FreelanceAgent {
    /// To and from the application.
    pipe: Socket,
    /// To and from the servers.
    router: Socket,
    /// Every server, by endpoint.
    servers: HashMap<String, FreelanceServer>,
    /// The endpoints of the servers believed alive, in the order to try.
    actives: Vec<String>,
    /// The number of the request in progress.
    sequence: u64,
    /// The request in progress, ready to send after a server's identity.
    request: Option<Vec<Vec<u8>>>,
    /// When the request in progress is abandoned.
    expires: Instant,
}

impl FreelanceAgent {
    fn new(ctx: &Context, pipe: Socket) -> zmq::Result<Self> {
        Ok(FreelanceAgent {
            pipe,
            router: ctx.socket(SocketType::Router)?,
            servers: HashMap::new(),
            actives: Vec::new(),
            sequence: 0,
            request: None,
            expires: Instant::now(),
        })
    }

    /// A command from the application; false when told to end.
    fn control_message(&mut self) -> zmq::Result<bool> {
        let mut msg = self.pipe.recv_multipart()?;
        let command = msg.remove(0);

        if command == b"CONNECT" {
            let endpoint = String::from_utf8_lossy(&msg.remove(0)).into_owned();
            println!("I: connecting to {endpoint}...");
            self.router.connect(&endpoint)?;
            let server = FreelanceServer::new(endpoint.clone());
            self.servers.insert(endpoint.clone(), server);
            self.actives.push(endpoint);
        } else if command == b"REQUEST" {
            // One request at a time: the application waits for its reply.
            // The sequence number and an empty frame go before it.
            let frames = [self.sequence.to_string().into_bytes(), Vec::new()];
            self.request = Some(frames.into_iter().chain(msg).collect());

            // Abandoned if nobody answers in time.
            self.expires = Instant::now() + scaled_ms(GLOBAL_TIMEOUT);
        } else if command == TERM {
            return Ok(false);
        }
        Ok(true)
    }

    /// A message from a server: it is alive, and it may be our reply.
    fn router_message(&mut self) -> zmq::Result<()> {
        let mut reply = self.router.recv_multipart()?;
        // Frame 0: the server that replied.
        let endpoint = String::from_utf8_lossy(&reply.remove(0)).into_owned();
        let Some(server) = self.servers.get_mut(&endpoint) else {
            return Ok(());
        };
        if !server.alive {
            self.actives.push(endpoint);
            server.alive = true;
        }

        server.ping_at = Instant::now() + scaled_ms(PING_INTERVAL);
        server.expires = Instant::now() + scaled_ms(SERVER_TTL);

        // Frame 1: the reply's sequence number, or PONG. Fix: the
        // original's int("PONG") raises and kills the agent; a PONG simply
        // matches no request here, as in the C original.
        if reply.is_empty() {
            return Ok(());
        }
        let sequence = reply.remove(0);
        let sequence: Option<u64> = std::str::from_utf8(&sequence)
            .ok()
            .and_then(|text| text.parse().ok());
        if sequence == Some(self.sequence) {
            self.sequence += 1;
            let reply = std::iter::once(b"OK".to_vec()).chain(reply);
            self.pipe.send_multipart(reply)?;
            self.request = None;
        }
        Ok(())
    }
}

/// The agent: keeps the server pool and carries each request to a server
/// until it is answered or expires.
fn agent_task(pipe: Socket) -> zmq::Result<()> {
    let ctx = pipe.context().clone();
    let mut agent = FreelanceAgent::new(&ctx, pipe)?;

    loop {
        // Sleep until the next thing to do, an hour at most. Fix: the
        // original only looks at the servers' PING times while a request
        // is in progress, so an idle client never pings; the C original
        // always does.
        let mut tickless = Instant::now() + Duration::from_secs(3600);
        if agent.request.is_some() && tickless > agent.expires {
            tickless = agent.expires;
        }
        for server in agent.servers.values() {
            tickless = server.tickless(tickless);
        }
        let mut items = [
            PollItem::from_socket(&agent.pipe, PollEvents::POLLIN),
            PollItem::from_socket(&agent.router, PollEvents::POLLIN),
        ];
        if zmq::poll(
            &mut items,
            Some(tickless.saturating_duration_since(Instant::now())),
        )
        .is_err()
        {
            break; // The context is gone
        }
        let (pipe_ready, router_ready) = (items[0].is_readable(), items[1].is_readable());

        if pipe_ready && !agent.control_message()? {
            break;
        }

        if router_ready {
            agent.router_message()?;
        }

        // A request in progress goes to the first server still alive.
        if let Some(request) = &agent.request {
            if Instant::now() >= agent.expires {
                // Too late: give up on it.
                agent.pipe.send("FAILED")?;
                agent.request = None;
            } else {
                // Servers that expired leave the list on the way.
                while let Some(endpoint) = agent.actives.first() {
                    let Some(server) = agent.servers.get_mut(endpoint) else {
                        agent.actives.remove(0);
                        continue;
                    };
                    if Instant::now() >= server.expires {
                        server.alive = false;
                        agent.actives.remove(0);
                    } else {
                        let frames = std::iter::once(endpoint.as_bytes())
                            .chain(request.iter().map(Vec::as_slice));
                        agent.router.send_multipart(frames)?;
                        break;
                    }
                }
            }
        }

        // PING the servers that are due.
        for server in agent.servers.values_mut() {
            server.ping(&agent.router)?;
        }
    }
    Ok(())
}
