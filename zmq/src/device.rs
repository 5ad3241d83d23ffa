//! Devices in pyzmq's sense: a proxy that owns its sockets and runs in a
//! background thread.
//!
//! A [`Device`] describes the two sockets (their types, endpoints and
//! options); [`start`](Device::start) creates and binds them on the calling
//! thread, so a bad endpoint is reported at once and every bind is in place
//! when it returns, then runs the proxy in a new thread and returns a
//! [`DeviceHandle`] to stop and join it. [`MonitoredQueue`] adds a third
//! socket that receives a copy of all traffic.
//!
//! ```
//! use std::time::Duration;
//! use zmq::device::Device;
//! use zmq::{SocketType, sockopt};
//!
//! let ctx = zmq::Context::new()?;
//! let device = Device::streamer(&ctx)
//!     .bind_in("inproc://doc-streamer-in")
//!     .bind_out("inproc://doc-streamer-out")
//!     .start()?;
//!
//! let producer = ctx.socket(SocketType::Push)?;
//! producer.connect("inproc://doc-streamer-in")?;
//! let consumer = ctx.socket(SocketType::Pull)?;
//! consumer.connect("inproc://doc-streamer-out")?;
//! consumer.set(sockopt::RcvTimeo, Some(Duration::from_secs(5)))?;
//! producer.send("work")?;
//! assert_eq!(consumer.recv_string()?, "work");
//!
//! device.stop()?;
//! device.join()?;
//! # Ok::<(), zmq::Error>(())
//! ```

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;

use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::flags::{PollEvents, SendFlags};
use crate::message::Message;
use crate::poll::{PollItem, poll};
use crate::proxy::proxy_steerable;
use crate::socket::{Sendable, Socket, SocketType};

/// Configures a socket before it binds or connects, e.g.
/// `|s| s.set(sockopt::Linger, Some(Duration::ZERO))`.
type Configure = Box<dyn FnOnce(&Socket) -> Result<()> + Send>;

/// One socket of a device: its type, options and endpoints.
struct SocketSpec {
    kind: SocketType,
    configure: Vec<Configure>,
    binds: Vec<String>,
    connects: Vec<String>,
}

impl std::fmt::Debug for SocketSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SocketSpec")
            .field("kind", &self.kind)
            .field("configure", &self.configure.len())
            .field("binds", &self.binds)
            .field("connects", &self.connects)
            .finish()
    }
}

impl SocketSpec {
    fn new(kind: SocketType) -> Self {
        Self {
            kind,
            configure: Vec::new(),
            binds: Vec::new(),
            connects: Vec::new(),
        }
    }

    /// Creates, configures, binds and connects the socket; returns it with
    /// the endpoints actually bound (wildcard ports resolved).
    fn open(self, ctx: &Context) -> Result<(Socket, Vec<String>)> {
        let socket = ctx.socket(self.kind)?;
        for configure in self.configure {
            configure(&socket)?;
        }
        let mut bound = Vec::with_capacity(self.binds.len());
        for endpoint in &self.binds {
            socket.bind(endpoint)?;
            bound.push(socket.last_endpoint()?);
        }
        for endpoint in &self.connects {
            socket.connect(endpoint)?;
        }
        Ok((socket, bound))
    }
}

/// A proxy between an input and an output socket that the device creates
/// and owns; see the [module documentation](self).
#[derive(Debug)]
#[must_use = "a device does nothing until started"]
pub struct Device {
    ctx: Context,
    input: SocketSpec,
    output: SocketSpec,
}

impl Device {
    /// A device of any two socket types.
    ///
    /// A forwarder from a SUB socket must subscribe:
    /// `Device::new(&ctx, SocketType::Sub, SocketType::Pub).configure_in(|s| s.subscribe(""))`.
    pub fn new(ctx: &Context, in_type: SocketType, out_type: SocketType) -> Self {
        Self {
            ctx: ctx.clone(),
            input: SocketSpec::new(in_type),
            output: SocketSpec::new(out_type),
        }
    }

    /// A queue: ROUTER in (clients connect), DEALER out (workers connect).
    pub fn queue(ctx: &Context) -> Self {
        Self::new(ctx, SocketType::Router, SocketType::Dealer)
    }

    /// A forwarder: XSUB in (publishers connect), XPUB out (subscribers
    /// connect); subscriptions travel upstream.
    pub fn forwarder(ctx: &Context) -> Self {
        Self::new(ctx, SocketType::Xsub, SocketType::Xpub)
    }

    /// A streamer: PULL in, PUSH out, for pipelines.
    pub fn streamer(ctx: &Context) -> Self {
        Self::new(ctx, SocketType::Pull, SocketType::Push)
    }

