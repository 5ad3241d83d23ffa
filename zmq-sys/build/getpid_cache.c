/* getpid() for libzmq without a system call per call.
 *
 * Built with HAVE_FORK, libzmq compares getpid() with the pid it saw at
 * creation in every signaler send and wait (and when terminating a context),
 * so that a forked child never signals its parent's threads through the
 * descriptors it inherited. Since glibc 2.25 getpid() is a real system call:
 * on tcp and inproc latency that is a third of libzmq's system calls. The
 * vendored build renames libzmq's calls to getpid into calls to this
 * function (objcopy --redefine-sym, zmq-sys/build/vendored.rs), which
 * answers from a cache filled when the program starts and refreshed by a
 * pthread_atfork child handler, so a child made by fork() still sees its own
 * pid and libzmq's fork protection keeps working.
 */
#include <pthread.h>
#include <sys/types.h>
#include <unistd.h>

/* 0 until the constructor ran, and whenever the atfork handler could not be
 * registered: then every call asks the kernel. */
static pid_t zmq_sys_pid;

/* In the child after fork(): its own pid from now on. */
static void zmq_sys_pid_after_fork (void)
{
    __atomic_store_n (&zmq_sys_pid, getpid (), __ATOMIC_RELAXED);
}

__attribute__ ((constructor)) static void zmq_sys_pid_init (void)
{
    if (pthread_atfork (NULL, NULL, zmq_sys_pid_after_fork) == 0)
        __atomic_store_n (&zmq_sys_pid, getpid (), __ATOMIC_RELAXED);
}

pid_t zmq_sys_cached_getpid (void)
{
    const pid_t pid = __atomic_load_n (&zmq_sys_pid, __ATOMIC_RELAXED);
    return pid != 0 ? pid : getpid ();
}
