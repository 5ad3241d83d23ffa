#!/usr/bin/env bash
# Instruction-count check of the zmq binding against raw libzmq, immune to
# machine noise: runs libzmq's own inproc_thr and inproc_lat (C++) and their
# Rust ports (src/bin/inproc_thr.rs, inproc_lat.rs) under valgrind's
# callgrind, all linked against the same libzmq.a, and compares the
# instructions executed per message (inproc_thr) and per roundtrip
# (inproc_lat). The binding's work per call does not depend on the
# transport, so these also bound its share of the tcp rows.
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
# Fails (exit 1) if a port executes more than MAX_RATIO times its raw
# tool's instructions per message at any size. Environment overrides:
# TOOLS (default "inproc_thr inproc_lat"), FEW (default 10000), MANY
# (default 60000), MAX_RATIO (default 1.03), REPEAT (runs per median;
# default 3 for inproc_lat, 1 for inproc_thr). Takes about four minutes on
# 2 cores once built.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

few=${FEW:-10000}
many=${MANY:-60000}
max_ratio=${MAX_RATIO:-1.03}
read -r -a tools <<<"${TOOLS:-inproc_thr inproc_lat}"
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

# Build the Rust ports; cargo's JSON messages say where each port landed and
# where the root build script compiled libzmq's perf tools (its OUT_DIR).
bins=()
for tool in "${tools[@]}"; do
    bins+=(--bin "$tool")
done
build_log=$(cargo build --release --locked "${bins[@]}" --message-format=json 2>"$work/build.log") || {
    cat "$work/build.log" >&2
    exit 2
}
out_dir=$(grep '"reason":"build-script-executed"' <<<"$build_log" |
    grep '"package_id":"[^"]*zmq-guide' |
    grep -o '"out_dir":"[^"]*"' | cut -d'"' -f4 | tail -n 1)
if [[ -z $out_dir || ! -d $out_dir/perf ]]; then
    echo "callgrind_check.sh: libzmq's perf tools were not built (a vendored build is needed)" >&2
    exit 2
fi
# The Rust port of a tool, from cargo's report.
port_of() {
    grep '"reason":"compiler-artifact"' <<<"$build_log" |
        grep -o "\"executable\":\"[^\"]*/$1\"" | cut -d'"' -f4 | tail -n 1
}
for tool in "${tools[@]}"; do
    port=$(port_of "$tool")
    if [[ -z $port || ! -x $port ]]; then
        echo "callgrind_check.sh: cargo did not report the $tool port's executable" >&2
        exit 2
    fi
    if [[ ! -x $out_dir/perf/$tool ]]; then
        echo "callgrind_check.sh: libzmq's $tool was not built" >&2
        exit 2
    fi
done

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

# The median of per_message over several runs. libzmq decides whether to
# process pending commands by reading the CPU's time-stamp counter, so a few
# instructions per message depend on wall-clock time even under callgrind.
# inproc_thr repeats to about 0.2%, but in inproc_lat, where every roundtrip
# wakes the other thread, single runs spread by about 2.5%, so it takes the
# median of three.
median_per_message() {
    local exe=$1 size=$2 runs=$3 i
    for ((i = 0; i < runs; i++)); do
        per_message "$exe" "$size"
        echo
    done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

repeats() {
    if [[ -n ${REPEAT:-} ]]; then
        echo "$REPEAT"
    elif [[ $1 == inproc_lat ]]; then
        echo 3
    else
        echo 1
    fi
}

echo "instructions per message (inproc_thr) and per roundtrip (inproc_lat),"
echo "$few vs $many of them (limit: rust/raw <= $max_ratio)"
printf '%-11s %10s  %12s  %12s  %7s\n' "tool" "size [B]" "raw libzmq" "rust port" "ratio"
failed=0
for tool in "${tools[@]}"; do
    port=$(port_of "$tool")
    for size in "${sizes[@]}"; do
        raw_ir=$(median_per_message "$out_dir/perf/$tool" "$size" "$(repeats "$tool")")
        port_ir=$(median_per_message "$port" "$size" "$(repeats "$tool")")
        ratio=$(awk -v r="$raw_ir" -v p="$port_ir" 'BEGIN { printf "%.4f", p / r }')
        verdict=ok
        if awk -v x="$ratio" -v m="$max_ratio" 'BEGIN { exit !(x > m) }'; then
            verdict=FAIL
            failed=1
        fi
        printf '%-11s %10s  %12s  %12s  %7s  %s\n' "$tool" "$size" "$raw_ir" "$port_ir" "$ratio" "$verdict"
    done
done
if ((failed)); then
    echo "a Rust port executes more than $max_ratio times raw libzmq's instructions per message" >&2
    exit 1
fi
