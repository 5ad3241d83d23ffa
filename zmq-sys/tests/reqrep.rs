//! The link works end to end: a REQ and a REP socket exchange a message over
//! inproc through nothing but the raw FFI.

use std::ffi::{CStr, c_void};
use std::ptr;

fn check(rc: i32, what: &str) {
    if rc == -1 {
        // SAFETY: zmq_strerror returns a static NUL-terminated string.
        let text = unsafe { CStr::from_ptr(zmq_sys::zmq_strerror(zmq_sys::zmq_errno())) };
        panic!("{what} failed: {}", text.to_string_lossy());
    }
}

#[test]
fn req_and_rep_exchange_a_message_over_inproc() {
    // SAFETY: every call gets pointers that are valid for its duration; the
    // sockets are closed before the context is terminated.
    unsafe {
        let ctx = zmq_sys::zmq_ctx_new();
        assert!(!ctx.is_null());
        let rep = zmq_sys::zmq_socket(ctx, zmq_sys::ZMQ_REP);
        let req = zmq_sys::zmq_socket(ctx, zmq_sys::ZMQ_REQ);
        assert!(!rep.is_null() && !req.is_null());
        let timeout: i32 = 5000;
        for socket in [rep, req] {
            let value = ptr::from_ref(&timeout).cast::<c_void>();
            check(
                zmq_sys::zmq_setsockopt(socket, zmq_sys::ZMQ_RCVTIMEO, value, 4),
                "RCVTIMEO",
            );
        }
        check(zmq_sys::zmq_bind(rep, c"inproc://link".as_ptr()), "bind");
        check(
            zmq_sys::zmq_connect(req, c"inproc://link".as_ptr()),
            "connect",
        );

        check(
            zmq_sys::zmq_send(req, b"Hello".as_ptr().cast(), 5, 0),
            "send request",
        );
        let mut buf = [0u8; 16];
        let n = zmq_sys::zmq_recv(rep, buf.as_mut_ptr().cast(), buf.len(), 0);
        check(n, "recv request");
        assert_eq!(&buf[..n as usize], b"Hello");

        check(
            zmq_sys::zmq_send(rep, b"World".as_ptr().cast(), 5, 0),
            "send reply",
        );
        let mut msg = zmq_sys::zmq_msg_t::default();
        check(zmq_sys::zmq_msg_init(&mut msg), "msg init");
        check(zmq_sys::zmq_msg_recv(&mut msg, req, 0), "recv reply");
        let data = zmq_sys::zmq_msg_data(&mut msg).cast::<u8>();
        let reply = std::slice::from_raw_parts(data, zmq_sys::zmq_msg_size(&msg));
        assert_eq!(reply, b"World");
        check(zmq_sys::zmq_msg_close(&mut msg), "msg close");

        check(zmq_sys::zmq_close(req), "close req");
        check(zmq_sys::zmq_close(rep), "close rep");
        check(zmq_sys::zmq_ctx_term(ctx), "ctx term");
    }
}
