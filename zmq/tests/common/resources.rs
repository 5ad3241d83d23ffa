//! What the process holds, read from /proc: open file descriptors and
//! resident memory, for the stress, fault and soak tests that prove nothing
//! grows; and the soft limit on descriptors, raised for tests that open
//! many sockets.

use std::fs;

/// How many file descriptors this process has open (entries of
/// `/proc/self/fd`, minus the one `read_dir` itself holds).
pub fn open_fds() -> usize {
    let entries = fs::read_dir("/proc/self/fd").expect("list /proc/self/fd");
    entries.count().saturating_sub(1)
}

/// The resident set size in bytes (second field of `/proc/self/statm`,
/// in pages).
pub fn rss_bytes() -> u64 {
    let statm = fs::read_to_string("/proc/self/statm").expect("read /proc/self/statm");
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|field| field.parse().ok())
        .expect("statm has a resident field");
    // SAFETY: sysconf only reads a system constant.
    let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    pages * u64::try_from(page_size).expect("a positive page size")
}

/// The resident set size in bytes after the allocator has handed its free
/// memory back to the system (`malloc_trim`), so what remains is what is in
/// use, not what a fragmented heap keeps cached.
pub fn rss_bytes_trimmed() -> u64 {
    // SAFETY: malloc_trim only releases free heap memory; it is safe to
    // call at any time from any thread.
    unsafe { libc::malloc_trim(0) };
    rss_bytes()
}

/// Raises the soft limit on open descriptors to at least `wanted` (capped
/// by the hard limit) and returns the soft limit now in force.
pub fn raise_fd_limit(wanted: u64) -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid rlimit for getrlimit to fill.
    let rc = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    assert_eq!(rc, 0, "getrlimit: {}", std::io::Error::last_os_error());
    if limit.rlim_cur >= wanted {
        return limit.rlim_cur;
    }
    limit.rlim_cur = wanted.min(limit.rlim_max);
    // SAFETY: `limit` is a valid rlimit with rlim_cur <= rlim_max.
    let rc = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) };
    assert_eq!(rc, 0, "setrlimit: {}", std::io::Error::last_os_error());
    limit.rlim_cur
}
