//! mdbroker: the Majordomo broker
//!
//! Port of the zguide's `examples/Python/mdbroker.py`: a minimal broker of
//! the Majordomo Protocol (MDP/0.1, RFC 7) and its service discovery (MMI,
//! RFC 8). Clients and workers share one ROUTER socket on port 5555. Each
//! request goes to an idle worker of the service it names, or waits for
//! one; idle workers are heartbeated and forgotten when they fall silent.
//! `-v` dumps every message. Runs until interrupted.
//!
//! It logs to standard error as the original's `logging` does; the
//! heartbeat follows `ZGUIDE_TIME_SCALE` (see `zmq_guide::settings`).

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use zmq::{Context, ErrorKind, PollEvents, Socket, SocketType, sockopt};
use zmq_guide::logging;
use zmq_guide::mdp;
use zmq_guide::settings::scaled_ms;
use zmq_guide::zhelpers::dump_frames;
use zmq_guide::{endpoint, pyfmt};

/// A request as the broker keeps it: the client's envelope, then the body.
type Message = Vec<Vec<u8>>;

/// One service, known by its name in the broker's table: its queued
/// requests and its idle workers (by identity).
#[derive(Default)]
struct Service {
    requests: VecDeque<Message>,
    waiting: VecDeque<String>,
}

/// A worker, idle or busy, known by its identity (its address in hex) in
/// the broker's table.
struct Worker {
    /// The address, to route to it.
    address: Vec<u8>,
    /// The service it serves, once it has said.
    service: Option<Vec<u8>>,
    /// It is dead unless heard from before this.
    expiry: Instant,
}

impl Worker {
    fn new(address: Vec<u8>, lifetime: Duration) -> Self {
        Worker {
            address,
            service: None,
            expiry: Instant::now() + lifetime,
        }
    }
}

/// The broker's state and socket.
struct MajorDomoBroker {
    socket: Socket,
    /// When the idle workers next get a heartbeat.
    heartbeat_at: Instant,
    services: HashMap<Vec<u8>, Service>,
    workers: HashMap<String, Worker>,
    /// Idle workers, the longest idle first.
    waiting: VecDeque<String>,
    verbose: bool,
    /// Kept for the socket's lifetime.
    _ctx: Context,
}

impl MajorDomoBroker {
    /// Services whose names start so are the broker's own (MMI).
    const INTERNAL_SERVICE_PREFIX: &'static [u8] = b"mmi.";
    /// Heartbeats a worker may miss (3..5 is reasonable).
    const HEARTBEAT_LIVENESS: u32 = 3;
    /// Milliseconds between heartbeats.
    const HEARTBEAT_INTERVAL: u64 = 2500;

    fn heartbeat_interval() -> Duration {
        scaled_ms(Self::HEARTBEAT_INTERVAL)
    }

    fn heartbeat_expiry() -> Duration {
        Self::heartbeat_interval() * Self::HEARTBEAT_LIVENESS
    }

    fn new(verbose: bool) -> zmq::Result<Self> {
        let ctx = Context::new()?;
        let socket = ctx.socket(SocketType::Router)?;
        socket.set(sockopt::Linger, Some(Duration::ZERO))?;
        Ok(MajorDomoBroker {
            socket,
            heartbeat_at: Instant::now() + Self::heartbeat_interval(),
            services: HashMap::new(),
            workers: HashMap::new(),
            waiting: VecDeque::new(),
            verbose,
            _ctx: ctx,
        })
    }

    /// The broker's loop: route messages, forget dead workers, heartbeat.
    fn mediate(&mut self) -> zmq::Result<()> {
        loop {
            // A Ctrl-C that came between two polls did not interrupt one.
            if zmq::interrupt::interrupted() {
                break;
            }
            let ready = match self
                .socket
                .poll(PollEvents::POLLIN, Some(Self::heartbeat_interval()))
            {
                Ok(ready) => ready,
                Err(e) if e.kind() == ErrorKind::Interrupted => break, // Interrupted
                Err(e) => return Err(e),
            };
            if ready.contains(PollEvents::POLLIN) {
                let mut msg = self.socket.recv_multipart()?;
                if self.verbose {
                    logging::info("I: received message:");
                    dump_frames(&msg);
                }

                // Fix: the original asserts the envelope and dies on a
                // message that lacks it; such a message is reported and
                // dropped.
                if msg.len() < 3 || !msg[1].is_empty() {
                    logging::info("E: invalid message:");
                    dump_frames(&msg);
                    continue;
                }
                let sender = msg.remove(0);
                let _empty = msg.remove(0);
                let header = msg.remove(0);

                if header == mdp::C_CLIENT {
                    self.process_client(sender, msg)?;
                } else if header == mdp::W_WORKER {
                    self.process_worker(sender, msg)?;
                } else {
                    logging::info("E: invalid message:");
                    dump_frames(&msg);
                }
            }

            self.purge_workers();
            self.send_heartbeats()?;
        }
        Ok(())
    }

