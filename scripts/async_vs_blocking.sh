#!/usr/bin/env bash
# Async (zmq::asyncio) against blocking sockets, with the Rust ports of
# libzmq's perf tools: throughput at 1 B, 1 KiB and 64 KiB over tcp and
# inproc, latency at 1 B. Each row runs the blocking and the async tool one
# after the other, REPS times, and prints the medians and the median of the
# paired ratios (async/blocking of the runs made one after the other), so
# that load on the machine hits both alike.
#
#   cargo build --release --features tokio --bins
#   scripts/async_vs_blocking.sh            # REPS=5
#   REPS=9 scripts/async_vs_blocking.sh
#
# Ratios: throughput async/blocking (goal >= 0.9), latency async/blocking
# (goal <= 1.25). ONLY=inproc (or tcp) runs the rows of one transport;
# BIN=DIR takes the tools from DIR instead of target/release.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${BIN:-target/release}
for tool in local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat; do
    for prefix in "" async_; do
        if [[ ! -x $bin/$prefix$tool ]]; then
            echo "missing $bin/$prefix$tool: cargo build --release --features tokio --bins" >&2
            exit 1
        fi
    done
done
reps=${REPS:-5}
port=$((20000 + RANDOM % 20000))

# One throughput run: prints msg/s. Arguments: prefix transport size count.
thr() {
    local prefix=$1 transport=$2 size=$3 count=$4 out
    if [[ $transport == inproc ]]; then
        "$bin/${prefix}inproc_thr" "$size" "$count" | awk '/msg\/s/ {print $3}'
        return
    fi
    port=$((port + 1))
    out=$(mktemp)
    "$bin/${prefix}local_thr" "tcp://127.0.0.1:$port" "$size" "$count" >"$out" &
    local receiver=$!
    sleep 0.2
    "$bin/${prefix}remote_thr" "tcp://127.0.0.1:$port" "$size" "$count"
    wait "$receiver"
    awk '/msg\/s/ {print $3}' "$out"
    rm -f "$out"
}

# One latency run at 1 B: prints microseconds. Arguments: prefix transport count.
lat() {
    local prefix=$1 transport=$2 count=$3
    if [[ $transport == inproc ]]; then
        "$bin/${prefix}inproc_lat" 1 "$count" | awk '/latency/ {print $3}'
        return
    fi
    port=$((port + 1))
    "$bin/${prefix}local_lat" "tcp://127.0.0.1:$port" 1 "$count" >/dev/null &
    local echo_side=$!
    sleep 0.2
    "$bin/${prefix}remote_lat" "tcp://127.0.0.1:$port" 1 "$count" | awk '/latency/ {print $3}'
    wait "$echo_side"
}

median() {
    sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

printf '%-8s %-7s %-8s %14s %14s %7s\n' test transport size blocking async ratio
row() {
    local kind=$1 transport=$2 size=$3 count=$4 blocking="" async="" ratios="" b a
    for _ in $(seq "$reps"); do
        if [[ $kind == thr ]]; then
            b=$(thr "" "$transport" "$size" "$count")
            a=$(thr async_ "$transport" "$size" "$count")
        else
            b=$(lat "" "$transport" "$count")
            a=$(lat async_ "$transport" "$count")
        fi
        blocking+="$b"$'\n'
        async+="$a"$'\n'
        ratios+="$(awk -v a="$a" -v b="$b" 'BEGIN {print a / b}')"$'\n'
    done
    b=$(printf '%s' "$blocking" | median)
    a=$(printf '%s' "$async" | median)
    printf '%-8s %-7s %-8s %14s %14s %7.2f\n' "$kind" "$transport" "$size" "$b" "$a" \
        "$(printf '%s' "$ratios" | median)"
}

for transport in ${ONLY:-tcp inproc}; do
    row thr "$transport" 1 2000000
    row thr "$transport" 1024 500000
    row thr "$transport" 65536 20000
    if [[ $transport == tcp ]]; then
        row lat tcp 1 20000
    else
        row lat inproc 1 200000
    fi
done