    /// Binds the input socket to `endpoint` when started.
    pub fn bind_in(mut self, endpoint: impl Into<String>) -> Self {
        self.input.binds.push(endpoint.into());
        self
    }

    /// Connects the input socket to `endpoint` when started.
    pub fn connect_in(mut self, endpoint: impl Into<String>) -> Self {
        self.input.connects.push(endpoint.into());
        self
    }

    /// Binds the output socket to `endpoint` when started.
    pub fn bind_out(mut self, endpoint: impl Into<String>) -> Self {
        self.output.binds.push(endpoint.into());
        self
    }

    /// Connects the output socket to `endpoint` when started.
    pub fn connect_out(mut self, endpoint: impl Into<String>) -> Self {
        self.output.connects.push(endpoint.into());
        self
    }

    /// Runs `configure` on the input socket before it binds or connects
    /// (set options, subscribe); its error fails [`start`](Self::start).
    pub fn configure_in(
        mut self,
        configure: impl FnOnce(&Socket) -> Result<()> + Send + 'static,
    ) -> Self {
        self.input.configure.push(Box::new(configure));
        self
    }

    /// Runs `configure` on the output socket before it binds or connects.
    pub fn configure_out(
        mut self,
        configure: impl FnOnce(&Socket) -> Result<()> + Send + 'static,
    ) -> Self {
        self.output.configure.push(Box::new(configure));
        self
    }

    /// Creates and binds the sockets on this thread, then runs
    /// [`proxy_steerable`] between them in a new thread.
    pub fn start(self) -> Result<DeviceHandle> {
        let (input, bound_in) = self.input.open(&self.ctx)?;
        let (output, bound_out) = self.output.open(&self.ctx)?;
        let (control, remote) = control_pair(&self.ctx)?;
        let thread = spawn("zmq-device", move || {
            proxy_steerable(&input, &output, None, &remote)
        })?;
        Ok(DeviceHandle {
            control,
            thread: Some(thread),
            bound_in,
            bound_out,
            bound_mon: Vec::new(),
        })
    }
}

/// A queue that also copies every message it relays to a monitor socket,
/// like pyzmq's `MonitoredQueue`.
///
/// Each copy is the message with one frame prepended: the input prefix
/// (default `b"in"`) for traffic from the input to the output socket, the
/// output prefix (default `b"out"`) for the other way. When both sockets are
/// ROUTERs the first two frames (the two routing ids) are swapped on the way
/// through, so a message addressed to a peer of the other side reaches it.
///
/// A message the other side cannot take yet (no peer, queue full) waits in
/// the device, one per direction, and its side is not read meanwhile; the
/// queue never blocks in a send and always hears `stop`. A copy the
/// monitor socket cannot take at once (no peer yet, queue full) is dropped
/// rather than stalling the traffic.
///
/// ```
/// use std::time::Duration;
/// use zmq::device::{Device, MonitoredQueue};
/// use zmq::{SocketType, sockopt};
///
/// let ctx = zmq::Context::new()?;
/// let device = MonitoredQueue::new(Device::streamer(&ctx).bind_in("inproc://doc-mq-in").bind_out("inproc://doc-mq-out"))
///     .bind_mon("inproc://doc-mq-mon")
///     .start()?;
/// let monitor = ctx.socket(SocketType::Sub)?;
/// monitor.subscribe("")?;
/// monitor.connect("inproc://doc-mq-mon")?;
/// monitor.set(sockopt::RcvTimeo, Some(Duration::from_secs(5)))?;
/// # std::thread::sleep(Duration::from_millis(50)); // let the subscription arrive
///
/// let producer = ctx.socket(SocketType::Push)?;
/// producer.connect("inproc://doc-mq-in")?;
/// let consumer = ctx.socket(SocketType::Pull)?;
/// consumer.connect("inproc://doc-mq-out")?;
/// producer.send("job")?;
/// assert_eq!(consumer.recv_string()?, "job");
/// assert_eq!(monitor.recv_multipart()?, [b"in".to_vec(), b"job".to_vec()]);
/// device.stop()?;
/// device.join()?;
/// # Ok::<(), zmq::Error>(())
/// ```
#[derive(Debug)]
#[must_use = "a device does nothing until started"]
pub struct MonitoredQueue {
    device: Device,
    monitor: SocketSpec,
    in_prefix: Vec<u8>,
    out_prefix: Vec<u8>,
}

impl MonitoredQueue {
    /// Monitors `device`'s traffic on a PUB socket.
    pub fn new(device: Device) -> Self {
        Self {
            device,
            monitor: SocketSpec::new(SocketType::Pub),
            in_prefix: b"in".to_vec(),
            out_prefix: b"out".to_vec(),
        }
    }

    /// Uses a monitor socket of another type than PUB.
    pub fn mon_type(mut self, kind: SocketType) -> Self {
        self.monitor.kind = kind;
        self
    }

