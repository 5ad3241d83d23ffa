//! bstarsrv: a Binary Star server, state machine and all in one loop
//!
//! Port of the zguide's `examples/Python/bstarsrv.py`: one of a primary
//! (`-p`: clients on 5001, state out on 5003, the peer's in from 5004) and
//! a backup (`-b`: 5002, 5004, 5003) that publish their state to each other
//! every second and decide between them which one answers clients: an echo
//! service. The reusable form of the same machine is `zmq_guide::bstar`,
//! used by `bstarsrv2`. Runs until killed, or until the pair breaks (two
//! masters or two slaves).
//!
//! The heartbeat follows `ZGUIDE_TIME_SCALE` (see `zmq_guide::settings`).

use std::process;
use std::time::Instant;

use zmq::{PollEvents, PollItem, SocketType};
use zmq_guide::endpoint;
use zmq_guide::settings::scaled_ms;

// The states a server can be in.
const STATE_PRIMARY: u8 = 1; // Primary, waiting for the peer
const STATE_BACKUP: u8 = 2; // Backup, waiting for the peer
const STATE_ACTIVE: u8 = 3; // Serving clients
const STATE_PASSIVE: u8 = 4; // Standing by

// The events: the peer's state, or a client request.
const PEER_PRIMARY: u8 = 1;
const PEER_BACKUP: u8 = 2;
const PEER_ACTIVE: u8 = 3;
const PEER_PASSIVE: u8 = 4;
const CLIENT_REQUEST: u8 = 5;

/// Milliseconds between state messages; two missed mean the peer is dead.
const HEARTBEAT: u64 = 1000;

/// The machine: state, current event, when the peer counts as dead.
struct BStarState {
    state: u8,
    event: u8,
    peer_expiry: Option<Instant>,
}

