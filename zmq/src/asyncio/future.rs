//! The futures of [`AsyncSocket`](super::AsyncSocket)'s one-frame sends and
//! receives: plain structs whose `poll` is always inlined, so that a call
//! that completes at once (the common case, see `Core::poll_io`) costs the
//! awaiting future no function call and no state machine of its own.

use std::borrow::BorrowMut;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::readiness::Core;
use crate::error::Result;
use crate::flags::SendFlags;
use crate::message::Message;

/// Sends one frame, owned (`Message`) or lent (`&mut Message`, left empty
/// once sent).
#[derive(Debug)]
pub(crate) struct SendFrame<'a, M> {
    core: &'a mut Core,
    msg: M,
    flags: SendFlags,
}

impl<'a, M: BorrowMut<Message> + Unpin> SendFrame<'a, M> {
    #[inline(always)]
    pub(crate) fn new(core: &'a mut Core, msg: M, flags: SendFlags) -> Self {
        Self { core, msg, flags }
    }
}

impl<M: BorrowMut<Message> + Unpin> Future for SendFrame<'_, M> {
    type Output = Result<()>;

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        this.core
            .poll_send_msg(cx, this.msg.borrow_mut(), this.flags)
    }
}

/// Receives one frame into a lent message.
#[derive(Debug)]
pub(crate) struct RecvFrame<'a> {
    core: &'a mut Core,
    msg: &'a mut Message,
}

impl<'a> RecvFrame<'a> {
    #[inline(always)]
    pub(crate) fn new(core: &'a mut Core, msg: &'a mut Message) -> Self {
        Self { core, msg }
    }
}

impl Future for RecvFrame<'_> {
    type Output = Result<()>;

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        this.core.poll_recv_msg(cx, this.msg)
    }
}
