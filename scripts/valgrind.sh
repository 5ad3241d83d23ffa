#!/usr/bin/env bash
# Runs the zmq crate's integration tests under valgrind's memcheck: any
# invalid read/write, use of uninitialised memory or definite leak fails.
#
#   scripts/valgrind.sh                 # the fast subset CI runs (< 2 min)
#   scripts/valgrind.sh all             # every integration test binary
#   scripts/valgrind.sh --draft all     # the same, built with the draft API
#   scripts/valgrind.sh message poll    # the named binaries (zmq/tests/*.rs)
#   scripts/valgrind.sh message -- recv_msg   # extra args go to the tests
#
# Tests run single-threaded (--test-threads=1) so reports are readable and
# timing-sensitive tests keep their margins. Child processes are traced
# too: tests that run their body in a child process (tests/common's
# isolated) are checked there, and a report fails the child, so the test. No suppression file: libzmq
# 4.3.5 and libsodium run clean, and our own code must never be suppressed.
# Set CARGO_TARGET_DIR as usual to pick the build directory.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! command -v valgrind >/dev/null; then
    echo "valgrind.sh: valgrind is not installed (Debian: apt-get install valgrind)" >&2
    exit 2
fi

# The default subset: every pattern, message ownership (zero-copy free
# callbacks, owners dropped on the release thread, copy on write), timer
# callbacks, context teardown, error paths, and the safety suites: worst
# inputs, bounds, hangs, the guards against libzmq's aborts.
fast=(message message_sharing zero_copy_free timers context errors patterns poll limits
    worst_inputs bounds hangs guards)
# Every integration test but the compile_fail harnesses, which run the
# compiler, not our code.
all=()
for file in zmq/tests/*.rs; do
    name=$(basename "$file" .rs)
    [[ $name == compile_fail* ]] || all+=("$name")
done
features=bytes

# No Rust backtraces: the panic hook symbolises one inside the panicking
# thread, and under memcheck that takes seconds (4.4 s measured), which
# pushed message_sharing's panicking-owner test past its 5 s deadline.
# memcheck prints its own stacks; rerun a failing test without valgrind
# for its backtrace.
export RUST_BACKTRACE=0

selected=()
test_args=()
while (($#)); do
    case $1 in
        --) shift; test_args=("$@"); break ;;
        --draft) features=bytes,draft ;;
        all) selected+=("${all[@]}") ;;
        *) selected+=("$1") ;;
    esac
    shift
done
((${#selected[@]})) || selected=("${fast[@]}")

# Build once; cargo prints each test binary's path as
# "Executable tests/NAME.rs (PATH)".
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
cargo test -p zmq --features "$features" --tests --no-run 2>&1 | tee "$build_log" >&2

# memcheck runs code 20 to 50 times slower: the tests' deadlines (receive
# timeouts, watchdogs) stretch by this factor, so only a real hang fails.
export ZMQ_TEST_SLOWDOWN="${ZMQ_TEST_SLOWDOWN:-10}"

status=0
for name in "${selected[@]}"; do
    binary=$(sed -n "s|^ *Executable tests/$name\.rs (\(.*\))\$|\1|p" "$build_log" | tail -n 1)
    if [[ -z $binary ]]; then
        echo "valgrind.sh: no integration test named '$name' (see zmq/tests/)" >&2
        exit 2
    fi
    # stress's connect/disconnect test asserts that RSS does not grow,
    # which valgrind's own allocator (malloc_trim has no effect on it)
    # defeats; memcheck's leak check covers that binary instead.
    skip=()
    [[ $name != stress ]] || skip=(--skip connect_disconnect_cycles_leak_no_descriptors_or_memory)
    echo "==> valgrind: $name" >&2
    if ! valgrind --quiet --error-exitcode=1 --leak-check=full --trace-children=yes \
        --errors-for-leak-kinds=definite --show-leak-kinds=definite \
        "$binary" --test-threads=1 ${skip[@]+"${skip[@]}"} ${test_args[@]+"${test_args[@]}"}; then
        echo "valgrind.sh: $name FAILED under valgrind" >&2
        status=1
    fi
done
exit $status
