#!/usr/bin/env bash
# Instruction counts of the async perf tools (src/bin/async_inproc_*.rs,
# zmq::asyncio on tokio) against their blocking ports (inproc_thr,
# inproc_lat), under valgrind's callgrind: deterministic enough to see what
# an optimisation of the async path buys on a loaded machine, where wall
# clock is not.
#
#   cargo build --release --features tokio --bins
#   scripts/callgrind_async.sh            # 1 B, 1 KiB, 64 KiB
#   scripts/callgrind_async.sh 1          # other sizes
#
# Prints instructions per message (inproc_thr, sender plus receiver) and per
# roundtrip (inproc_lat), with startup subtracted by running each tool with
# FEW and MANY messages: (Ir(MANY) - Ir(FEW)) / (MANY - FEW). KEEP=DIR keeps
# the callgrind.out files of the MANY runs there, for callgrind_annotate;
# BIN=DIR takes the tools from DIR instead of target/release.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${BIN:-target/release}
few=${FEW:-10000}
many=${MANY:-50000}
sizes=("$@")
((${#sizes[@]})) || sizes=(1 1024 65536)
for tool in inproc_thr inproc_lat async_inproc_thr async_inproc_lat; do
    if [[ ! -x $bin/$tool ]]; then
        echo "missing $bin/$tool: cargo build --release --features tokio --bins" >&2
        exit 1
    fi
done
command -v valgrind >/dev/null || {
    echo "valgrind is not installed (Debian: apt-get install valgrind)" >&2
    exit 2
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Total instructions of one run. Arguments: tool size count.
ir() {
    local out=$work/callgrind.$1.$2.$3
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin/$1" "$2" "$3" >/dev/null 2>&1
    if [[ -n ${KEEP:-} && $3 == "$many" ]]; then
        mkdir -p "$KEEP"
        cp "$out" "$KEEP/callgrind.$1.$2"
    fi
    awk '/^summary:/ {print $2}' "$out"
}

per() {
    local a b
    a=$(ir "$1" "$2" "$few")
    b=$(ir "$1" "$2" "$many")
    awk -v a="$a" -v b="$b" -v f="$few" -v m="$many" 'BEGIN {printf "%.0f", (b - a) / (m - f)}'
}

printf '%-7s %-8s %12s %12s %7s\n' tool size blocking async ratio
for tool in inproc_thr inproc_lat; do
    for size in "${sizes[@]}"; do
        [[ $tool == inproc_lat && $size != "${sizes[0]}" ]] && continue
        b=$(per "$tool" "$size")
        a=$(per "async_$tool" "$size")
        printf '%-7s %-8s %12s %12s %7.2f\n' "${tool#inproc_}" "$size" "$b" "$a" \
            "$(awk -v a="$a" -v b="$b" 'BEGIN {print a / b}')"
    done
done
