//! Endpoint rewriting, so the ported examples keep the original's fixed
//! addresses by default while tests run many of them side by side.
//!
//! Every example passes its literal endpoints through [`endpoint`]. With no
//! environment set it returns them unchanged, so `cargo run --example
//! hwserver` talks to the Python `hwclient.py` on port 5555 as before. The
//! end-to-end tests set:
//!
//! * `ZGUIDE_PORT_OFFSET=N`: add N to the port of `tcp://host:port` and of
//!   the draft `udp://host:port`, and to the UDP ports the examples pass
//!   through [`port`];
//! * `ZGUIDE_IPC_DIR=DIR`: move `ipc://name` into DIR (`ipc://DIR/name`).
//!
//! A value that is set but unusable (an offset that is not a port number, a
//! directory that is not Unicode) ends the process with an error naming the
//! variable, rather than running on the original's ports.

use std::path::Path;

use crate::settings::env_value;

/// Environment variable: a number added to every TCP port.
pub const PORT_OFFSET_VAR: &str = "ZGUIDE_PORT_OFFSET";
/// Environment variable: the directory that holds IPC endpoints.
pub const IPC_DIR_VAR: &str = "ZGUIDE_IPC_DIR";

/// The endpoint to use for `address`, rewritten per the environment.
///
/// # Exits
///
/// With status 2 and a message naming the variable if [`PORT_OFFSET_VAR`]
/// is not a number from 0 to 65535 or [`IPC_DIR_VAR`] is not Unicode.
pub fn endpoint(address: &str) -> String {
    let offset = env_value::<u16>(PORT_OFFSET_VAR).unwrap_or(0);
    let ipc_dir = env_value::<String>(IPC_DIR_VAR);
    rewrite(address, offset, ipc_dir.as_deref())
}

/// The UDP (or other non-ZeroMQ) port to use for the original's `port`,
/// shifted by [`PORT_OFFSET_VAR`] as [`endpoint`] shifts TCP ports: the
/// guide's UDP discovery examples broadcast on port 9999.
///
/// # Exits
///
/// As [`endpoint`] does, on a malformed [`PORT_OFFSET_VAR`].
pub fn port(port: u16) -> u16 {
    port.saturating_add(env_value::<u16>(PORT_OFFSET_VAR).unwrap_or(0))
}

/// [`endpoint`] with its inputs explicit.
pub fn rewrite(address: &str, port_offset: u16, ipc_dir: Option<&str>) -> String {
    if let Some((scheme, rest)) = address.split_once("://")
        && (scheme == "tcp" || scheme == "udp")
        && let Some((host, port)) = rest.rsplit_once(':')
        && let Ok(port) = port.parse::<u16>()
        && port != 0
        && port_offset != 0
    {
        return format!("{scheme}://{host}:{}", port.saturating_add(port_offset));
    }
    if let (Some(name), Some(dir)) = (address.strip_prefix("ipc://"), ipc_dir) {
        let file = Path::new(name)
            .file_name()
            .map_or(name.into(), |f| f.to_string_lossy());
        return format!("ipc://{}", Path::new(dir).join(&*file).display());
    }
    address.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_without_settings() {
        assert_eq!(
            rewrite("tcp://localhost:5555", 0, None),
            "tcp://localhost:5555"
        );
        assert_eq!(rewrite("ipc://weather.ipc", 0, None), "ipc://weather.ipc");
        assert_eq!(
            rewrite("inproc://workers", 7, Some("/tmp")),
            "inproc://workers"
        );
    }

    #[test]
    fn ports_shift_and_wildcards_stay() {
        assert_eq!(rewrite("tcp://*:5556", 1000, None), "tcp://*:6556");
        assert_eq!(
            rewrite("tcp://127.0.0.1:5557", 20, None),
            "tcp://127.0.0.1:5577"
        );
        assert_eq!(rewrite("tcp://*:*", 20, None), "tcp://*:*");
        assert_eq!(rewrite("udp://*:5556", 400, None), "udp://*:5956");
        assert_eq!(
            rewrite("udp://127.0.0.1:5556", 400, None),
            "udp://127.0.0.1:5956"
        );
    }

    #[test]
    fn ipc_moves_into_the_directory() {
        assert_eq!(
            rewrite("ipc://frontend.ipc", 0, Some("/tmp/t1")),
            "ipc://frontend.ipc".replace("ipc://", "ipc:///tmp/t1/")
        );
        assert_eq!(
            rewrite("ipc:///tmp/feed", 0, Some("/run/x")),
            "ipc:///run/x/feed"
        );
    }
}
