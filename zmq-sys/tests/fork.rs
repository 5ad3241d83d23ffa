//! libzmq's fork protection: built with HAVE_FORK, it compares getpid() with
//! the pid that created a context before each signal, so a forked child
//! never signals its parent's threads through the descriptors it inherited.
//! The vendored build answers libzmq's getpid() from a cache that a
//! pthread_atfork handler refreshes (build/getpid_cache.c); these tests prove
//! the protection still works: a stale cache would make the child's
//! zmq_ctx_term wait forever for threads that only the parent has, and
//! signal the parent's sockets, whose next receive would then abort.
#![cfg(target_os = "linux")]

use std::ffi::{c_int, c_void};

/// `zmq_ctx_term` in the child returns (or the alarm ends the child).
const CHILD_DEADLINE_SECONDS: u32 = 5;

fn check(rc: c_int, call: &str) {
    // SAFETY: zmq_errno reads this thread's errno.
    assert!(rc >= 0, "{call} failed: errno {}", unsafe {
        zmq_sys::zmq_errno()
    });
}

fn socket(ctx: *mut c_void, kind: c_int) -> *mut c_void {
    // SAFETY: ctx is a live context.
    let s = unsafe { zmq_sys::zmq_socket(ctx, kind) };
    assert!(!s.is_null(), "zmq_socket failed");
    let timeout: c_int = 2000;
    // SAFETY: s is a live socket; the option value is an int.
    check(
        unsafe {
            zmq_sys::zmq_setsockopt(
                s,
                zmq_sys::ZMQ_RCVTIMEO as c_int,
                (&raw const timeout).cast(),
                size_of::<c_int>(),
            )
        },
        "zmq_setsockopt",
    );
    s
}

/// Sends `text` on `from` and receives it on `to` (2 s receive timeout).
fn relay(from: *mut c_void, to: *mut c_void, text: &[u8]) {
    // SAFETY: both sockets are live; the buffers outlive the calls.
    unsafe {
        check(
            zmq_sys::zmq_send(from, text.as_ptr().cast(), text.len(), 0),
            "zmq_send",
        );
        let mut buffer = [0u8; 16];
        let n = zmq_sys::zmq_recv(to, buffer.as_mut_ptr().cast(), buffer.len(), 0);
        check(n, "zmq_recv");
        assert_eq!(&buffer[..n as usize], text);
    }
}

#[test]
fn forked_child_terminates_inherited_context_without_touching_the_parent() {
    // SAFETY: plain libzmq calls on objects this test owns; the child only
    // calls zmq_ctx_term and _exit.
    unsafe {
        let ctx = zmq_sys::zmq_ctx_new();
        assert!(!ctx.is_null());
        let a = socket(ctx, zmq_sys::ZMQ_PAIR as c_int);
        let b = socket(ctx, zmq_sys::ZMQ_PAIR as c_int);
        check(zmq_sys::zmq_bind(a, c"inproc://fork".as_ptr()), "zmq_bind");
        check(
            zmq_sys::zmq_connect(b, c"inproc://fork".as_ptr()),
            "zmq_connect",
        );
        relay(a, b, b"before");

        let pid = libc::fork();
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            // The child: a hang is ended by SIGALRM.
            libc::alarm(CHILD_DEADLINE_SECONDS);
            let rc = zmq_sys::zmq_ctx_term(ctx);
            let interrupted = rc == -1 && zmq_sys::zmq_errno() == libc::EINTR;
            libc::_exit(if interrupted { 0 } else { 3 });
        }
        let mut status = 0;
        assert_eq!(libc::waitpid(pid, &mut status, 0), pid);
        assert!(
            libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
            "the child's zmq_ctx_term did not return EINTR at once (wait status {status:#x}: \
             exit 3 = another result, signal 14 = it hung)"
        );

        // The parent's sockets and context are untouched.
        relay(b, a, b"after");
        check(zmq_sys::zmq_close(a), "zmq_close");
        check(zmq_sys::zmq_close(b), "zmq_close");
        check(zmq_sys::zmq_ctx_term(ctx), "zmq_ctx_term");
    }
}
