//! The context options that shape libzmq's own threads, checked before
//! libzmq acts on them.
//!
//! libzmq 4.3.5 accepts these options with any non-negative value and
//! reads them when the first socket starts the context's threads. What the
//! platform then refuses, it asserts on, killing the process from a call
//! that returned `Ok` long before:
//!
//! * `ZMQ_IO_THREADS` / `ZMQ_MAX_SOCKETS`: `ctx_t::start` sizes one array
//!   by their sum (`i32::MAX` overflows it and a C++ exception crosses into
//!   Rust), every I/O thread opens two descriptors (an eventfd and an
//!   epoll instance: failing that asserts, `epoll.cpp`), and a huge socket
//!   count reserves memory for every slot.
//! * `ZMQ_THREAD_SCHED_POLICY` / `ZMQ_THREAD_PRIORITY`: each thread calls
//!   `pthread_setschedparam` and, for a priority above 0 under a policy
//!   without static priorities, `nice(-20)`, asserting on any failure
//!   (`thread.cpp`): an unknown policy, SCHED_FIFO or SCHED_RR without a
//!   priority in their range or without the privilege, a raised priority
//!   without the privilege.
//! * `ZMQ_THREAD_AFFINITY_CPU_ADD`: each thread pins itself to the CPUs
//!   added and asserts when the OS refuses the set (no CPU of it is one the
//!   process may run on).
//!
//! So values are checked against the platform when set (ranges, the CPUs
//! this process may use, the socket limit libzmq reports), and the
//! combination once more just before the first socket starts the threads:
//! on Linux a probe thread makes exactly libzmq's calls and reports the
//! error libzmq would have asserted on. Elsewhere the scheduling options
//! are refused, since nothing here can check them.

use std::collections::BTreeSet;
use std::ffi::{c_int, c_void};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::ctxopt::IO_THREADS_MAX;
use crate::error::{Error, Result, check_ptr};

/// libzmq's defaults (`ZMQ_THREAD_*_DFLT`): "leave as the OS made it".
const DEFAULT: c_int = -1;

/// What the crate knows of a context's thread options.
#[derive(Debug)]
struct Settings {
    io_threads: c_int,
    policy: c_int,
    priority: c_int,
    cpus: BTreeSet<c_int>,
}

/// The thread options of a context and whether its threads have started.
#[derive(Debug)]
pub(super) struct Threads {
    started: AtomicBool,
    settings: Mutex<Settings>,
}

impl Default for Threads {
    fn default() -> Self {
        Self {
            started: AtomicBool::new(false),
            settings: Mutex::new(Settings {
                io_threads: zmq_sys::ZMQ_IO_THREADS_DFLT,
                policy: DEFAULT,
                priority: DEFAULT,
                cpus: BTreeSet::new(),
            }),
        }
    }
}

impl Threads {
    /// Sets context option `id` to `value` through `apply` (the
    /// `zmq_ctx_set` call) once the value passes the checks that option
    /// needs, and records it for the check at start.
    pub(super) fn set(
        &self,
        ctx: *mut c_void,
        id: c_int,
        value: c_int,
        apply: impl FnOnce() -> Result<()>,
    ) -> Result<()> {
        if !is_thread_option(id) {
            return apply();
        }
        let mut settings = self.settings.lock().unwrap_or_else(PoisonError::into_inner);
        check_value(ctx, id, value, &settings)?;
        apply()?;
        match id {
            zmq_sys::ZMQ_IO_THREADS => settings.io_threads = value,
            zmq_sys::ZMQ_THREAD_SCHED_POLICY => settings.policy = value,
            zmq_sys::ZMQ_THREAD_PRIORITY => settings.priority = value,
            zmq_sys::ZMQ_THREAD_AFFINITY_CPU_ADD => {
                settings.cpus.insert(value);
            }
            zmq_sys::ZMQ_THREAD_AFFINITY_CPU_REMOVE => {
                settings.cpus.remove(&value);
            }
            _ => {}
        }
        Ok(())
    }

    /// `zmq_socket`; before the first one, which starts the context's
    /// threads, the thread options are checked together.
    pub(super) fn create_socket(&self, ctx: *mut c_void, kind: c_int) -> Result<NonNull<c_void>> {
        if !self.started.load(Ordering::Acquire) {
            let settings = self.settings.lock().unwrap_or_else(PoisonError::into_inner);
            if !self.started.load(Ordering::Acquire) {
                check_start(&settings)?;
                // SAFETY: the context is live (the caller holds it).
                let socket = check_ptr(unsafe { zmq_sys::zmq_socket(ctx, kind) })?;
                self.started.store(true, Ordering::Release);
                return Ok(socket);
            }
        }
        // SAFETY: as above.
        check_ptr(unsafe { zmq_sys::zmq_socket(ctx, kind) })
    }
}

