//! What the Rust ports of libzmq's perf tools (`src/bin/local_thr.rs`, ...)
//! share with the C++ originals: `atoi`'s reading of arguments and the
//! `error in zmq_xxx: <strerror>` report on failure, so a port takes the
//! same arguments and prints the same lines as its original.

/// Reads a number the way C's `atoi` does: optional leading whitespace and
/// sign, then as many decimal digits as there are; anything else reads as
/// 0 (and a value past `i32` saturates instead of being undefined).
///
/// ```
/// use zmq_guide::perf::port::atoi;
///
/// assert_eq!(atoi("1024"), 1024);
/// assert_eq!(atoi("  64kB"), 64);
/// assert_eq!(atoi("-3"), -3);
/// assert_eq!(atoi("many"), 0);
/// ```
pub fn atoi(text: &str) -> i32 {
    let text = text.trim_start();
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = digits
        .bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0i64, |n, d| (n * 10 + i64::from(d - b'0')).min(1 << 32));
    let value = if negative { -magnitude } else { magnitude };
    i32::try_from(value).unwrap_or(if negative { i32::MIN } else { i32::MAX })
}

/// The `message_size` argument: `atoi`, then C's conversion to `size_t`
/// (a negative size would wrap; it is refused here instead).
pub fn size_arg(text: &str) -> usize {
    usize::try_from(atoi(text)).unwrap_or(0)
}

/// The value of a libzmq call, or, on failure, the original's report
/// `error in <call>: <zmq_strerror text>` on stdout and exit status -1
/// (255), as the C++ tools do.
#[inline(always)]
pub fn or_exit<T>(result: zmq::Result<T>, call: &str) -> T {
    or_exit_with(result, call, -1)
}

/// [`or_exit`] with another exit status: the originals' worker threads
/// `exit (1)` where `main` returns -1.
///
/// Inlined, with the failure path kept out of line, so checking a call in a
/// timed loop costs a compare and a branch, like the originals' `if (rc)`.
#[inline(always)]
pub fn or_exit_with<T>(result: zmq::Result<T>, call: &str, status: i32) -> T {
    match result {
        Ok(value) => value,
        Err(e) => report_and_exit(call, &e, status),
    }
}

#[cold]
#[inline(never)]
fn report_and_exit(call: &str, e: &zmq::Error, status: i32) -> ! {
    println!("error in {call}: {}", e.message());
    std::process::exit(status)
}

/// Prints `line` on stdout and exits with status -1 (255), as the C++ tools
/// do with `printf (...); return -1;`.
pub fn exit_with(line: &str) -> ! {
    println!("{line}");
    std::process::exit(-1)
}

/// Runs an async port's `main` on a tokio current-thread runtime with I/O
/// (feature `tokio`), exiting like a failed call if the runtime cannot
/// start. The ports wait for nothing but their sockets, so the runtime has
/// no timers, whose upkeep would be counted against every wait.
#[cfg(feature = "tokio")]
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
    {
        Ok(runtime) => runtime.block_on(future),
        Err(e) => exit_with(&format!("error in tokio runtime: {e}")),
    }
}

/// Socket options for a tuned run of the tcp tools, from the environment
/// (where the originals say "Add your socket options here"; libzmq's C++
/// tools read none of these): `ZMQ_PERF_BATCH_SIZE` sets
/// `ZMQ_IN_BATCH_SIZE` and `ZMQ_OUT_BATCH_SIZE` (bytes; draft options, so
/// the build needs the `draft` feature), `ZMQ_PERF_IN_BATCH_SIZE` or
/// `ZMQ_PERF_OUT_BATCH_SIZE` one of them, `ZMQ_PERF_SNDBUF` and
/// `ZMQ_PERF_RCVBUF` the kernel's buffers (`ZMQ_SNDBUF`, `ZMQ_RCVBUF`).
/// Unset variables leave libzmq's defaults. A value that is not a number,
/// or a batch size in a build without `draft`, exits like a failed call.
/// `cargo bench --bench compare -- --batch-size N` runs the ports with it.
pub fn tune(socket: &zmq::Socket) {
    let batch = env_int("ZMQ_PERF_BATCH_SIZE");
    let in_batch = env_int("ZMQ_PERF_IN_BATCH_SIZE").or(batch);
    let out_batch = env_int("ZMQ_PERF_OUT_BATCH_SIZE").or(batch);
    #[cfg(feature = "draft")]
    {
        if let Some(size) = in_batch {
            or_exit(
                socket.set(zmq::sockopt::InBatchSize, size),
                "zmq_setsockopt",
            );
        }
        if let Some(size) = out_batch {
            or_exit(
                socket.set(zmq::sockopt::OutBatchSize, size),
                "zmq_setsockopt",
            );
        }
    }
    #[cfg(not(feature = "draft"))]
    if in_batch.is_some() || out_batch.is_some() {
        exit_with("error in zmq_setsockopt: batch sizes need the draft feature");
    }
    if let Some(size) = env_int("ZMQ_PERF_SNDBUF") {
        or_exit(socket.set(zmq::sockopt::SndBuf, size), "zmq_setsockopt");
    }
    if let Some(size) = env_int("ZMQ_PERF_RCVBUF") {
        or_exit(socket.set(zmq::sockopt::RcvBuf, size), "zmq_setsockopt");
    }
}

/// The number in environment variable `name`, `None` when it is unset.
fn env_int(name: &str) -> Option<i32> {
    let text = std::env::var(name).ok()?;
    match text.trim().parse() {
        Ok(n) => Some(n),
        Err(_) => exit_with(&format!("{name}={text}: not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoi_stops_at_the_first_non_digit_like_c() {
        assert_eq!(atoi("65536"), 65536);
        assert_eq!(atoi("\t+12x"), 12);
        assert_eq!(atoi(""), 0);
        assert_eq!(atoi("-"), 0);
        assert_eq!(atoi("99999999999999999999"), i32::MAX);
        assert_eq!(atoi("-99999999999999999999"), i32::MIN);
    }

    #[test]
    fn negative_sizes_read_as_zero() {
        assert_eq!(size_arg("-1"), 0);
        assert_eq!(size_arg("1024"), 1024);
    }
}