/// The machine refused the event: a client request to drop, or (with a
/// message) a fatal error that stops the server.
struct BStarException(&'static str);

/// What the transition table says for an event in a state.
enum Transition {
    /// Print the message, move to the state.
    To(&'static str, u8),
    /// Refuse the event.
    Refuse(&'static str),
    /// A client request to a passive server: serve it if the peer died.
    Failover,
}

/// The transition table; events it does not list change nothing.
fn fsm_states(state: u8, event: u8) -> Option<Transition> {
    use Transition::{Failover, Refuse, To};
    match (state, event) {
        (STATE_PRIMARY, PEER_BACKUP) => Some(To(
            "I: connected to backup (slave), ready as master",
            STATE_ACTIVE,
        )),
        (STATE_PRIMARY, PEER_ACTIVE) => Some(To(
            "I: connected to backup (master), ready as slave",
            STATE_PASSIVE,
        )),
        (STATE_BACKUP, PEER_ACTIVE) => Some(To(
            "I: connected to primary (master), ready as slave",
            STATE_PASSIVE,
        )),
        (STATE_BACKUP, CLIENT_REQUEST) => Some(Refuse("")),
        (STATE_ACTIVE, PEER_ACTIVE) => Some(Refuse("E: fatal error - dual masters, aborting")),
        (STATE_PASSIVE, PEER_PRIMARY) => Some(To(
            "I: primary (slave) is restarting, ready as master",
            STATE_ACTIVE,
        )),
        (STATE_PASSIVE, PEER_BACKUP) => Some(To(
            "I: backup (slave) is restarting, ready as master",
            STATE_ACTIVE,
        )),
        (STATE_PASSIVE, PEER_PASSIVE) => Some(Refuse("E: fatal error - dual slaves, aborting")),
        (STATE_PASSIVE, CLIENT_REQUEST) => Some(Failover),
        _ => None,
    }
}

/// Applies the current event to the state.
fn run_fsm(fsm: &mut BStarState) -> Result<(), BStarException> {
    // Some transitions are not handled at all.
    let Some(transition) = fsm_states(fsm.state, fsm.event) else {
        return Ok(());
    };
    match transition {
        Transition::Refuse(msg) => Err(BStarException(msg)),
        Transition::Failover => {
            // The peer is dead if it stayed silent too long: take over.
            if fsm.peer_expiry.is_none_or(|expiry| Instant::now() > expiry) {
                fsm.state = STATE_ACTIVE;
                Ok(())
            } else {
                Err(BStarException(""))
            }
        }
        Transition::To(msg, state) => {
            println!("{msg}");
            fsm.state = state;
            Ok(())
        }
    }
}

/// The command line: `-p`/`--primary` or `-b`/`--backup`, as the
/// original's argparse group, with its usage and exit status on errors.
fn parse_args() -> Option<bool> {
    const USAGE: &str = "usage: bstarsrv [-h] [-p | -b]";
    let mut role = None;
    for arg in std::env::args().skip(1) {
        let primary = match arg.as_str() {
            "-p" | "--primary" => true,
            "-b" | "--backup" => false,
            "-h" | "--help" => {
                println!("{USAGE}");
                process::exit(0);
            }
            other => {
                eprintln!("{USAGE}\nbstarsrv: error: unrecognized arguments: {other}");
                process::exit(2);
            }
        };
        if role.is_some_and(|chosen| chosen != primary) {
            eprintln!(
                "{USAGE}\nbstarsrv: error: argument -b/--backup: not allowed with argument -p/--primary"
            );
            process::exit(2);
        }
        role = Some(primary);
    }
    role
}

fn main() -> zmq::Result<()> {
    let role = parse_args();

    let ctx = zmq::Context::new()?;
    let statepub = ctx.socket(SocketType::Pub)?;
    let statesub = ctx.socket(SocketType::Sub)?;
    statesub.subscribe("")?;
    let frontend = ctx.socket(SocketType::Router)?;

    let mut fsm = BStarState {
        state: 0,
        event: 0,
        peer_expiry: None,
    };

    match role {
        Some(true) => {
            println!("I: Primary master, waiting for backup (slave)");
            frontend.bind(&endpoint("tcp://*:5001"))?;
            statepub.bind(&endpoint("tcp://*:5003"))?;
            statesub.connect(&endpoint("tcp://localhost:5004"))?;
            fsm.state = STATE_PRIMARY;
        }
        Some(false) => {
            println!("I: Backup slave, waiting for primary (master)");
            frontend.bind(&endpoint("tcp://*:5002"))?;
            statepub.bind(&endpoint("tcp://*:5004"))?;
            statesub.connect(&endpoint("tcp://localhost:5003"))?;
            fsm.state = STATE_BACKUP;
        }
        // Fix: with neither flag the original runs on with nothing bound
        // (and, under Python 3, fails on its first state message); the
        // port says what it needs.
        None => {
            eprintln!(
                "usage: bstarsrv [-h] [-p | -b]\nbstarsrv: error: one of -p or -b is required"
            );
            process::exit(2);
        }
    }

    let mut send_state_at = Instant::now() + scaled_ms(HEARTBEAT);

    loop {
        let time_left = send_state_at.saturating_duration_since(Instant::now());
        let mut items = [
            PollItem::from_socket(&frontend, PollEvents::POLLIN),
            PollItem::from_socket(&statesub, PollEvents::POLLIN),
        ];
        zmq::poll(&mut items, Some(time_left))?;

        if items[0].is_readable() {
            // A client request: echoed if the machine lets it through.
            let msg = frontend.recv_multipart()?;
            fsm.event = CLIENT_REQUEST;
            if run_fsm(&mut fsm).is_ok() {
                frontend.send_multipart(msg)?;
            }
        }

        if items[1].is_readable() {
            // The peer's state is our event.
            let msg = statesub.recv_bytes()?;
            // A message that is not a number is no event the table knows.
            fsm.event = std::str::from_utf8(&msg)
                .ok()
                .and_then(|text| text.trim().parse().ok())
                .unwrap_or(0);
            match run_fsm(&mut fsm) {
                Ok(()) => fsm.peer_expiry = Some(Instant::now() + 2 * scaled_ms(HEARTBEAT)),
                Err(BStarException(msg)) => {
                    // Fix: the original drops the message and exits
                    // silently; the C original prints it.
                    println!("{msg}");
                    break;
                }
            }
        }

        // Our state goes to the peer every heartbeat.
        if Instant::now() >= send_state_at {
            statepub.send(fsm.state.to_string())?;
            send_state_at = Instant::now() + scaled_ms(HEARTBEAT);
        }
    }
    Ok(())
}
