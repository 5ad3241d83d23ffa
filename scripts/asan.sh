#!/usr/bin/env bash
# Runs the zmq crate's tests under AddressSanitizer (and LeakSanitizer, which
# ASan enables on Linux): any out-of-bounds access, use after free, double
# free or leak fails. libzmq and libsodium are compiled with -fsanitize=address
# as well, so the C side of every call is checked too, not only our Rust.
#
#   scripts/asan.sh                  # the fast subset CI runs
#   scripts/asan.sh all              # the unit tests and every integration test binary,
#                                    # with every optional feature (bytes, serde, tracing, tokio)
#   scripts/asan.sh --draft all      # the same, built with the draft API
#   scripts/asan.sh message poll     # the named binaries (zmq/tests/*.rs; `lib` = unit tests)
#   scripts/asan.sh message -- recv_msg   # extra args go to the tests
#
# Needs the nightly toolchain (`rustup toolchain install nightly`): the
# sanitizer is a -Z flag. It builds into target/asan (CARGO_TARGET_DIR
# overrides), so the normal build is never invalidated; the first run
# compiles libsodium and libzmq again, instrumented (a few minutes on 2 cores).
#
# How the C libraries get the flag: the `cmake` crate (libzmq) and the `cc`
# crate (libsodium's configure) both read CFLAGS_<target>/CXXFLAGS_<target>;
# libsodium-sys-stable passes SODIUM_LDFLAGS to configure, whose test
# programs must link the ASan runtime. The target triple is explicit so
# RUSTFLAGS and these variables reach the crates only, not the build scripts.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "asan.sh: needs the nightly toolchain: rustup toolchain install nightly" >&2
    exit 2
fi

target=x86_64-unknown-linux-gnu
if [[ $(rustc -vV | sed -n 's/^host: //p') != "$target" ]]; then
    echo "asan.sh: runs on $target hosts only" >&2
    exit 2
fi

# The default subset: message ownership (zero-copy buffers released once,
# owners dropped on the release thread, copy on write), context teardown
# with messages queued, error paths and the basic patterns over inproc and
# tcp.
fast=(message message_sharing zero_copy_free context errors patterns)
# Every integration test but the compile_fail harnesses, which run the
# compiler, not our code; plus the unit tests. `all` turns on every
# optional feature of zmq, so that their tests run too.
all=(lib)
for file in zmq/tests/*.rs; do
    name=$(basename "$file" .rs)
    [[ $name == compile_fail* ]] || all+=("$name")
done
features=bytes
draft=

selected=()
test_args=()
while (($#)); do
    case $1 in
        --) shift; test_args=("$@"); break ;;
        --draft) draft=,draft ;;
        all) selected+=("${all[@]}"); features=bytes,serde,tracing,tokio ;;
        *) selected+=("$1") ;;
    esac
    shift
done
features+=$draft
((${#selected[@]})) || selected=("${fast[@]}")

# stress's connect/disconnect test asserts that RSS does not grow, which
# ASan's quarantine of freed memory defeats (LeakSanitizer checks leaks
# here instead): that binary runs on its own, without that test.
targets=()
stress=false
for name in "${selected[@]}"; do
    if [[ $name == lib ]]; then
        targets+=(--lib)
    elif [[ $name == stress ]]; then
        stress=true
    elif [[ -f zmq/tests/$name.rs ]]; then
        targets+=(--test "$name")
    else
        echo "asan.sh: no integration test named '$name' (see zmq/tests/)" >&2
        exit 2
    fi
done

sanitize="-fsanitize=address -fno-omit-frame-pointer"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/asan}"
export RUSTFLAGS="-Zsanitizer=address -Cforce-frame-pointers=yes"
export RUSTDOCFLAGS="$RUSTFLAGS"
export CFLAGS_x86_64_unknown_linux_gnu="$sanitize"
export CXXFLAGS_x86_64_unknown_linux_gnu="$sanitize"
export SODIUM_LDFLAGS="-fsanitize=address"
# Leaks fail the run; report every error with its allocation stack.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-report_objects=1}"
# ASan runs code 2 to 3 times slower: the tests' deadlines stretch by this.
export ZMQ_TEST_SLOWDOWN="${ZMQ_TEST_SLOWDOWN:-3}"

echo "==> AddressSanitizer: ${selected[*]} (features $features, $CARGO_TARGET_DIR)" >&2
test=(cargo +nightly test -p zmq --features "$features" --target "$target" --no-fail-fast)
status=0
if ((${#targets[@]})); then
    "${test[@]}" "${targets[@]}" -- ${test_args[@]+"${test_args[@]}"} || status=$?
fi
if $stress; then
    "${test[@]}" --test stress -- --skip connect_disconnect_cycles_leak_no_descriptors_or_memory \
        ${test_args[@]+"${test_args[@]}"} || status=$?
fi
exit $status
