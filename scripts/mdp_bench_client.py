"""Majordomo benchmark client, for tests/guide_ch4_bench.rs.

Usage: mdp_bench_client.py EXAMPLES_DIR REQUESTS START_AT

Makes REQUESTS "Hello world" round trips to the echo service with the
guide's own Python client API (EXAMPLES_DIR/mdcliapi.py), starting at the
Unix time START_AT so that a batch of clients starts together once the
interpreters have loaded. Prints "late" first if it was not ready in time.
"""

import sys
import time

sys.path.insert(0, sys.argv[1])
from mdcliapi import MajorDomoClient  # noqa: E402


def main():
    requests = int(sys.argv[2])
    start_at = float(sys.argv[3])
    client = MajorDomoClient("tcp://localhost:5555")
    if time.time() > start_at:
        print("late")
    time.sleep(max(0.0, start_at - time.time()))
    for _ in range(requests):
        if client.send(b"echo", b"Hello world") is None:
            sys.exit(1)
    print("%d requests/replies processed" % requests)


if __name__ == "__main__":
    main()
