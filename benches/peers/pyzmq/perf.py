"""libzmq's perf tools written against pyzmq, one script for all of them.

    python perf.py <tool> <arguments of the tool>

where the tool is local_thr, remote_thr, local_lat, remote_lat, inproc_thr,
inproc_lat (the arguments and report lines of libzmq's perf/*.cpp) or
zero_copy_thr (copy|owned <message-size> <message-count>, printing
inproc_thr's report). Each follows its C++ original step by step with the
calls a pyzmq user would write. Receivers take bytes (recv() copies) below
64 KiB and frames (recv(copy=False)) from 64 KiB on, where pyzmq itself
stops copying sends (its copy_threshold).

The side-by-side comparison (cargo bench --bench compare -- --peers) runs it
in a virtual environment it creates, with pyzmq from PyPI.
"""

import os
import sys
import threading
import time

import zmq

# pyzmq sends without copying above this many bytes (Socket.copy_threshold).
ZERO_COPY_FROM = 65536


def fail(line):
    print(line)
    sys.exit(255)


def receive_all(s, size, count):
    """Receive count messages; microseconds from the first to the last."""
    copy = size < ZERO_COPY_FROM
    if len(s.recv(copy=copy)) != size:
        fail("message of incorrect size received")
    start = time.perf_counter()
    for _ in range(count - 1):
        if len(s.recv(copy=copy)) != size:
            fail("message of incorrect size received")
    return max((time.perf_counter() - start) * 1e6, 1.0)


def send_all(s, size, count):
    data = bytes(size)
    for _ in range(count):
        s.send(data)


def ping(s, size, count):
    """count roundtrips; their microseconds."""
    data = bytes(size)
    copy = size < ZERO_COPY_FROM
    start = time.perf_counter()
    for _ in range(count):
        s.send(data)
        data = s.recv(copy=copy)
        if len(data) != size:
            fail("message of incorrect size received")
    return (time.perf_counter() - start) * 1e6


def pong(s, size, count):
    copy = size < ZERO_COPY_FROM
    for _ in range(count):
        msg = s.recv(copy=copy)
        if len(msg) != size:
            fail("message of incorrect size received")
        s.send(msg, copy=copy)


def print_throughput(size, count, elapsed_us):
    throughput = count / elapsed_us * 1e6
    print(f"message size: {size} [B]")
    print(f"message count: {count}")
    print(f"mean throughput: {int(throughput)} [msg/s]")
    print(f"mean throughput: {throughput * size * 8 / 1e6:.3f} [Mb/s]")


def print_latency(size, count, elapsed_us):
    print(f"message size: {size} [B]")
    print(f"roundtrip count: {count}")
    print(f"average latency: {elapsed_us / (count * 2):.3f} [us]")


def local_thr(bind_to, size, count):
    ctx = zmq.Context()
    s = ctx.socket(zmq.PULL)
    s.bind(bind_to)
    print_throughput(size, count, receive_all(s, size, count))
    s.close()
    ctx.term()


def remote_thr(connect_to, size, count):
    ctx = zmq.Context()
    s = ctx.socket(zmq.PUSH)
    s.connect(connect_to)
    send_all(s, size, count)
    s.close()
    ctx.term()


def local_lat(bind_to, size, count):
    ctx = zmq.Context()
    s = ctx.socket(zmq.REP)
    s.bind(bind_to)
    pong(s, size, count)
    # As local_lat.cpp: give the last reply time to leave before closing.
    time.sleep(1)
    s.close()
    ctx.term()


def remote_lat(connect_to, size, count):
    ctx = zmq.Context()
    s = ctx.socket(zmq.REQ)
    s.connect(connect_to)
    print_latency(size, count, ping(s, size, count))
    s.close()
    ctx.term()


def in_thread(target):
    """Runs target in a thread; a failure there ends the process (exit 1, as
    the C++ tools' workers do), so the main thread never waits forever."""

    def guarded():
        try:
            target()
        except Exception as e:  # noqa: BLE001 - any failure ends the tool
            print(f"error in worker: {e}")
            sys.stdout.flush()
            os._exit(1)

    thread = threading.Thread(target=guarded)
    thread.start()
    return thread


def inproc_thr(size, count):
    ctx = zmq.Context()
    s = ctx.socket(zmq.PULL)
    s.bind("inproc://thr_test")

    def worker():
        w = ctx.socket(zmq.PUSH)
        w.connect("inproc://thr_test")
        send_all(w, size, count)
        w.close()

    thread = in_thread(worker)
    elapsed = receive_all(s, size, count)
    thread.join()
    print_throughput(size, count, elapsed)
    s.close()
    ctx.term()


def inproc_lat(size, count):
    ctx = zmq.Context()
    s = ctx.socket(zmq.REQ)
    s.bind("inproc://lat_test")

    def worker():
        w = ctx.socket(zmq.REP)
        w.connect("inproc://lat_test")
        pong(w, size, count)
        w.close()

    thread = in_thread(worker)
    elapsed = ping(s, size, count)
    thread.join()
    print_latency(size, count, elapsed)
    s.close()
    ctx.term()


def zero_copy_thr(mode, size, count):
    """Fresh buffers sent over inproc, copied or handed over (copy=False);
    at most 100 messages in flight, as in the zmq crate's version."""
    owned = mode == "owned"
    ctx = zmq.Context()
    s = ctx.socket(zmq.PULL)
    s.rcvhwm = 100
    s.bind("inproc://zero-copy")

    def worker():
        w = ctx.socket(zmq.PUSH)
        w.sndhwm = 100
        # A copy must copy, whatever the size.
        w.copy_threshold = 0 if owned else 2**31 - 1
        w.connect("inproc://zero-copy")
        for _ in range(count):
            data = b"\x5a" * size
            w.send(data, copy=not owned)
        w.close()

    thread = in_thread(worker)
    elapsed = receive_all(s, size, count)
    thread.join()
    print_throughput(size, count, elapsed)
    s.close()
    ctx.term()


def main(argv):
    tools = {
        "local_thr": (local_thr, 3),
        "remote_thr": (remote_thr, 3),
        "local_lat": (local_lat, 3),
        "remote_lat": (remote_lat, 3),
        "inproc_thr": (inproc_thr, 2),
        "inproc_lat": (inproc_lat, 2),
        "zero_copy_thr": (zero_copy_thr, 3),
    }
    if len(argv) < 2 or argv[1] not in tools or len(argv) != 2 + tools[argv[1]][1]:
        print("usage: perf.py <tool> <arguments>; tools: " + ", ".join(tools))
        sys.exit(1)
    tool, _ = tools[argv[1]]
    args = argv[2:]
    if tool is zero_copy_thr:
        if args[0] not in ("copy", "owned"):
            print("usage: perf.py zero_copy_thr copy|owned <message-size> <message-count>")
            sys.exit(1)
        tool(args[0], int(args[1]), int(args[2]))
    elif len(args) == 3:
        tool(args[0], int(args[1]), int(args[2]))
    else:
        tool(int(args[0]), int(args[1]))


if __name__ == "__main__":
    main(sys.argv)
