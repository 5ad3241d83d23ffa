#!/usr/bin/env bash
# Builds libzmq in several configurations, each with libzmq's six perf tools
# linked against it, for A/B measurements of the library build itself
# (vendor/README.md says what they found):
#
#   scripts/libzmq_builds.sh cmake cc-4.3.5 ...    # the variants to build
#   scripts/libzmq_builds.sh --list                # what each variant is
#
# Each variant lands in target/libzmq-builds/<variant>/ as lib/libzmq.a and
# perf/{local_thr,remote_thr,local_lat,remote_lat,inproc_thr,inproc_lat};
# compare them with
#   cargo bench --bench compare -- --tools NAME=target/libzmq-builds/<variant>/perf ...
# (wall clock, interleaved) and scripts/callgrind_tcp.sh (instructions).
#
# The cc-* variants compile libzmq the way rust-zmq's zeromq-src does: every
# source file with `c++ -O3 -ffunction-sections -fdata-sections -fPIC -m64
# -std=c++11` (what the cc crate passes for cargo's release profile), the
# defines zeromq-src sets on Linux and an empty platform.hpp. The cmake-*
# variants configure libzmq's CMakeLists.txt with zmq-sys/build/vendored.rs's
# settings plus the variant's own. The vendored-* variants start from
# zmq-sys's build as it is (getpid cache included) and change one thing:
# shared instead of static, or link-time optimisation. Needs a release
# build of the workspace first (for the source tree, libsodium and zmq-sys's
# libzmq.a): cargo build --release --bins.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out_root=$root/target/libzmq-builds
registry=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/ | head -n 1)
tree_435=${registry}zeromq-src-0.3.6+4.3.5/vendor
tree_434=${registry}zeromq-src-0.2.6+4.3.4/vendor
jobs=${JOBS:-2}

list() {
    cat <<'EOF'
cmake              zmq-sys's CMake settings: Release (-O3 -DNDEBUG), eventfd, HAVE_FORK (without the getpid cache)
cmake-socketpair   the same with ZMQ_HAVE_EVENTFD=OFF: signalers on a socketpair
cmake-nofork       the same with HAVE_FORK=OFF: no getpid() system call per signal
cmake-O2           the same with CMAKE_BUILD_TYPE=RelWithDebInfo (-O2 -g -DNDEBUG)
cc-4.3.5           zeromq-src 0.3's cc build of 4.3.5 (socketpair signalers, assertions on)
cc-4.3.5-eventfd   the same with ZMQ_HAVE_EVENTFD
cc-4.3.4           zeromq-src 0.2's cc build of 4.3.4, as rust-zmq 0.10 links it
vendored           zmq-sys's own libzmq.a from target/release, not rebuilt (cmake with the getpid cache)
vendored-shared    the same archive's objects linked into libzmq.so, as CMake's BUILD_SHARED does
vendored-lto       vendored with -flto, the objects partially linked with LTO into one plain object (ld -r)
EOF
}