    /// Binds the monitor socket to `endpoint` when started.
    pub fn bind_mon(mut self, endpoint: impl Into<String>) -> Self {
        self.monitor.binds.push(endpoint.into());
        self
    }

    /// Connects the monitor socket to `endpoint` when started.
    pub fn connect_mon(mut self, endpoint: impl Into<String>) -> Self {
        self.monitor.connects.push(endpoint.into());
        self
    }

    /// Runs `configure` on the monitor socket before it binds or connects.
    pub fn configure_mon(
        mut self,
        configure: impl FnOnce(&Socket) -> Result<()> + Send + 'static,
    ) -> Self {
        self.monitor.configure.push(Box::new(configure));
        self
    }

    /// The frames that start copies of input→output and output→input
    /// traffic (defaults `b"in"` and `b"out"`).
    pub fn prefixes(
        mut self,
        in_prefix: impl Into<Vec<u8>>,
        out_prefix: impl Into<Vec<u8>>,
    ) -> Self {
        self.in_prefix = in_prefix.into();
        self.out_prefix = out_prefix.into();
        self
    }

    /// Creates and binds the three sockets on this thread, then relays in a
    /// new thread.
    pub fn start(self) -> Result<DeviceHandle> {
        let Self {
            device,
            monitor,
            in_prefix,
            out_prefix,
        } = self;
        let swap_ids =
            device.input.kind == SocketType::Router && device.output.kind == SocketType::Router;
        let (input, bound_in) = device.input.open(&device.ctx)?;
        let (output, bound_out) = device.output.open(&device.ctx)?;
        let (monitor, bound_mon) = monitor.open(&device.ctx)?;
        let (control, remote) = control_pair(&device.ctx)?;
        let relay = Relay { swap_ids, monitor };
        let thread = spawn("zmq-monitored-queue", move || {
            relay.run(&input, &output, &remote, &in_prefix, &out_prefix)
        })?;
        Ok(DeviceHandle {
            control,
            thread: Some(thread),
            bound_in,
            bound_out,
            bound_mon,
        })
    }
}

/// The command that stops a device: what `zmq_proxy_steerable` expects.
const TERMINATE: &str = "TERMINATE";

/// The monitored queue's loop state.
struct Relay {
    swap_ids: bool,
    monitor: Socket,
}

impl Relay {
    fn run(
        &self,
        input: &Socket,
        output: &Socket,
        control: &Socket,
        in_prefix: &[u8],
        out_prefix: &[u8],
    ) -> Result<()> {
        // Each direction holds at most one message its destination has not
        // taken yet. While one waits, its source is not read and the loop
        // polls the destination for room instead: no send ever blocks, so
        // TERMINATE is always heard, even when the peer a message was meant
        // for has just gone away.
        let mut to_output: Option<Vec<Message>> = None;
        let mut to_input: Option<Vec<Message>> = None;
        loop {
            let mut items = [
                PollItem::from_socket(input, interest(&to_output, &to_input)),
                PollItem::from_socket(output, interest(&to_input, &to_output)),
                PollItem::from_socket(control, PollEvents::POLLIN),
            ];
            poll(&mut items, None)?;
            if items[2].is_readable() && control.recv()? == TERMINATE {
                return Ok(());
            }
            if items[0].is_readable() && to_output.is_none() {
                to_output = Some(self.take(input, in_prefix)?);
            }
            if items[1].is_readable() && to_input.is_none() {
                to_input = Some(self.take(output, out_prefix)?);
            }
            deliver(&mut to_output, output)?;
            deliver(&mut to_input, input)?;
        }
    }

    /// Receives one multipart message from `from` and offers a copy, after
    /// `prefix`, to the monitor socket.
    fn take(&self, from: &Socket, prefix: &[u8]) -> Result<Vec<Message>> {
        let mut frames = from.recv_multipart_messages()?;
        if self.swap_ids && frames.len() >= 2 {
            frames.swap(0, 1);
        }
        // A monitor that cannot take the copy at once (no peer, or its
        // queue full) loses it rather than stalling the queue; the frames
        // are only copied once it has taken the prefix.
        let copy = std::iter::once(Message::from(prefix)).chain(frames.iter().cloned());
        offer(&self.monitor, copy)?;
        Ok(frames)
    }
}

/// What to poll a side for: messages if nothing read from it is still
/// waiting, and room to send if something is waiting to go to it.
fn interest(from_here: &Option<Vec<Message>>, to_here: &Option<Vec<Message>>) -> PollEvents {
    let mut events = PollEvents::empty();
    if from_here.is_none() {
        events |= PollEvents::POLLIN;
    }
    if to_here.is_some() {
        events |= PollEvents::POLLOUT;
    }
    events
}

