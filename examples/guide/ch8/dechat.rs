//! Decentralized chat
//!
//! Port of the zguide's `examples/Python/dechat.py`: `dechat INTERFACE
//! [USER]` publishes each line typed on stdin as `USER: line` on port 9000
//! of the interface's address (a PUB bound to `tcp://INTERFACE:9000`), and
//! a listener thread subscribes to port 9000 of every address X.Y.Z.1 to
//! X.Y.Z.254 of the interface's /24 and prints what it hears, its own
//! lines included. USER defaults to `$USER`. Ctrl-C (or the end of stdin)
//! ends it.
//!
//! On the loopback interface (`dechat lo`) every address 127.0.0.1 to
//! 127.0.0.254 stays on this host. The interface's IPv4 address comes from
//! `getifaddrs`, where the original uses the `netifaces` package.
//!
//! Difference: the end of stdin ends the chat as Ctrl-C does, where the
//! original fails with EOFError.

use std::collections::BTreeMap;
use std::ffi::CStr;
use std::fs::File;
use std::io::Read;
use std::net::Ipv4Addr;
use std::os::fd::AsFd;
use std::thread;
use std::time::Duration;

use zmq::{ErrorKind, PollEvents, PollItem, SocketType, interrupt, sockopt};
use zmq_guide::endpoint;

/// The interfaces of this host with their first IPv4 address, if any, in
/// the order the system lists them (the original's `netifaces`).
fn interfaces() -> std::io::Result<Vec<(String, Option<Ipv4Addr>)>> {
    let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs writes a pointer to a list it allocates, freed
    // below with freeifaddrs.
    if unsafe { libc::getifaddrs(&mut list) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let mut names: Vec<String> = Vec::new();
    let mut addresses: BTreeMap<String, Ipv4Addr> = BTreeMap::new();
    let mut entry = list;
    while !entry.is_null() {
        // SAFETY: `entry` is a node of the list getifaddrs returned, not
        // yet freed.
        let ifa = unsafe { &*entry };
        // SAFETY: ifa_name is a NUL-terminated string owned by the list.
        let name = unsafe { CStr::from_ptr(ifa.ifa_name) }
            .to_string_lossy()
            .into_owned();
        if !names.contains(&name) {
            names.push(name.clone());
        }
        let family = if ifa.ifa_addr.is_null() {
            None
        } else {
            // SAFETY: a non-null ifa_addr points to a sockaddr of the list.
            Some(i32::from(unsafe { (*ifa.ifa_addr).sa_family }))
        };
        if family == Some(libc::AF_INET) {
            // SAFETY: its family says this sockaddr is a sockaddr_in.
            let sin = unsafe { &*ifa.ifa_addr.cast::<libc::sockaddr_in>() };
            let ip = Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr));
            addresses.entry(name).or_insert(ip);
        }
        entry = ifa.ifa_next;
    }
    // SAFETY: `list` came from getifaddrs and is freed once; no reference
    // into it outlives this call.
    unsafe { libc::freeifaddrs(list) };
    Ok(names
        .into_iter()
        .map(|name| {
            let ip = addresses.get(&name).copied();
            (name, ip)
        })
        .collect())
}

/// Prints everything published on port 9000 of X.Y.Z.1 to X.Y.Z.254,
/// `masked` being X.Y.Z, until the context ends.
fn listen(ctx: &zmq::Context, masked: &str) -> zmq::Result<()> {
    let listener = ctx.socket(SocketType::Sub)?;
    for last in 1..255 {
        listener.connect(&endpoint(&format!("tcp://{masked}.{last}:9000")))?;
    }
    listener.subscribe(b"")?;
    loop {
        match listener.recv_string() {
            Ok(line) => println!("{line}"),
            Err(e) if matches!(e.kind(), ErrorKind::Terminated | ErrorKind::Interrupted) => {
                return Ok(());
            }
            Err(e) => return Err(e),
        }
    }
}

/// Exits as argparse does on a bad command line.
fn usage_error(message: &str) -> ! {
    eprintln!("usage: dechat [-h] interface [user]");
    eprintln!("dechat: error: {message}");
    std::process::exit(2);
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Ctrl-C makes the poll on stdin fail instead of killing the process.
    interrupt::catch_signals()?;

    let mut args = std::env::args().skip(1);
    let interfaces = interfaces()?;
    let Some(interface) = args.next() else {
        usage_error("the following arguments are required: interface");
    };
    let Some((_, address)) = interfaces.iter().find(|(name, _)| *name == interface) else {
        let choices: Vec<String> = interfaces.iter().map(|(n, _)| format!("'{n}'")).collect();
        usage_error(&format!(
            "argument interface: invalid choice: '{interface}' (choose from {})",
            choices.join(", ")
        ));
    };
    let user = match args.next() {
        Some(user) => user,
        None => std::env::var("USER").map_err(|_| "USER is not set: name the user")?,
    };
    let address = address.ok_or_else(|| format!("{interface} has no IPv4 address"))?;
    let address = address.to_string();
    let masked = address
        .rsplit_once('.')
        .map_or("", |(net, _)| net)
        .to_owned();

    let ctx = zmq::Context::new()?;

    let listen_ctx = ctx.clone();
    let listen_masked = masked.clone();
    let listen_thread = thread::spawn(move || {
        if let Err(e) = listen(&listen_ctx, &listen_masked) {
            eprintln!("listener: {e}");
        }
    });

    let bcast = ctx.socket(SocketType::Pub)?;
    bcast.bind(&endpoint(&format!("tcp://{interface}:9000")))?;
    println!("starting chat on {interface}:9000 ({masked}.*)");

    // Lines from stdin, read as they come so that Ctrl-C is seen.
    let mut stdin = File::from(std::io::stdin().as_fd().try_clone_to_owned()?);
    let mut typed = Vec::new();
    'chat: loop {
        let mut items = [PollItem::from_fd(stdin.as_fd(), PollEvents::POLLIN)];
        match zmq::poll(&mut items, None) {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => break,
            Err(e) => return Err(e.into()),
        }
        let mut buf = [0u8; 4096];
        let n = stdin.read(&mut buf)?;
        if n == 0 {
            break; // end of input
        }
        typed.extend_from_slice(&buf[..n]);
        while let Some(end) = typed.iter().position(|&byte| byte == b'\n') {
            let line: Vec<u8> = typed.drain(..=end).collect();
            let msg = String::from_utf8_lossy(&line[..end]);
            if bcast.send(format!("{user}: {msg}")).is_err() {
                break 'chat;
            }
        }
    }
    bcast.set(sockopt::Linger, Some(Duration::ZERO))?;
    drop(bcast);
    // Ends the listener's receive.
    ctx.shutdown()?;
    let _ = listen_thread.join();
    Ok(())
}
