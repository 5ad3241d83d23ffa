//! The ZAP service of a context: one thread, started the first time a
//! server is configured through [`Security`](crate::Security) or an
//! [`Authenticator`](super::Authenticator) starts, that answers every ZAP
//! request of the context for as long as the context lives.
//!
//! libzmq 4.3's stable API lets a CURVE client in unchecked when nobody
//! is bound at the ZAP endpoint (and a NULL client of a server with a ZAP
//! domain): a server whose authenticator had stopped admitted anyone.
//! With this service bound, an authenticator is a set of rules installed
//! in it: while one is installed the service applies it, and otherwise it
//! refuses every request. Stopping an authenticator removes its rules
//! under the same lock the service answers under, so there is no moment
//! when the endpoint is free or a request goes unchecked.

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::Shared;
use super::zap::{ZAP_ENDPOINT, ZapReply, ZapRequest};
use crate::context::{Context, InternalSocket};
use crate::error::{Error, ErrorKind, Result};
use crate::flags::{RecvFlags, SendFlags};
use crate::message::Message;
use crate::raw_socket;
use crate::socket::SocketType;

/// How long the service waits before receiving again after an error, so
/// that an error that repeats does not spin a core.
const ERROR_BACKOFF: Duration = Duration::from_millis(100);

/// The status text of a refusal while no authenticator runs.
const NO_AUTHENTICATOR: &str = "No authenticator is running";

/// What the service and the authenticators of its context share.
#[derive(Debug, Default)]
pub(crate) struct ZapSlot {
    /// The rules of the running authenticator; `None`: refuse everyone.
    installed: Mutex<Option<Arc<Shared>>>,
    /// Cleared when the service thread ends (the context shut down).
    ended: AtomicBool,
}

impl ZapSlot {
    /// The installed rules, locked: the service holds this lock while it
    /// decides a request, so whoever changes them waits for that.
    pub(super) fn installed(&self) -> MutexGuard<'_, Option<Arc<Shared>>> {
        self.installed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the service thread still answers.
    pub(super) fn is_serving(&self) -> bool {
        !self.ended.load(Ordering::Acquire)
    }
}

/// Binds the ZAP endpoint of `ctx` and starts the thread that answers on
/// it. `Err` of kind [`AddrInUse`](ErrorKind::AddrInUse) if a socket of
/// the application holds the endpoint.
pub(crate) fn start(ctx: &Context) -> Result<Arc<ZapSlot>> {
    // A ROUTER rather than a REP: it has no send/receive state that a
    // failed reply could leave stuck, so the service keeps answering.
    let zap = ctx.internal_socket(SocketType::Router)?;
    // SAFETY: the socket is live.
    unsafe { raw_socket::endpoint_call(zap.as_raw(), ZAP_ENDPOINT, "bind", zmq_sys::zmq_bind) }
        .map_err(|e| {
            if e.kind() == ErrorKind::AddrInUse {
                e.context("a socket of the application is the ZAP handler of this context")
            } else {
                e
            }
        })?;
    let slot = Arc::new(ZapSlot::default());
    let theirs = Arc::clone(&slot);
    ctx.spawn_background("zmq-zap", move || {
        serve(&zap, &theirs);
        theirs.ended.store(true, Ordering::Release);
    })?;
    Ok(slot)
}

/// Makes sure `ctx` has its ZAP service, for a server socket configured
/// through [`Security`](crate::Security). A ZAP handler of the
/// application's own, bound before, is left in charge.
pub(crate) fn ensure(ctx: &Context) -> Result<()> {
    match ctx.zap_slot(start) {
        Err(e) if e.kind() == ErrorKind::AddrInUse => Ok(()),
        other => other.map(drop),
    }
}

/// Answers requests until the context is shut down.
fn serve(zap: &InternalSocket, slot: &ZapSlot) {
    loop {
        let result = recv_frames(zap.as_raw()).and_then(|frames| answer(zap, slot, &frames));
        match result {
            Ok(()) => {}
            Err(e) => match e.kind() {
                ErrorKind::Terminated => return,
                ErrorKind::Interrupted | ErrorKind::Again => {}
                _ => {
                    if let Some(shared) = &*slot.installed() {
                        shared.record(e.context("authenticator: answering a ZAP request"));
                    }
                    std::thread::sleep(ERROR_BACKOFF);
                }
            },
        }
    }
}

/// Receives every frame of the next message, blocking.
fn recv_frames(socket: *mut c_void) -> Result<Vec<Vec<u8>>> {
    let mut frames = Vec::new();
    let mut msg = Message::new();
    loop {
        // SAFETY: the socket is live (owned by the calling thread).
        unsafe { raw_socket::recv_message(socket, &mut msg, RecvFlags::empty()) }?;
        frames.push(msg.to_vec());
        if !msg.more() {
            return Ok(frames);
        }
    }
}

/// Decides one request and sends the reply. A request that does not
/// parse gets a 400 naming the problem, as pyzmq's authenticator does; a
/// message without the empty delimiter frame libzmq (and REQ) put before
/// a request has nowhere to go and is dropped.
fn answer(zap: &InternalSocket, slot: &ZapSlot, frames: &[Vec<u8>]) -> Result<()> {
    let Some(delimiter) = frames.iter().position(Vec::is_empty) else {
        return Ok(());
    };
    let (envelope, body) = frames.split_at(delimiter + 1);
    let reply = match ZapRequest::parse(body) {
        Ok(request) => decide(slot, &request),
        Err(bad) => bad.reply,
    };
    let reply = reply.to_frames();
    let frames: Vec<&[u8]> = envelope
        .iter()
        .chain(reply.iter())
        .map(Vec::as_slice)
        .collect();
    // A ROUTER drops a reply to a peer that has gone instead of blocking.
    for (index, frame) in frames.iter().enumerate() {
        let more = if index + 1 < frames.len() {
            SendFlags::SNDMORE
        } else {
            SendFlags::empty()
        };
        // SAFETY: the socket is live (owned by the calling thread).
        unsafe {
            raw_socket::send_message(
                zap.as_raw(),
                Message::from(frame.to_vec()),
                more | SendFlags::DONTWAIT,
            )
        }?;
    }
    Ok(())
}

/// The installed rules' reply, or a refusal when none are installed.
fn decide(slot: &ZapSlot, request: &ZapRequest) -> ZapReply {
    match &*slot.installed() {
        Some(shared) => {
            // The rules are read under their lock, a custom handler runs
            // after it is released (it may take its time).
            let verdict = super::lock(&shared.policy).prepare(request);
            verdict.reply(request)
        }
        None => ZapReply::deny(request.request_id.clone(), NO_AUTHENTICATOR),
    }
}

impl Shared {
    /// Keeps `error` as the last one the service met for this
    /// authenticator.
    pub(super) fn record(&self, error: Error) {
        *self
            .last_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(error);
    }
}