if [[ ${1:-} == --list || $# == 0 ]]; then
    list
    exit 0
fi

sodium_dir=$(ls -d target/release/build/libsodium-sys-stable-*/out/installed 2>/dev/null | head -n 1)
if [[ -z $sodium_dir ]]; then
    echo "libzmq_builds.sh: no libsodium in target/release: run cargo build --release --bins first" >&2
    exit 2
fi

# The defines zeromq-src's build script sets on x86_64 Linux; 0.2.6 (4.3.4)
# lacks the two marked ones.
cc_defines() {
    local version=$1
    echo -DZMQ_BUILD_TESTS=OFF -DZMQ_USE_CV_IMPL_STL11=1 -DZMQ_STATIC=1 -DZMQ_USE_BUILTIN_SHA1=1 \
        -DZMQ_HAVE_WS=1 -DZMQ_IOTHREAD_POLLER_USE_EPOLL=1 -DZMQ_POLL_BASED_ON_POLL=1 \
        -DZMQ_HAVE_IPC=1 -DHAVE_STRNLEN=1 -DZMQ_HAVE_UIO=1
    if [[ $version == 4.3.5 ]]; then
        echo -DZMQ_HAVE_LINUX=1 -DZMQ_HAVE_STRUCT_SOCKADDR_UN=1
    fi
}

build_cc() {
    local dir=$1 tree=$2 version=$3
    shift 3
    local extra=("$@")
    mkdir -p "$dir/obj" "$dir/lib" "$dir/include"
    : >"$dir/include/platform.hpp"
    local flags=(-O3 -ffunction-sections -fdata-sections -fPIC -m64 -std=c++11 -w
        -I "$tree/include" -I "$tree/src" -I "$dir/include")
    read -r -a defines <<<"$(cc_defines "$version" | tr '\n' ' ')"
    local sources=()
    for source in "$tree"/src/*.cpp; do
        case $(basename "$source") in
        wss_address.cpp | wss_engine.cpp) ;; # need GnuTLS; zeromq-src leaves them out
        *) sources+=("$source") ;;
        esac
    done
    printf '%s\n' "${sources[@]}" | xargs -P "$jobs" -I{} sh -c \
        'c++ "$@" -c {} -o "'"$dir"'/obj/$(basename {} .cpp).o"' _ \
        "${flags[@]}" "${defines[@]}" "${extra[@]}"
    cc -O3 -ffunction-sections -fdata-sections -fPIC -m64 -w -c "$tree/external/sha1/sha1.c" \
        -o "$dir/obj/sha1.o"
    rm -f "$dir/lib/libzmq.a"
    ar crs "$dir/lib/libzmq.a" "$dir"/obj/*.o
}

# Extra flags for every C and C++ file of libzmq: $flags_extra.
flags_extra=
build_cmake() {
    local dir=$1
    shift
    local extra=("$@")
    cmake -S "$tree_435" -B "$dir/build" -DCMAKE_INSTALL_PREFIX="$dir" \
        -DCMAKE_BUILD_TYPE=Release \
        "-DCMAKE_CXX_FLAGS=-ffunction-sections -fdata-sections -fPIC -m64 $flags_extra" \
        "-DCMAKE_C_FLAGS=-ffunction-sections -fdata-sections -fPIC -m64 $flags_extra" \
        -DBUILD_SHARED=OFF -DBUILD_STATIC=ON -DBUILD_TESTS=OFF -DWITH_PERF_TOOL=OFF \
        -DWITH_DOCS=OFF -DWITH_DOC=OFF -DENABLE_CPACK=OFF -DENABLE_DRAFTS=OFF \
        -DENABLE_CURVE=ON -DWITH_LIBSODIUM=ON -DWITH_LIBSODIUM_STATIC=ON \
        -DSODIUM_INCLUDE_DIRS="$sodium_dir/include" -DSODIUM_LIBRARIES="$sodium_dir/lib/libsodium.a" \
        -DWITH_LIBBSD=OFF -DWITH_TLS=OFF -DWITH_NSS=OFF -DWITH_OPENPGM=OFF -DWITH_NORM=OFF \
        -DENABLE_PRECOMPILED=OFF -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_POLICY_VERSION_MINIMUM=3.5 \
        "${extra[@]}" >"$dir/cmake.log"
    cmake --build "$dir/build" --target libzmq-static -j "$jobs" >>"$dir/cmake.log"
    mkdir -p "$dir/lib" "$dir/include"
    cp "$dir/build/lib/libzmq.a" "$dir/lib/libzmq.a"
    cp "$dir/build/platform.hpp" "$dir/include/platform.hpp"
}

# zmq-sys/build/vendored.rs's cache_getpid: libzmq's calls to getpid renamed
# to zmq_sys_cached_getpid, whose object (build/getpid_cache.c, compiled as
# the cc crate would) joins the archive.
cache_getpid() {
    local dir=$1
    objcopy --redefine-sym getpid=zmq_sys_cached_getpid "$dir/lib/libzmq.a"
    cc -O2 -ffunction-sections -fdata-sections -fPIC -m64 -c "$root/zmq-sys/build/getpid_cache.c" \
        -o "$dir/getpid_cache.o"
    ar rs "$dir/lib/libzmq.a" "$dir/getpid_cache.o"
}

# Replaces the archive of -flto objects by one plain object, made by a
# relocatable link that runs the link-time optimiser over all of libzmq
# (-flinker-output=nolto-rel): any linker can use it, rust-lld included,
# and objcopy can still rename getpid in it.
partial_lto() {
    local dir=$1 objects=$dir/lto-objects
    mkdir -p "$objects"
    (cd "$objects" && gcc-ar x "$dir/lib/libzmq.a")
    c++ -r -O3 -fPIC -flto="$jobs" -flinker-output=nolto-rel -nostdlib -o "$dir/libzmq-lto.o" \
        "$objects"/*.o
    rm -f "$dir/lib/libzmq.a"
    ar crs "$dir/lib/libzmq.a" "$dir/libzmq-lto.o"
}

# zmq-sys's installed libzmq.a (getpid cache included) and its platform.hpp,
# from the release build this script needs anyway.
copy_vendored() {
    local dir=$1 out
    out=$(ls -d -t target/release/build/zmq-sys-*/out/lib/libzmq.a 2>/dev/null | head -n 1)
    out=${out%/lib/libzmq.a}
    if [[ -z $out || ! -f $out/build/platform.hpp ]]; then
        echo "libzmq_builds.sh: no libzmq.a of zmq-sys in target/release" >&2
        exit 2
    fi
    mkdir -p "$dir/lib" "$dir/include"
    cp "$out/lib/libzmq.a" "$dir/lib/libzmq.a"
    cp "$out/build/platform.hpp" "$dir/include/platform.hpp"
}

# libzmq.so from the archive's objects (CMake's BUILD_SHARED links the same
# position-independent objects). libsodium.a is not position-independent,
# so it stays out: the tools link it, and the dynamic linker binds
# libzmq.so's CURVE calls to their copy (none is on a message's path).
link_shared() {
    local dir=$1
    c++ -shared -Wl,-soname,libzmq.so.5 -o "$dir/lib/libzmq.so.5" \
        -Wl,--whole-archive "$dir/lib/libzmq.a" -Wl,--no-whole-archive -lpthread -lrt
    ln -sf libzmq.so.5 "$dir/lib/libzmq.so"
}

link_tools() {
    local dir=$1 tree=$2
    mkdir -p "$dir/perf"
    local lib=("$dir/lib/libzmq.a" "$sodium_dir/lib/libsodium.a")
    if [[ -f $dir/lib/libzmq.so ]]; then
        lib=(-L "$dir/lib" -Wl,-rpath,"$dir/lib" -l:libzmq.so "$sodium_dir/lib/libsodium.a")
    fi
    for tool in local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat; do
        c++ -O2 -w -I "$dir/include" -o "$dir/perf/$tool" "$tree/perf/$tool.cpp" \
            "${lib[@]}" -lpthread -lrt
    done
}

for variant in "$@"; do
    dir=$out_root/$variant
    rm -rf "$dir"
    mkdir -p "$dir"
    started=$SECONDS
    tree=$tree_435
    case $variant in
    cmake) build_cmake "$dir" ;;
    cmake-socketpair) build_cmake "$dir" -DZMQ_HAVE_EVENTFD=OFF ;;
    cmake-nofork) build_cmake "$dir" -DHAVE_FORK=OFF ;;
    cmake-O2) build_cmake "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo ;;
    vendored) copy_vendored "$dir" ;;
    vendored-shared) copy_vendored "$dir" && link_shared "$dir" ;;
    vendored-lto)
        flags_extra=-flto
        build_cmake "$dir" -DCMAKE_AR="$(command -v gcc-ar)" -DCMAKE_RANLIB="$(command -v gcc-ranlib)"
        flags_extra=
        partial_lto "$dir" && cache_getpid "$dir"
        ;;
    cc-4.3.5) build_cc "$dir" "$tree_435" 4.3.5 ;;
    cc-4.3.5-eventfd) build_cc "$dir" "$tree_435" 4.3.5 -DZMQ_HAVE_EVENTFD=1 ;;
    cc-4.3.4)
        if [[ ! -d $tree_434 ]]; then
            echo "libzmq_builds.sh: no 4.3.4 tree at $tree_434: build benches/peers/rust-zmq first" >&2
            exit 2
        fi
        tree=$tree_434
        build_cc "$dir" "$tree_434" 4.3.4
        ;;
    *)
        echo "libzmq_builds.sh: unknown variant $variant; see --list" >&2
        exit 2
        ;;
    esac
    link_tools "$dir" "$tree"
    echo "$variant: $dir ($((SECONDS - started)) s)"
done
