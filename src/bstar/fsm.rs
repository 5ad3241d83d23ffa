//! The Binary Star finite state machine, apart from any socket: the
//! states, the events, and the transitions `bstar.py`'s `execute_fsm` makes,
//! refuses or treats as fatal. [`Fsm::execute`] takes the time as an
//! argument, so the unit tests below drive it event by event.

use std::fmt;
use std::time::{Duration, Instant};

/// The state of one server of the pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// A primary waiting to hear its peer.
    Primary = 1,
    /// A backup waiting to hear its peer.
    Backup = 2,
    /// The master: serves clients.
    Active = 3,
    /// The slave: refuses clients while the master lives.
    Passive = 4,
}

/// What can happen to a server: the first four are the peer's state, as
/// it reports it; the last is a client's request on the voter socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The peer is a primary waiting for us.
    PeerPrimary = 1,
    /// The peer is a backup waiting for us.
    PeerBackup = 2,
    /// The peer is active.
    PeerActive = 3,
    /// The peer is passive.
    PeerPassive = 4,
    /// A client sent a request.
    ClientRequest = 5,
}

impl Event {
    /// The event a peer's state message names: its text is the state's
    /// number, `b"3"` for active. `None` for anything else.
    pub fn from_peer_message(text: &[u8]) -> Option<Self> {
        match text {
            b"1" => Some(Event::PeerPrimary),
            b"2" => Some(Event::PeerBackup),
            b"3" => Some(Event::PeerActive),
            b"4" => Some(Event::PeerPassive),
            _ => None,
        }
    }
}

/// The role a server takes on in a transition, for the callbacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// It became active.
    Master,
    /// It became passive.
    Slave,
}

/// A transition the state machine refuses to make because the pair would
/// be broken: the server stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fatal {
    /// Both servers are active: split brain.
    DualMasters,
    /// Both servers are passive: nobody would serve clients.
    DualSlaves,
}

impl Fatal {
    /// The line the server prints before it stops.
    pub fn message(self) -> &'static str {
        match self {
            Fatal::DualMasters => "E: fatal error - dual masters, aborting",
            Fatal::DualSlaves => "E: fatal error - dual slaves, aborting",
        }
    }
}

impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Fatal::DualMasters => "dual masters",
            Fatal::DualSlaves => "dual slaves",
        })
    }
}

/// What the state machine made of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// For a client request: whether to serve it (always true for the
    /// peer's state messages).
    pub accept: bool,
    /// The line to print about the transition, if one happened.
    pub message: Option<&'static str>,
    /// The callback to run about the transition, if any.
    pub role: Option<Role>,
}

/// The Binary Star finite state machine, apart from any socket, so it can be
/// driven (and tested) with explicit events and times.
#[derive(Debug, Clone)]
pub struct Fsm {
    state: State,
    /// When the peer counts as dead unless it speaks before.
    peer_expiry: Instant,
    /// How long the peer may stay silent.
    peer_silence: Duration,
}

