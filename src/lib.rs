//! Shared helpers of the guide examples, tests and benchmarks, and the
//! reusable APIs of the guide's chapter 4 (reliable request-reply) that
//! several of its programs share: the Majordomo protocol ([`mdp`]) with its
//! client ([`mdcliapi`]) and worker ([`mdwrkapi`]) sides, and the Binary
//! Star reactor ([`bstar`]).

pub mod bstar;
pub mod endpoint;
#[cfg(feature = "tokio")]
pub mod event_loop;
pub mod logging;
pub mod mdcliapi;
pub mod mdp;
pub mod mdwrkapi;
pub mod memory;
pub mod perf;
pub mod pyfmt;
pub mod settings;
pub mod simulate;
pub mod zhelpers;

pub use endpoint::endpoint;
pub use settings::setting;