fn is_thread_option(id: c_int) -> bool {
    matches!(
        id,
        zmq_sys::ZMQ_IO_THREADS
            | zmq_sys::ZMQ_MAX_SOCKETS
            | zmq_sys::ZMQ_THREAD_SCHED_POLICY
            | zmq_sys::ZMQ_THREAD_PRIORITY
            | zmq_sys::ZMQ_THREAD_AFFINITY_CPU_ADD
            | zmq_sys::ZMQ_THREAD_AFFINITY_CPU_REMOVE
    )
}

#[cold]
fn refuse(what: String) -> Error {
    Error::invalid_input(what)
}

/// The scheduling policies `pthread_setschedparam` accepts here, by name.
#[cfg(target_os = "linux")]
const POLICIES: &[(c_int, &str)] = &[
    (libc::SCHED_OTHER, "SCHED_OTHER"),
    (libc::SCHED_FIFO, "SCHED_FIFO"),
    (libc::SCHED_RR, "SCHED_RR"),
    (libc::SCHED_BATCH, "SCHED_BATCH"),
    (libc::SCHED_IDLE, "SCHED_IDLE"),
];

/// The name of a known policy.
#[cfg(target_os = "linux")]
fn policy_name(policy: c_int) -> &'static str {
    POLICIES
        .iter()
        .find(|(value, _)| *value == policy)
        .map_or("an unknown policy", |(_, name)| name)
}

/// Whether libzmq gives threads of `policy` a static priority (the others
/// get priority 0 and, for a priority above 0, `nice(-20)`).
#[cfg(target_os = "linux")]
fn has_static_priority(policy: c_int) -> bool {
    policy == libc::SCHED_FIFO || policy == libc::SCHED_RR
}

/// `sched_get_priority_min/max` of a policy.
#[cfg(target_os = "linux")]
fn priority_range(policy: c_int) -> (c_int, c_int) {
    // SAFETY: both only read the policy number.
    unsafe {
        (
            libc::sched_get_priority_min(policy),
            libc::sched_get_priority_max(policy),
        )
    }
}

/// The CPUs this process may run on (`sched_getaffinity`).
#[cfg(target_os = "linux")]
fn allowed_cpus() -> Vec<c_int> {
    // SAFETY: a zeroed cpu_set_t is a valid empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is a writable cpu_set_t of the size passed.
    let rc = unsafe { libc::sched_getaffinity(0, size_of::<libc::cpu_set_t>(), &mut set) };
    if rc != 0 {
        return Vec::new();
    }
    let max = c_int::try_from(8 * size_of::<libc::cpu_set_t>()).unwrap_or(c_int::MAX);
    (0..max)
        .filter(|&cpu| {
            usize::try_from(cpu).is_ok_and(|index| {
                // SAFETY: index is below the set's size in bits.
                unsafe { libc::CPU_ISSET(index, &set) }
            })
        })
        .collect()
}

/// `"0-3, 6"` for a sorted list of CPUs.
#[cfg(target_os = "linux")]
fn cpu_list(cpus: &[c_int]) -> String {
    let mut ranges: Vec<(c_int, c_int)> = Vec::new();
    for &cpu in cpus {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == cpu => *end = cpu,
            _ => ranges.push((cpu, cpu)),
        }
    }
    let text: Vec<String> = ranges
        .iter()
        .map(|&(start, end)| {
            if start == end {
                start.to_string()
            } else {
                format!("{start}-{end}")
            }
        })
        .collect();
    if text.is_empty() {
        "none".to_owned()
    } else {
        text.join(", ")
    }
}

/// Checks one value when it is set.
fn check_value(ctx: *mut c_void, id: c_int, value: c_int, settings: &Settings) -> Result<()> {
    match id {
        zmq_sys::ZMQ_IO_THREADS if !(0..=IO_THREADS_MAX).contains(&value) => Err(refuse(format!(
            "ZMQ_IO_THREADS {value}: between 0 and {IO_THREADS_MAX} I/O threads"
        ))),
        zmq_sys::ZMQ_MAX_SOCKETS => {
            // SAFETY: the context is live; zmq_ctx_get only reads it.
            let limit = unsafe { zmq_sys::zmq_ctx_get(ctx, zmq_sys::ZMQ_SOCKET_LIMIT) };
            if (1..=limit).contains(&value) {
                Ok(())
            } else {
                Err(refuse(format!(
                    "ZMQ_MAX_SOCKETS {value}: between 1 and {limit}, the ZMQ_SOCKET_LIMIT \
                     of this libzmq"
                )))
            }
        }
        zmq_sys::ZMQ_THREAD_SCHED_POLICY
        | zmq_sys::ZMQ_THREAD_PRIORITY
        | zmq_sys::ZMQ_THREAD_AFFINITY_CPU_ADD => check_scheduling(id, value, settings),
        _ => Ok(()),
    }
}

