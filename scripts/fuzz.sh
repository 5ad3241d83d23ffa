#!/usr/bin/env bash
# Runs the fuzz targets of fuzz/ (cargo-fuzz, libFuzzer, AddressSanitizer)
# for a number of seconds each, one after the other, and prints the
# executions of each. Any crash, leak, timeout or failed assertion fails
# the run; libFuzzer saves the input under fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh                  # the CI smoke run: 15 s per target
#   scripts/fuzz.sh 600              # the full run: 10 minutes per target
#   scripts/fuzz.sh 60 zmtp z85      # the named targets only
#   FUZZ_JOBS=2 scripts/fuzz.sh 600  # libFuzzer's -jobs/-workers (default 1)
#   FUZZ_FEATURES=draft scripts/fuzz.sh 60 sockopt monitor_event
#                                    # with the draft API (builds libzmq again)
#   scripts/fuzz.sh cmin [targets]   # minimise the corpora (cargo fuzz cmin)
#
# Needs the nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly
#   cargo install cargo-fuzz --locked
#
# Each target starts from its seeds (fuzz/seeds/<target>/, written by
# fuzz/examples/make_seeds.rs, read only) and its corpus (fuzz/corpus/<target>/,
# what earlier runs found; libFuzzer adds new inputs there). Both are
# committed; minimise a grown corpus with `scripts/fuzz.sh cmin` before
# committing it.
# The first build compiles libsodium and libzmq once more, with ASan, into
# fuzz/target/; libzmq's comparisons are reported to libFuzzer too (gcc's
# -fsanitize-coverage=trace-cmp, through ZMQ_CXXFLAGS, so that libFuzzer
# itself is not instrumented).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

seconds=15
cmin=
if [[ ${1:-} == cmin ]]; then
    cmin=1
    shift
elif [[ ${1:-} =~ ^[0-9]+$ ]]; then
    seconds=$1
    shift
fi
all=()
for file in fuzz/fuzz_targets/*.rs; do
    all+=("$(basename "$file" .rs)")
done
targets=("$@")
((${#targets[@]})) || targets=("${all[@]}")
for target in "${targets[@]}"; do
    if [[ ! -f fuzz/fuzz_targets/$target.rs ]]; then
        echo "fuzz.sh: no fuzz target named '$target' (see fuzz/fuzz_targets/)" >&2
        exit 2
    fi
done

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz.sh: needs the nightly toolchain: rustup toolchain install nightly" >&2
    exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: needs cargo-fuzz: cargo install cargo-fuzz --locked" >&2
    exit 2
fi

# The sockopt target must name every settable row of the option table
# (zmq/src/sockopt/table.rs).
settable=$(sed -nE 's/^ +([A-Za-z0-9]+) = ZMQ_[A-Z0-9_]+: [^,]+, (get )?set;?$/\1/p' \
    zmq/src/sockopt/table.rs)
if [[ -z $settable ]]; then
    echo "fuzz.sh: found no settable row in zmq/src/sockopt/table.rs: update the pattern here" >&2
    exit 1
fi
missing=()
for name in $settable; do
    grep -qE "^ *(read_write|write_only|subscription|curve_key|use_fd) $name,\$" fuzz/fuzz_targets/sockopt.rs ||
        missing+=("$name")
done
if ((${#missing[@]})); then
    echo "fuzz.sh: fuzz/fuzz_targets/sockopt.rs lacks the options: ${missing[*]}" >&2
    exit 1
fi

export ZMQ_CXXFLAGS="-fsanitize-coverage=trace-cmp"
# libsodium's configure links test programs: they need the ASan runtime.
export SODIUM_LDFLAGS="-fsanitize=address"

features=()
[[ -z ${FUZZ_FEATURES:-} ]] || features=(--features "$FUZZ_FEATURES")

echo "==> building the fuzz targets ${FUZZ_FEATURES:+(features $FUZZ_FEATURES)}" >&2
cargo +nightly fuzz build ${features[@]+"${features[@]}"}

if [[ -n $cmin ]]; then
    for target in "${targets[@]}"; do
        before=$(find "fuzz/corpus/$target" -type f 2>/dev/null | wc -l)
        echo "==> minimising fuzz/corpus/$target ($before inputs)" >&2
        cargo +nightly fuzz cmin ${features[@]+"${features[@]}"} "$target" >"fuzz/target/cmin-$target.log" 2>&1 ||
            { tail -n 30 "fuzz/target/cmin-$target.log" >&2; exit 1; }
        echo "    $(find "fuzz/corpus/$target" -type f | wc -l) inputs kept" >&2
    done
    exit 0
fi

logs=fuzz/target/logs
mkdir -p "$logs"
status=0
summary=()
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target" "fuzz/seeds/$target"
    echo "==> fuzzing $target for ${seconds}s" >&2
    log=$logs/$target.log
    started=$SECONDS
    if cargo +nightly fuzz run ${features[@]+"${features[@]}"} "$target" \
        "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
        -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 \
        -print_final_stats=1 ${FUZZ_JOBS:+-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS} \
        >"$log" 2>&1; then
        result=ok
    else
        result=FAILED
        status=1
        tail -n 60 "$log" >&2
    fi
    # With -jobs, each worker prints its own count.
    runs=$(awk '/^stat::number_of_executed_units:/ { n += $2; seen = 1 } END { if (seen) print n }' "$log")
    corpus=$(find "fuzz/corpus/$target" -type f | wc -l)
    summary+=("$(printf '%-14s %-6s %12s executions %6ss  corpus %s' \
        "$target" "$result" "${runs:-?}" $((SECONDS - started)) "$corpus")")
done

echo >&2
echo "fuzz.sh: ${seconds}s per target (logs in $logs/)" >&2
printf '%s\n' "${summary[@]}" >&2
exit $status