    /// A client's request: `msg` is the service name, then the body.
    fn process_client(&mut self, sender: Vec<u8>, mut msg: Message) -> zmq::Result<()> {
        // Fix: the original asserts a service name and a body.
        if msg.len() < 2 {
            logging::info("E: invalid message:");
            dump_frames(&msg);
            return Ok(());
        }
        let service = msg.remove(0);
        // The reply goes back to the sender.
        let msg: Message = [sender, Vec::new()].into_iter().chain(msg).collect();
        if service.starts_with(Self::INTERNAL_SERVICE_PREFIX) {
            self.service_internal(&service, msg)
        } else {
            self.require_service(&service);
            self.dispatch(&service, Some(msg))
        }
    }

    /// A worker's message: `msg` is the command, then its frames.
    fn process_worker(&mut self, sender: Vec<u8>, mut msg: Message) -> zmq::Result<()> {
        // Fix: the original asserts a command.
        if msg.is_empty() {
            logging::info("E: invalid message:");
            dump_frames(&msg);
            return Ok(());
        }

        let command = msg.remove(0);

        let worker_ready = self.workers.contains_key(&hex(&sender));

        let identity = self.require_worker(sender);

        if command == mdp::W_READY {
            // Fix: the original asserts a service name.
            let service = if msg.is_empty() {
                None
            } else {
                Some(msg.remove(0))
            };
            match service {
                // Not the first command of the session, no service, or a
                // reserved service name: the worker is told to go.
                Some(service)
                    if !worker_ready && !service.starts_with(Self::INTERNAL_SERVICE_PREFIX) =>
                {
                    // Attach the worker to its service; it is idle.
                    self.require_service(&service);
                    if let Some(worker) = self.workers.get_mut(&identity) {
                        worker.service = Some(service);
                    }
                    self.worker_waiting(&identity)?;
                }
                _ => self.delete_worker(&identity, true)?,
            }
        } else if command == mdp::W_REPLY {
            if worker_ready && msg.len() >= 2 {
                // Take off the client's envelope, put on the protocol
                // header and the service name, and envelope it again.
                let client = msg.remove(0);
                let _empty = msg.remove(0);
                let service = self
                    .workers
                    .get(&identity)
                    .and_then(|worker| worker.service.clone())
                    .unwrap_or_default();
                let msg = [client, Vec::new(), mdp::C_CLIENT.to_vec(), service]
                    .into_iter()
                    .chain(msg);
                self.socket.send_multipart(msg)?;
                self.worker_waiting(&identity)?;
            } else {
                self.delete_worker(&identity, true)?;
            }
        } else if command == mdp::W_HEARTBEAT {
            if worker_ready {
                if let Some(worker) = self.workers.get_mut(&identity) {
                    worker.expiry = Instant::now() + Self::heartbeat_expiry();
                }
            } else {
                self.delete_worker(&identity, true)?;
            }
        } else if command == mdp::W_DISCONNECT {
            self.delete_worker(&identity, false)?;
        } else {
            logging::info("E: invalid message:");
            dump_frames(&msg);
        }
        Ok(())
    }

    /// Forgets a worker everywhere, telling it first if `disconnect`.
    fn delete_worker(&mut self, identity: &str, disconnect: bool) -> zmq::Result<()> {
        if disconnect {
            self.send_to_worker(identity, mdp::W_DISCONNECT, None, Vec::new())?;
        }

        // Fix: the original removes the worker from its service's idle list
        // with list.remove, which raises for a busy worker, and leaves it in
        // the broker's own idle list; it goes from both, if there.
        if let Some(worker) = self.workers.remove(identity)
            && let Some(service) = worker.service.and_then(|name| self.services.get_mut(&name))
        {
            service.waiting.retain(|w| w != identity);
        }
        self.waiting.retain(|w| w != identity);
        Ok(())
    }

    /// The worker at `address`, registered if new; returns its identity.
    fn require_worker(&mut self, address: Vec<u8>) -> String {
        let identity = hex(&address);
        if !self.workers.contains_key(&identity) {
            let worker = Worker::new(address, Self::heartbeat_expiry());
            self.workers.insert(identity.clone(), worker);
            if self.verbose {
                logging::info(format_args!(
                    "I: registering new worker: {}",
                    pyfmt::bytes(identity.as_bytes())
                ));
            }
        }
        identity
    }

    /// The service named `name`, created if new.
    fn require_service(&mut self, name: &[u8]) -> &mut Service {
        self.services.entry(name.to_vec()).or_default()
    }

