#!/usr/bin/env bash
# Regenerates bindings/zmq.rs and bindings/zmq_draft.rs from libzmq's zmq.h
# with the settings in build/bindings.rs (needs libclang; never builds
# libzmq or libsodium).
#
#   ./update-bindings.sh          rewrite the checked-in files
#   ./update-bindings.sh --check  fail if they differ from a fresh generation
set -euo pipefail
cd "$(dirname "$0")"

mode=write
[[ "${1:-}" == "--check" ]] && mode=check

# Generation needs zmq.h only, so zmq-sys runs in check-only mode (no CMake,
# nothing linked) and libsodium-sys-stable is pointed at a directory instead
# of compiling libsodium. Its own target directory keeps these settings from
# invalidating the build scripts' outputs of ordinary builds.
export ZMQ_SYS_CHECK_ONLY=1
export SODIUM_LIB_DIR="${TMPDIR:-/tmp}"
unset SODIUM_USE_PKG_CONFIG ZMQ_NO_VENDOR
target_dir=$(cargo metadata --format-version 1 --no-deps --locked --offline \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
export CARGO_TARGET_DIR="$target_dir/update-bindings"

# Prints the OUT_DIR of zmq-sys's build script for a check with these features.
out_dir_for() {
    cargo check --locked -p zmq-sys --features "$1" --message-format=json \
        | python3 -c '
import json, sys
for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("reason") == "build-script-executed" \
            and msg["package_id"].split("#")[0].endswith("/zmq-sys"):
        print(msg["out_dir"])
' | tail -n 1
}

status=0
for spec in "bindgen:zmq.rs" "bindgen,draft:zmq_draft.rs"; do
    features=${spec%%:*}
    file=bindings/${spec##*:}
    fresh="$(out_dir_for "$features")/bindings.rs"
    if [[ ! -f "$fresh" ]]; then
        echo "no generated bindings for features $features" >&2
        exit 1
    fi
    if [[ $mode == write ]]; then
        cp "$fresh" "$file"
        echo "updated $file"
    elif diff -u "$file" "$fresh" >/dev/null; then
        echo "$file matches a fresh generation"
    else
        diff -u "$file" "$fresh" | head -n 40 >&2
        echo "$file differs from a fresh generation: run zmq-sys/update-bindings.sh" >&2
        status=1
    fi
done
exit $status