/// Sends the waiting message, if any, when `to` takes it now.
fn deliver(pending: &mut Option<Vec<Message>>, to: &Socket) -> Result<()> {
    if let Some(frames) = pending
        && offer(to, frames.iter_mut())?
    {
        *pending = None;
    }
    Ok(())
}

/// Sends `frames` as one message without blocking; false if `to` has no room
/// for it now.
///
/// Only the first frame can be refused for want of room, and then libzmq has
/// taken nothing: frames passed as `&mut Message` keep their content to be
/// offered again. Once the first frame is in, the rest follows it to the same
/// peer. Should that peer vanish mid-message, libzmq drops the remainder and
/// reports `Again` for one frame; the frames after it must still be sent, for
/// libzmq drops until it sees the message's last frame.
fn offer<I>(to: &Socket, frames: I) -> Result<bool>
where
    I: IntoIterator,
    I::Item: Sendable,
{
    let mut frames = frames.into_iter().peekable();
    let mut first = true;
    while let Some(frame) = frames.next() {
        let more = if frames.peek().is_some() {
            SendFlags::SNDMORE
        } else {
            SendFlags::empty()
        };
        match to.send_with(frame, more | SendFlags::DONTWAIT) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::Again && first => return Ok(false),
            Err(e) if e.kind() == ErrorKind::Again => {}
            Err(e) => return Err(e),
        }
        first = false;
    }
    Ok(true)
}

/// Distinguishes the control endpoints of devices in one process.
static NEXT_CONTROL: AtomicU64 = AtomicU64::new(0);

/// A PAIR pipe over inproc: (the handle's end, the device's end).
fn control_pair(ctx: &Context) -> Result<(Socket, Socket)> {
    let endpoint = format!(
        "inproc://zmq-rs-device-control-{}",
        NEXT_CONTROL.fetch_add(1, Ordering::Relaxed)
    );
    let remote = ctx.socket(SocketType::Pair)?;
    remote.bind(&endpoint)?;
    let control = ctx.socket(SocketType::Pair)?;
    control.connect(&endpoint)?;
    Ok((control, remote))
}

fn spawn(
    name: &str,
    body: impl FnOnce() -> Result<()> + Send + 'static,
) -> Result<JoinHandle<Result<()>>> {
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(body)
        .map_err(|e| {
            Error::from_errno(e.raw_os_error().unwrap_or(libc::EAGAIN))
                .context(format!("spawning the {name} thread"))
        })
}

/// A running device: stop it, join it, read the endpoints it bound.
///
/// Dropping the handle stops the device and waits for its thread.
#[derive(Debug)]
pub struct DeviceHandle {
    control: Socket,
    thread: Option<JoinHandle<Result<()>>>,
    bound_in: Vec<String>,
    bound_out: Vec<String>,
    bound_mon: Vec<String>,
}

impl DeviceHandle {
    /// The endpoints the input socket bound, with wildcard ports resolved
    /// (`tcp://127.0.0.1:*` → `tcp://127.0.0.1:40123`), in `bind_in` order.
    pub fn bound_in(&self) -> &[String] {
        &self.bound_in
    }

    /// The endpoints the output socket bound.
    pub fn bound_out(&self) -> &[String] {
        &self.bound_out
    }

    /// The endpoints the monitor socket of a [`MonitoredQueue`] bound.
    pub fn bound_mon(&self) -> &[String] {
        &self.bound_mon
    }

    /// True once the device's thread has ended.
    pub fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Tells the device to stop; it finishes the message it is relaying,
    /// closes its sockets and ends. Stopping a device that has already ended
    /// is not an error.
    pub fn stop(&self) -> Result<()> {
        match self.control.send_with(TERMINATE, SendFlags::DONTWAIT) {
            // The device's end of the pipe is closed: its thread has ended
            // or is ending.
            Err(e) if e.kind() == ErrorKind::Again => Ok(()),
            result => result,
        }
    }

    /// Waits for the device's thread and returns how the relaying ended:
    /// `Ok(())` after [`stop`](Self::stop), an error otherwise (e.g.
    /// [`ErrorKind::Terminated`] once the context was shut down).
    pub fn join(mut self) -> Result<()> {
        match self.thread.take().map(JoinHandle::join) {
            None => Ok(()),
            Some(Ok(result)) => result,
            // A panic in the device thread (a bug) is passed on.
            Some(Err(panic)) => std::panic::resume_unwind(panic),
        }
    }
}

impl Drop for DeviceHandle {
    fn drop(&mut self) {
        if let Some(thread) = self.thread.take() {
            // Best effort, and never a panic while dropping: the thread's
            // own result is only reported by `join`.
            let _ = self.stop();
            let _ = thread.join();
        }
    }
}
