#!/usr/bin/env bash
# Instruction-count check of the zmq binding against raw libzmq, immune to
# machine noise: runs libzmq's own inproc_thr (C++) and its Rust port
# (src/bin/inproc_thr.rs) under valgrind's callgrind, both linked against the
# same libzmq.a, and compares the instructions executed per message.
#
#   scripts/callgrind_check.sh               # 1 B, 1 KiB and 64 KiB
#   scripts/callgrind_check.sh 1 256         # other message sizes
#
# Startup and teardown (dynamic loading, context and thread creation) are
# subtracted by running every tool twice, with FEW and MANY messages:
#   instructions per message = (Ir(MANY) - Ir(FEW)) / (MANY - FEW).
# callgrind counts every thread, so this is sender plus receiver. Repeated
# runs agree to about 0.2%.
#
# Fails (exit 1) if the port executes more than MAX_RATIO times the raw
# tool's instructions per message at any size. Environment overrides:
# FEW (default 10000), MANY (default 60000), MAX_RATIO (default 1.03).
# Takes about a minute on 2 cores once built.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

few=${FEW:-10000}
many=${MANY:-60000}
max_ratio=${MAX_RATIO:-1.03}
sizes=("$@")
((${#sizes[@]})) || sizes=(1 1024 65536)

for tool in valgrind cargo awk; do
    if ! command -v "$tool" >/dev/null; then
        echo "callgrind_check.sh: $tool is not installed (Debian: apt-get install valgrind)" >&2
        exit 2
    fi
done
if ((many <= few)); then
    echo "callgrind_check.sh: MANY ($many) must exceed FEW ($few)" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Build the Rust port; cargo's JSON messages say where the port landed and
# where the root build script compiled libzmq's perf tools (its OUT_DIR).
build_log=$(cargo build --release --locked --bin inproc_thr --message-format=json 2>"$work/build.log") || {
    cat "$work/build.log" >&2
    exit 2
}
port=$(grep '"reason":"compiler-artifact"' <<<"$build_log" |
    grep -o '"executable":"[^"]*/inproc_thr"' | cut -d'"' -f4 | tail -n 1)
out_dir=$(grep '"reason":"build-script-executed"' <<<"$build_log" |
    grep '"package_id":"[^"]*zmq-guide' |
    grep -o '"out_dir":"[^"]*"' | cut -d'"' -f4 | tail -n 1)
raw=$out_dir/perf/inproc_thr
if [[ -z $port || ! -x $port ]]; then
    echo "callgrind_check.sh: cargo did not report the inproc_thr port's executable" >&2
    exit 2
fi
if [[ -z $out_dir || ! -x $raw ]]; then
    echo "callgrind_check.sh: libzmq's inproc_thr was not built (a vendored build is needed)" >&2
    exit 2
fi

# Instructions executed by one run: callgrind's "summary:" line.
instructions() {
    local exe=$1 size=$2 count=$3 out=$work/callgrind.out
    if ! valgrind --tool=callgrind --callgrind-out-file="$out" "$exe" "$size" "$count" \
        >"$work/stdout" 2>"$work/stderr"; then
        echo "callgrind_check.sh: $exe $size $count failed:" >&2
        cat "$work/stdout" "$work/stderr" >&2
        exit 1
    fi
    awk '/^summary:/ { print $2 }' "$out"
}

per_message() {
    local exe=$1 size=$2
    local low high
    low=$(instructions "$exe" "$size" "$few")
    high=$(instructions "$exe" "$size" "$many")
    awk -v h="$high" -v l="$low" -v n=$((many - few)) 'BEGIN { printf "%.1f", (h - l) / n }'
}

echo "instructions per message, inproc_thr, $few vs $many messages (limit: rust/raw <= $max_ratio)"
printf '%10s  %12s  %12s  %7s\n' "size [B]" "raw libzmq" "rust port" "ratio"
failed=0
for size in "${sizes[@]}"; do
    raw_ir=$(per_message "$raw" "$size")
    port_ir=$(per_message "$port" "$size")
    ratio=$(awk -v r="$raw_ir" -v p="$port_ir" 'BEGIN { printf "%.4f", p / r }')
    verdict=ok
    if awk -v x="$ratio" -v m="$max_ratio" 'BEGIN { exit !(x > m) }'; then
        verdict=FAIL
        failed=1
    fi
    printf '%10s  %12s  %12s  %7s  %s\n' "$size" "$raw_ir" "$port_ir" "$ratio" "$verdict"
done
if ((failed)); then
    echo "the Rust port executes more than $max_ratio times raw libzmq's instructions per message" >&2
    exit 1
fi