    /// Binds the broker's socket; can be called for several endpoints.
    fn bind(&self, endpoint: &str) -> zmq::Result<()> {
        self.socket.bind(endpoint)?;
        logging::info(format_args!("I: MDP broker/0.1.1 is active at {endpoint}"));
        Ok(())
    }

    /// The broker's own services (MMI): `mmi.service` says whether the
    /// service named by the last frame exists (200) or not (404); any other
    /// is not implemented (501).
    fn service_internal(&mut self, service: &[u8], mut msg: Message) -> zmq::Result<()> {
        let mut returncode = b"501".to_vec();
        if service == b"mmi.service" {
            let name = msg.last().cloned().unwrap_or_default();
            returncode = if self.services.contains_key(&name) {
                b"200".to_vec()
            } else {
                b"404".to_vec()
            };
        }
        if let Some(last) = msg.last_mut() {
            *last = returncode;
        }

        // The protocol header and service name go after the envelope.
        let body = msg.split_off(2);
        msg.push(mdp::C_CLIENT.to_vec());
        msg.push(service.to_vec());
        msg.extend(body);
        self.socket.send_multipart(msg)
    }

    /// Heartbeats the idle workers when it is time.
    fn send_heartbeats(&mut self) -> zmq::Result<()> {
        if Instant::now() > self.heartbeat_at {
            for identity in &self.waiting {
                self.send_to_worker(identity, mdp::W_HEARTBEAT, None, Vec::new())?;
            }

            self.heartbeat_at = Instant::now() + Self::heartbeat_interval();
        }
        Ok(())
    }

    /// Forgets the idle workers that expired. The longest idle come first,
    /// so the first that is still alive ends the search.
    fn purge_workers(&mut self) {
        while let Some(identity) = self.waiting.front().cloned() {
            let expired = self
                .workers
                .get(&identity)
                .is_none_or(|worker| worker.expiry < Instant::now());
            if expired {
                logging::info(format_args!(
                    "I: deleting expired worker: {}",
                    pyfmt::bytes(identity.as_bytes())
                ));
                // Telling a dead worker nothing cannot fail.
                let _ = self.delete_worker(&identity, false);
            } else {
                break;
            }
        }
    }

    /// The worker is idle: queue it, then serve whatever waits for it.
    fn worker_waiting(&mut self, identity: &str) -> zmq::Result<()> {
        let Some(worker) = self.workers.get_mut(identity) else {
            return Ok(());
        };
        worker.expiry = Instant::now() + Self::heartbeat_expiry();
        let Some(service) = worker.service.clone() else {
            return Ok(());
        };
        self.waiting.push_back(identity.to_owned());
        self.require_service(&service)
            .waiting
            .push_back(identity.to_owned());
        self.dispatch(&service, None)
    }

    /// Queues `msg` (if any) for the service, then hands its queued
    /// requests to its idle workers while there are both.
    fn dispatch(&mut self, service: &[u8], msg: Option<Message>) -> zmq::Result<()> {
        if let Some(msg) = msg {
            self.require_service(service).requests.push_back(msg);
        }
        self.purge_workers();
        loop {
            let Some(entry) = self.services.get_mut(service) else {
                return Ok(());
            };
            if entry.waiting.is_empty() || entry.requests.is_empty() {
                return Ok(());
            }
            let (Some(msg), Some(identity)) =
                (entry.requests.pop_front(), entry.waiting.pop_front())
            else {
                return Ok(());
            };
            self.waiting.retain(|w| *w != identity);
            self.send_to_worker(&identity, mdp::W_REQUEST, None, msg)?;
        }
    }

    /// Sends `command` (then `option`, then `msg`) to a worker, behind its
    /// address and the MDP/Worker header.
    fn send_to_worker(
        &self,
        identity: &str,
        command: &[u8],
        option: Option<&[u8]>,
        msg: Message,
    ) -> zmq::Result<()> {
        let Some(worker) = self.workers.get(identity) else {
            return Ok(());
        };
        let mut frames: Message = vec![
            worker.address.clone(),
            Vec::new(),
            mdp::W_WORKER.to_vec(),
            command.to_vec(),
        ];
        frames.extend(option.map(<[u8]>::to_vec));
        frames.extend(msg);

        if self.verbose {
            logging::info(format_args!(
                "I: sending {} to worker",
                pyfmt::bytes(command)
            ));
            dump_frames(&frames);
        }

        self.socket.send_multipart(frames)
    }
}

/// `binascii.hexlify`: lowercase hex digits.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn main() -> zmq::Result<()> {
    // Ctrl-C ends the loop as the original's KeyboardInterrupt does.
    zmq::interrupt::catch_signals()?;
    let verbose = std::env::args().any(|arg| arg == "-v");
    let mut broker = MajorDomoBroker::new(verbose)?;
    broker.bind(&endpoint("tcp://*:5555"))?;
    broker.mediate()
}