#[cfg(target_os = "linux")]
fn check_scheduling(id: c_int, value: c_int, settings: &Settings) -> Result<()> {
    match id {
        zmq_sys::ZMQ_THREAD_SCHED_POLICY => {
            if !POLICIES.iter().any(|(policy, _)| *policy == value) {
                let known: Vec<String> = POLICIES
                    .iter()
                    .map(|(policy, name)| format!("{name} ({policy})"))
                    .collect();
                return Err(refuse(format!(
                    "ZMQ_THREAD_SCHED_POLICY {value} is not a scheduling policy of this \
                     platform: one of {}",
                    known.join(", ")
                )));
            }
            if has_static_priority(value) && settings.priority != DEFAULT {
                check_priority(value, settings.priority)?;
            }
            Ok(())
        }
        zmq_sys::ZMQ_THREAD_PRIORITY => {
            let policy = if settings.policy == DEFAULT {
                libc::SCHED_OTHER
            } else {
                settings.policy
            };
            if has_static_priority(policy) {
                return check_priority(policy, value);
            }
            let max = POLICIES
                .iter()
                .map(|&(policy, _)| priority_range(policy).1)
                .max()
                .unwrap_or(0);
            if (0..=max).contains(&value) {
                Ok(())
            } else {
                Err(refuse(format!(
                    "ZMQ_THREAD_PRIORITY {value}: between 0 and {max}"
                )))
            }
        }
        _ => {
            let allowed = allowed_cpus();
            if allowed.contains(&value) {
                Ok(())
            } else {
                Err(refuse(format!(
                    "ZMQ_THREAD_AFFINITY_CPU_ADD {value}: not a CPU this process may run on \
                     (CPUs {}); libzmq's threads would fail to pin themselves",
                    cpu_list(&allowed)
                )))
            }
        }
    }
}

/// A static priority must be in its policy's range.
#[cfg(target_os = "linux")]
fn check_priority(policy: c_int, priority: c_int) -> Result<()> {
    let (min, max) = priority_range(policy);
    if (min..=max).contains(&priority) {
        Ok(())
    } else {
        Err(refuse(format!(
            "ZMQ_THREAD_PRIORITY {priority}: {} needs a priority between {min} and {max}",
            policy_name(policy)
        )))
    }
}

#[cfg(not(target_os = "linux"))]
fn check_scheduling(id: c_int, value: c_int, _settings: &Settings) -> Result<()> {
    let name = match id {
        zmq_sys::ZMQ_THREAD_SCHED_POLICY => "ZMQ_THREAD_SCHED_POLICY",
        zmq_sys::ZMQ_THREAD_PRIORITY => "ZMQ_THREAD_PRIORITY",
        _ => "ZMQ_THREAD_AFFINITY_CPU_ADD",
    };
    Err(Error::from_errno(libc::ENOTSUP)
        .with_kind(crate::ErrorKind::NotSupported)
        .context(format!(
            "{name} {value}: this crate checks thread scheduling options on Linux only, and \
             libzmq aborts on a value the platform refuses"
        )))
}

/// Checks the settings together before libzmq starts the threads.
fn check_start(settings: &Settings) -> Result<()> {
    check_descriptors(settings.io_threads)?;
    #[cfg(target_os = "linux")]
    probe(settings)?;
    Ok(())
}

/// Descriptors open in this process now, where the platform tells.
fn open_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |dir| dir.count().saturating_sub(1))
}

/// Starting the threads opens two descriptors per I/O thread, two for the
/// reaper, one for `zmq_ctx_term`'s mailbox and one for the first
/// socket's: libzmq asserts when it cannot.
fn check_descriptors(io_threads: c_int) -> Result<()> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a writable rlimit.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0
        || limit.rlim_cur == libc::RLIM_INFINITY
    {
        return Ok(());
    }
    let soft = usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX);
    let needed = 2 * usize::try_from(io_threads).unwrap_or(0) + 4;
    let free = soft.saturating_sub(open_descriptors());
    if needed > free {
        return Err(Error::from_errno(libc::EMFILE).context(format!(
            "ZMQ_IO_THREADS {io_threads}: starting them needs {needed} file descriptors, \
             {free} of RLIMIT_NOFILE {soft} are free"
        )));
    }
    Ok(())
}