impl Fsm {
    /// A primary's (`primary`) or a backup's machine, whose peer counts as
    /// dead `peer_silence` after `now` or after it last spoke.
    pub fn new(primary: bool, now: Instant, peer_silence: Duration) -> Self {
        Fsm {
            state: if primary {
                State::Primary
            } else {
                State::Backup
            },
            peer_expiry: now + peer_silence,
            peer_silence,
        }
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// The peer spoke at `now`: it lives for another `peer_silence`.
    pub fn update_peer_expiry(&mut self, now: Instant) {
        self.peer_expiry = now + self.peer_silence;
    }

    /// Applies `event`, happening at `now`, to the state.
    ///
    /// # Errors
    ///
    /// [`Fatal`] when the peer's state makes the pair unusable; the state
    /// is left as it was.
    pub fn execute(&mut self, event: Event, now: Instant) -> Result<Decision, Fatal> {
        let mut decision = Decision {
            accept: true,
            message: None,
            role: None,
        };
        let mut become_ = |state: &mut State, to: State, message, role| {
            *state = to;
            decision.message = Some(message);
            decision.role = role;
        };
        match self.state {
            // Waiting for the backup; clients are served once it has had
            // time to show up.
            State::Primary => match event {
                Event::PeerBackup => become_(
                    &mut self.state,
                    State::Active,
                    "I: connected to backup (slave), ready as master",
                    Some(Role::Master),
                ),
                Event::PeerActive => become_(
                    &mut self.state,
                    State::Passive,
                    "I: connected to backup (master), ready as slave",
                    Some(Role::Slave),
                ),
                Event::ClientRequest if now >= self.peer_expiry => become_(
                    &mut self.state,
                    State::Active,
                    "I: request from client, ready as master",
                    Some(Role::Master),
                ),
                // The backup may have taken over while we were away: no
                // answers before we know.
                Event::ClientRequest => decision.accept = false,
                Event::PeerPrimary | Event::PeerPassive => {}
            },
            // Waiting for the primary; clients are never served from here.
            State::Backup => match event {
                Event::PeerActive => become_(
                    &mut self.state,
                    State::Passive,
                    "I: connected to primary (master), ready as slave",
                    Some(Role::Slave),
                ),
                Event::ClientRequest => decision.accept = false,
                Event::PeerPrimary | Event::PeerBackup | Event::PeerPassive => {}
            },
            // Serving; only death ends this state.
            State::Active => match event {
                Event::PeerActive => return Err(Fatal::DualMasters),
                Event::PeerPrimary
                | Event::PeerBackup
                | Event::PeerPassive
                | Event::ClientRequest => {}
            },
            // Standing by: a restarting peer hands over, a request after
            // the peer fell silent takes over.
            State::Passive => {
                match event {
                    Event::PeerPrimary => become_(
                        &mut self.state,
                        State::Active,
                        "I: primary (slave) is restarting, ready as master",
                        None,
                    ),
                    Event::PeerBackup => become_(
                        &mut self.state,
                        State::Active,
                        "I: backup (slave) is restarting, ready as master",
                        None,
                    ),
                    Event::PeerPassive => return Err(Fatal::DualSlaves),
                    Event::ClientRequest if now >= self.peer_expiry => become_(
                        &mut self.state,
                        State::Active,
                        "I: failover successful, ready as master",
                        None,
                    ),
                    Event::ClientRequest => decision.accept = false,
                    Event::PeerActive => {}
                }
                if self.state == State::Active {
                    decision.role = Some(Role::Master);
                }
            }
        }
        Ok(decision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SILENCE: Duration = Duration::from_secs(2);

    /// A machine in `state`, its peer heard at `start`.
    fn fsm_in(state: State, start: Instant) -> Fsm {
        let mut fsm = Fsm::new(state != State::Backup, start, SILENCE);
        fsm.state = state;
        fsm
    }

    fn accepted(message: Option<&'static str>, role: Option<Role>) -> Decision {
        Decision {
            accept: true,
            message,
            role,
        }
    }

    const NOTHING: Decision = Decision {
        accept: true,
        message: None,
        role: None,
    };

    const REFUSED: Decision = Decision {
        accept: false,
        message: None,
        role: None,
    };

    #[test]
    fn primary_and_backup_meet_as_master_and_slave() {
        let now = Instant::now();
        let mut primary = Fsm::new(true, now, SILENCE);
        let mut backup = Fsm::new(false, now, SILENCE);
        assert_eq!(primary.state(), State::Primary);
        assert_eq!(backup.state(), State::Backup);

        // The backup's first heartbeat reaches the primary...
        assert_eq!(
            primary.execute(Event::PeerBackup, now),
            Ok(accepted(
                Some("I: connected to backup (slave), ready as master"),
                Some(Role::Master)
            ))
        );
        assert_eq!(primary.state(), State::Active);
        // ... whose next one says it is active.
        assert_eq!(
            backup.execute(Event::PeerActive, now),
            Ok(accepted(
                Some("I: connected to primary (master), ready as slave"),
                Some(Role::Slave)
            ))
        );
        assert_eq!(backup.state(), State::Passive);
        // Both now hear "passive" and "active" without changing.
        assert_eq!(primary.execute(Event::PeerPassive, now), Ok(NOTHING));
        assert_eq!(backup.execute(Event::PeerActive, now), Ok(NOTHING));
        assert_eq!(
            (primary.state(), backup.state()),
            (State::Active, State::Passive)
        );
    }

    #[test]
    fn a_primary_that_finds_an_active_backup_becomes_slave() {
        let now = Instant::now();
        let mut primary = Fsm::new(true, now, SILENCE);
        assert_eq!(
            primary.execute(Event::PeerActive, now),
            Ok(accepted(
                Some("I: connected to backup (master), ready as slave"),
                Some(Role::Slave)
            ))
        );
        assert_eq!(primary.state(), State::Passive);
    }

    #[test]
    fn a_lone_primary_refuses_clients_until_the_peer_has_had_its_chance() {
        let start = Instant::now();
        let mut primary = Fsm::new(true, start, SILENCE);
        assert_eq!(primary.execute(Event::ClientRequest, start), Ok(REFUSED));
        assert_eq!(primary.state(), State::Primary);
        assert_eq!(
            primary.execute(Event::ClientRequest, start + SILENCE),
            Ok(accepted(
                Some("I: request from client, ready as master"),
                Some(Role::Master)
            ))
        );
        assert_eq!(primary.state(), State::Active);
    }

    #[test]
    fn a_backup_never_serves_clients_before_meeting_the_primary() {
        let start = Instant::now();
        let mut backup = Fsm::new(false, start, SILENCE);
        for later in [Duration::ZERO, SILENCE, 100 * SILENCE] {
            assert_eq!(
                backup.execute(Event::ClientRequest, start + later),
                Ok(REFUSED)
            );
            assert_eq!(backup.state(), State::Backup);
        }
        // Nor does a peer that is not active move it.
        for event in [Event::PeerPrimary, Event::PeerBackup, Event::PeerPassive] {
            assert_eq!(backup.execute(event, start), Ok(NOTHING));
            assert_eq!(backup.state(), State::Backup);
        }
    }

    #[test]
    fn a_passive_server_fails_over_only_when_its_peer_fell_silent() {
        let start = Instant::now();
        let mut slave = fsm_in(State::Passive, start);
        // The master lives: requests are refused.
        assert_eq!(slave.execute(Event::ClientRequest, start), Ok(REFUSED));
        slave.update_peer_expiry(start + SILENCE);
        assert_eq!(
            slave.execute(Event::ClientRequest, start + SILENCE),
            Ok(REFUSED)
        );
        assert_eq!(slave.state(), State::Passive);
        // Two heartbeats of silence, then a client asks: take over.
        assert_eq!(
            slave.execute(Event::ClientRequest, start + 2 * SILENCE),
            Ok(accepted(
                Some("I: failover successful, ready as master"),
                Some(Role::Master)
            ))
        );
        assert_eq!(slave.state(), State::Active);
    }

    #[test]
    fn a_passive_server_takes_over_from_a_restarting_peer() {
        let now = Instant::now();
        for (event, message) in [
            (
                Event::PeerPrimary,
                "I: primary (slave) is restarting, ready as master",
            ),
            (
                Event::PeerBackup,
                "I: backup (slave) is restarting, ready as master",
            ),
        ] {
            let mut slave = fsm_in(State::Passive, now);
            assert_eq!(
                slave.execute(event, now),
                Ok(accepted(Some(message), Some(Role::Master)))
            );
            assert_eq!(slave.state(), State::Active);
        }
    }

    #[test]
    fn two_masters_or_two_slaves_are_refused_as_fatal() {
        let now = Instant::now();
        let mut master = fsm_in(State::Active, now);
        assert_eq!(
            master.execute(Event::PeerActive, now),
            Err(Fatal::DualMasters)
        );
        assert_eq!(master.state(), State::Active);
        assert_eq!(
            Fatal::DualMasters.message(),
            "E: fatal error - dual masters, aborting"
        );

        let mut slave = fsm_in(State::Passive, now);
        assert_eq!(
            slave.execute(Event::PeerPassive, now),
            Err(Fatal::DualSlaves)
        );
        assert_eq!(slave.state(), State::Passive);
        assert_eq!(
            Fatal::DualSlaves.message(),
            "E: fatal error - dual slaves, aborting"
        );
    }

    #[test]
    fn an_active_server_serves_every_request_and_ignores_other_peers() {
        let now = Instant::now();
        let mut master = fsm_in(State::Active, now);
        for event in [
            Event::ClientRequest,
            Event::PeerPrimary,
            Event::PeerBackup,
            Event::PeerPassive,
        ] {
            assert_eq!(master.execute(event, now + 10 * SILENCE), Ok(NOTHING));
            assert_eq!(master.state(), State::Active);
        }
    }

    #[test]
    fn peer_messages_are_state_numbers() {
        assert_eq!(Event::from_peer_message(b"1"), Some(Event::PeerPrimary));
        assert_eq!(Event::from_peer_message(b"4"), Some(Event::PeerPassive));
        // A peer never reports a client request, nor anything else.
        for text in [&b"5"[..], b"0", b"", b"active", b"33"] {
            assert_eq!(Event::from_peer_message(text), None);
        }
    }
}
