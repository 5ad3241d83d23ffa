// A poller may hold classic sockets, so it cannot move to another thread.
//
// Asked with `fn assert_send<T: Send>()`, rustc explains the failure field
// by field down to std's HashMap internals, whose paths change from one
// toolchain to the next. This asks through method resolution instead:
// `sendability` resolves to the `Send` impl when the type is `Send` (a
// `Socket` or `Context` compiles here) and falls back to the other, one
// autoref further, when it is not, so the error names only these types.
use std::marker::PhantomData;

use zmq::Poller;

struct Probe<T>(PhantomData<T>);
struct Sendable;
struct NotSendable;

trait IfSend {
    fn sendability(&self) -> Sendable {
        Sendable
    }
}
impl<T: Send> IfSend for Probe<T> {}

trait Otherwise {
    fn sendability(&self) -> NotSendable {
        NotSendable
    }
}
impl<T> Otherwise for &Probe<T> {}

fn main() {
    let _: Sendable = (&Probe::<Poller<'static, u32>>(PhantomData)).sendability();
}