/// Makes the calls libzmq's `thread_t::applySchedulingParameters` makes,
/// in the same order, on a thread started from this one (so it inherits
/// what libzmq's threads would), and reports the first that fails.
#[cfg(target_os = "linux")]
fn probe(settings: &Settings) -> Result<()> {
    if settings.policy == DEFAULT && settings.priority == DEFAULT && settings.cpus.is_empty() {
        return Ok(());
    }
    let (policy, priority) = (settings.policy, settings.priority);
    let cpus: Vec<c_int> = settings.cpus.iter().copied().collect();
    std::thread::Builder::new()
        .name("zmq-sched-probe".to_owned())
        .spawn(move || probe_here(policy, priority, &cpus))
        .map_err(|e| {
            Error::from_errno(e.raw_os_error().unwrap_or(libc::EAGAIN)).context(format!(
                "starting a thread to check the thread options: {e}"
            ))
        })?
        .join()
        .unwrap_or_else(|_| Err(Error::invalid_input("the thread option check panicked")))
}

#[cfg(target_os = "linux")]
fn probe_here(policy: c_int, priority: c_int, cpus: &[c_int]) -> Result<()> {
    let what = |setting: String, call: &str, errno: c_int, hint: &str| {
        Error::from_errno(errno).context(format!(
            "{setting}: libzmq would abort starting its threads ({call} fails{hint})"
        ))
    };
    // SAFETY: pthread_self is always valid; `param` is a writable
    // sched_param and `current` a writable int.
    let mut param: libc::sched_param = unsafe { std::mem::zeroed() };
    let mut current: c_int = 0;
    // SAFETY: as above.
    let rc = unsafe { libc::pthread_getschedparam(libc::pthread_self(), &mut current, &mut param) };
    if rc != 0 {
        return Err(what(
            "thread options".into(),
            "pthread_getschedparam",
            rc,
            "",
        ));
    }
    let policy = if policy == DEFAULT { current } else { policy };
    let static_priority = has_static_priority(policy);
    if !static_priority {
        param.sched_priority = 0;
    } else if priority != DEFAULT {
        param.sched_priority = priority;
    }
    // SAFETY: as above; the policy and param are plain values.
    let rc = unsafe { libc::pthread_setschedparam(libc::pthread_self(), policy, &param) };
    if rc != 0 {
        let (min, max) = priority_range(policy);
        let setting = format!(
            "ZMQ_THREAD_SCHED_POLICY {policy} ({}) with ZMQ_THREAD_PRIORITY {}",
            policy_name(policy),
            param.sched_priority
        );
        let hint = if rc == libc::EPERM {
            format!(
                ": {} needs CAP_SYS_NICE or an RLIMIT_RTPRIO of at least the priority",
                policy_name(policy)
            )
        } else if static_priority {
            format!(": its priority must be between {min} and {max}")
        } else {
            String::new()
        };
        return Err(what(setting, "pthread_setschedparam", rc, &hint));
    }
    if !static_priority && priority > 0 {
        // SAFETY: errno is this thread's; nice only changes this thread's
        // nice value on Linux, and this thread ends right after.
        let rc = unsafe {
            *libc::__errno_location() = 0;
            libc::nice(-20)
        };
        if rc == -1 {
            let errno = std::io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EPERM);
            return Err(what(
                format!(
                    "ZMQ_THREAD_PRIORITY {priority} under {}",
                    policy_name(policy)
                ),
                "nice(-20)",
                errno,
                ": a priority above 0 makes libzmq raise its threads' nice value, which \
                 needs CAP_SYS_NICE or an RLIMIT_NICE of 40",
            ));
        }
    }
    if !cpus.is_empty() {
        // SAFETY: a zeroed cpu_set_t is a valid empty set.
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        let bits = 8 * size_of::<libc::cpu_set_t>();
        for index in cpus.iter().filter_map(|&cpu| usize::try_from(cpu).ok()) {
            // glibc's CPU_SET ignores CPUs beyond the set, as libzmq relies on.
            if index < bits {
                // SAFETY: index is below the set's size in bits.
                unsafe { libc::CPU_SET(index, &mut set) };
            }
        }
        // SAFETY: `set` is a cpu_set_t of the size passed.
        let rc = unsafe {
            libc::pthread_setaffinity_np(libc::pthread_self(), size_of::<libc::cpu_set_t>(), &set)
        };
        if rc != 0 {
            return Err(what(
                format!("ZMQ_THREAD_AFFINITY_CPU_ADD {}", cpu_list(cpus)),
                "pthread_setaffinity_np",
                rc,
                &format!(
                    ": this process may run on CPUs {}",
                    cpu_list(&allowed_cpus())
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn cpu_lists_read_like_the_kernel_s() {
        assert_eq!(cpu_list(&[0, 1, 2, 3, 6, 8, 9]), "0-3, 6, 8-9");
        assert_eq!(cpu_list(&[]), "none");
    }

    #[test]
    fn only_thread_options_are_checked() {
        assert!(is_thread_option(zmq_sys::ZMQ_IO_THREADS));
        assert!(!is_thread_option(zmq_sys::ZMQ_IPV6));
        assert_eq!(crate::ErrorKind::InvalidInput, refuse(String::new()).kind());
    }
}
