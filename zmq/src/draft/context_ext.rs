//! Draft context options that take strings (`zmq_ctx_set_ext` /
//! `zmq_ctx_get_ext`).

use crate::context::Context;
use crate::error::{Error, Result, check};

/// The longest thread name prefix libzmq accepts.
const PREFIX_MAX: usize = 16;

impl Context {
    /// Prefixes the names of the context's I/O threads with `prefix` (1 to
    /// 16 bytes, no NUL), as seen in `top -H` or a debugger. Set it before
    /// creating the first socket: I/O threads are named when they start.
    ///
    /// ```
    /// let ctx = zmq::Context::new()?;
    /// ctx.set_thread_name_prefix("billing")?;
    /// assert_eq!(ctx.thread_name_prefix()?, "billing");
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_ctx_set_ext")]
    #[doc(alias = "ZMQ_THREAD_NAME_PREFIX")]
    pub fn set_thread_name_prefix(&self, prefix: &str) -> Result<()> {
        if prefix.is_empty() || prefix.len() > PREFIX_MAX || prefix.contains('\0') {
            return Err(Error::invalid_input(format!(
                "thread name prefix {} must be 1 to {PREFIX_MAX} bytes without NUL",
                crate::error::quote(prefix)
            )));
        }
        // libzmq reads a value of sizeof(int) bytes as an integer, so a
        // 4-byte prefix travels with its terminating NUL (which ends the
        // thread name just the same).
        let with_nul = format!("{prefix}\0");
        let value = if prefix.len() == size_of::<std::ffi::c_int>() {
            with_nul.as_bytes()
        } else {
            prefix.as_bytes()
        };
        // SAFETY: the context is live; value points at value.len() readable
        // bytes that libzmq copies.
        check(unsafe {
            zmq_sys::zmq_ctx_set_ext(
                self.as_raw(),
                zmq_sys::ZMQ_THREAD_NAME_PREFIX,
                value.as_ptr().cast(),
                value.len(),
            )
        })
        .map(drop)
        .map_err(|e| e.context("setting ZMQ_THREAD_NAME_PREFIX"))
    }

    /// The prefix of the context's I/O thread names (empty if unset; a
    /// number set through [`ctxopt::ThreadNamePrefix`](crate::ctxopt::ThreadNamePrefix)
    /// reads back as its decimal text).
    #[doc(alias = "zmq_ctx_get_ext")]
    pub fn thread_name_prefix(&self) -> Result<String> {
        // libzmq copies the prefix without a terminator or a length, so the
        // buffer is zeroed, larger than any prefix and not sizeof(int).
        let mut buffer = [0u8; 4 * PREFIX_MAX];
        let mut len = buffer.len();
        // SAFETY: the context is live; buffer holds `len` writable bytes and
        // libzmq writes at most the prefix (checked against `len`).
        check(unsafe {
            zmq_sys::zmq_ctx_get_ext(
                self.as_raw(),
                zmq_sys::ZMQ_THREAD_NAME_PREFIX,
                buffer.as_mut_ptr().cast(),
                &mut len,
            )
        })
        .map_err(|e| e.context("getting ZMQ_THREAD_NAME_PREFIX"))?;
        let end = buffer.iter().position(|&b| b == 0).unwrap_or(buffer.len());
        String::from_utf8(buffer[..end].to_vec())
            .map_err(|_| Error::invalid_input("thread name prefix is not UTF-8"))
    }
}
