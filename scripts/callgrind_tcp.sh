#!/usr/bin/env bash
# Instructions per message of libzmq's tcp perf tools, for comparing builds
# of libzmq (scripts/libzmq_builds.sh) where the wall clock is too noisy:
# runs local_thr and remote_thr (or local_lat and remote_lat with
# TOOL=lat) from each given perf directory under valgrind's callgrind, over
# tcp on 127.0.0.1, with FEW and MANY messages, and prints
#   (Ir(MANY) - Ir(FEW)) / (MANY - FEW)
# for the receiving side, the sending side and both (all threads, the I/O
# threads included), so startup and teardown drop out. TOOL=inproc_thr or
# TOOL=inproc_lat runs that one process instead (both threads in it; its
# count is printed as "both").
#
#   scripts/callgrind_tcp.sh target/libzmq-builds/cmake/perf target/libzmq-builds/cc-4.3.5/perf
#   SIZES="1 64" FEW=20000 MANY=120000 scripts/callgrind_tcp.sh DIR...
#
# Defaults: SIZES="1 64 1024", FEW=20000, MANY=100000 (a tenth for the
# latency tools),
# REPEAT=1 (the median of REPEAT runs is printed).
set -euo pipefail

tool=${TOOL:-thr}
read -r -a sizes <<<"${SIZES:-1 64 1024}"
if [[ $tool == lat || $tool == inproc_lat ]]; then
    few=${FEW:-2000}
    many=${MANY:-10000}
else
    few=${FEW:-20000}
    many=${MANY:-100000}
fi
repeat=${REPEAT:-1}
if (($# == 0)); then
    echo "usage: scripts/callgrind_tcp.sh PERF_DIR..." >&2
    exit 2
fi
command -v valgrind >/dev/null || {
    echo "callgrind_tcp.sh: valgrind is not installed (Debian: apt-get install valgrind)" >&2
    exit 2
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Prints "<local Ir> <remote Ir>" of one run with `count` messages (for
# an inproc tool "0 <its Ir>").
run_pair() {
    local dir=$1 size=$2 count=$3 port
    if [[ $tool == inproc_* ]]; then
        valgrind --tool=callgrind --callgrind-out-file="$work/inproc.out" \
            "$dir/$tool" "$size" "$count" >"$work/inproc.txt" 2>"$work/inproc.err"
        echo "0 $(awk '/^summary:/ { print $2 }' "$work/inproc.out")"
        return
    fi
    port=$(free_port)
    local endpoint=tcp://127.0.0.1:$port
    valgrind --tool=callgrind --callgrind-out-file="$work/local.out" \
        "$dir/local_$tool" "$endpoint" "$size" "$count" >"$work/local.txt" 2>"$work/local.err" &
    local pid=$!
    # callgrind starts slowly: wait until the port accepts connections.
    for _ in $(seq 200); do
        if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 0.1)" 2>/dev/null; then
            break
        fi
        sleep 0.05
    done
    valgrind --tool=callgrind --callgrind-out-file="$work/remote.out" \
        "$dir/remote_$tool" "$endpoint" "$size" "$count" >"$work/remote.txt" 2>"$work/remote.err"
    wait "$pid"
    echo "$(awk '/^summary:/ { print $2 }' "$work/local.out") $(awk '/^summary:/ { print $2 }' "$work/remote.out")"
}

per_message() {
    local dir=$1 size=$2 low high
    read -r -a low <<<"$(run_pair "$dir" "$size" "$few")"
    read -r -a high <<<"$(run_pair "$dir" "$size" "$many")"
    awk -v l1="${low[0]}" -v l2="${low[1]}" -v h1="${high[0]}" -v h2="${high[1]}" -v n=$((many - few)) \
        'BEGIN { a = (h1 - l1) / n; b = (h2 - l2) / n; printf "%.1f %.1f %.1f\n", a, b, a + b }'
}

if [[ $tool == inproc_* ]]; then
    echo "instructions per message of $tool (both threads), $few vs $many"
else
    echo "instructions per message over tcp (local_$tool + remote_$tool, all threads), $few vs $many"
fi
printf '%-50s %8s  %10s %10s %10s\n' "perf tools" "size" "local" "remote" "both"
for dir in "$@"; do
    for size in "${sizes[@]}"; do
        for ((i = 0; i < repeat; i++)); do
            per_message "$dir" "$size"
        done | sort -n -k3 | awk -v r="$repeat" 'NR == int((r + 1) / 2)' | {
            read -r a b c
            if [[ $tool == inproc_* ]]; then
                a=- b=-
            fi
            printf '%-50s %8s  %10s %10s %10s\n' "$dir" "$size" "$a" "$b" "$c"
        }
    done
done
