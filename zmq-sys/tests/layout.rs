//! The checked-in bindings agree with the C header: a small C program
//! compiled against the same `zmq.h` prints every `ZMQ_*` constant and the
//! layout of the structs Rust shares with libzmq, and the Rust side compares.

use std::collections::BTreeMap;
use std::mem::{align_of, offset_of, size_of};
use std::path::PathBuf;
use std::process::Command;

/// The bindings file this build compiled.
fn bindings_source() -> &'static str {
    if cfg!(feature = "draft") {
        include_str!("../bindings/zmq_draft.rs")
    } else {
        include_str!("../bindings/zmq.rs")
    }
}

/// `(name, value)` of every `pub const ZMQ_*: i32 = N;` in the bindings.
fn rust_constants() -> BTreeMap<String, i64> {
    let mut constants = BTreeMap::new();
    for line in bindings_source().lines() {
        let Some(rest) = line.trim().strip_prefix("pub const ") else {
            continue;
        };
        let Some((name, rest)) = rest.split_once(':') else {
            continue;
        };
        let Some((_, value)) = rest.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_end_matches(';');
        if let Ok(value) = value.parse::<i64>() {
            constants.insert(name.trim().to_owned(), value);
        }
    }
    constants
}

/// Compiles and runs a C program that prints `name value` lines.
fn c_values(constants: &BTreeMap<String, i64>) -> BTreeMap<String, i64> {
    let mut program = String::from(
        "#include <stdio.h>\n#include <stddef.h>\n#include <zmq.h>\nint main(void) {\n",
    );
    for name in constants.keys() {
        program.push_str(&format!(
            "  printf(\"{name} %lld\\n\", (long long)({name}));\n"
        ));
    }
    let layouts: &[(&str, &[&str])] = &[
        ("zmq_msg_t", &[]),
        ("zmq_pollitem_t", &["socket", "fd", "events", "revents"]),
        #[cfg(feature = "draft")]
        (
            "zmq_poller_event_t",
            &["socket", "fd", "user_data", "events"],
        ),
    ];
    for (ty, fields) in layouts {
        program.push_str(&format!(
            "  printf(\"sizeof {ty} %lld\\n\", (long long)sizeof({ty}));\n  \
             printf(\"alignof {ty} %lld\\n\", (long long)_Alignof({ty}));\n"
        ));
        for field in *fields {
            program.push_str(&format!(
                "  printf(\"offsetof {ty}.{field} %lld\\n\", (long long)offsetof({ty}, {field}));\n"
            ));
        }
    }
    program.push_str("  return 0;\n}\n");

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("zmq-sys-layout-{}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let source = dir.join("layout.c");
    let binary = dir.join("layout");
    std::fs::write(&source, program)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", source.display()));
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let mut compile = Command::new(&cc);
    compile
        // gnu11, not c11: the draft zmq_ppoll takes a POSIX sigset_t, which
        // strict C11 mode hides.
        .arg("-std=gnu11")
        .arg("-I")
        .arg(env!("ZMQ_SYS_INCLUDE_DIR"));
    if cfg!(feature = "draft") {
        compile.arg("-DZMQ_BUILD_DRAFT_API");
    }
    let status = compile
        .arg(&source)
        .arg("-o")
        .arg(&binary)
        .status()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run the C compiler `{cc}`, which this test needs to read zmq.h's \
                 values (install one, Debian: apt-get install gcc, or set CC): {e}"
            )
        });
    assert!(
        status.success(),
        "{cc} could not compile {}",
        source.display()
    );
    let output = Command::new(&binary)
        .output()
        .unwrap_or_else(|e| panic!("cannot run the compiled {}: {e}", binary.display()));
    assert!(
        output.status.success(),
        "{} failed ({}): {}",
        binary.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let (name, value) = line.rsplit_once(' ').unwrap();
            (name.to_owned(), value.parse().unwrap())
        })
        .collect()
}

#[test]
fn constants_and_struct_layouts_match_the_c_header() {
    let constants = rust_constants();
    assert!(
        constants.len() > 150,
        "found only {} constants",
        constants.len()
    );
    let c = c_values(&constants);

    // The header and the library it describes agree on the version. In a
    // `system` build that version is whatever 4.3.x the distribution ships,
    // so only there may the patch level differ from the checked-in 4.3.5.
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: zmq_version writes three ints through valid pointers.
    unsafe { zmq_sys::zmq_version(&mut major, &mut minor, &mut patch) };
    for (name, runtime) in [
        ("ZMQ_VERSION_MAJOR", major),
        ("ZMQ_VERSION_MINOR", minor),
        ("ZMQ_VERSION_PATCH", patch),
    ] {
        assert_eq!(
            c.get(name).copied(),
            Some(i64::from(runtime)),
            "{name} in zmq.h differs from the linked libzmq"
        );
    }
    for (name, value) in &constants {
        if cfg!(zmq_system) && name == "ZMQ_VERSION_PATCH" {
            continue;
        }
        assert_eq!(
            c.get(name),
            Some(value),
            "{name} differs between Rust and C"
        );
    }

    use zmq_sys::*;
    #[cfg_attr(not(feature = "draft"), allow(unused_mut))]
    let mut rust_layout = vec![
        ("sizeof zmq_msg_t", size_of::<zmq_msg_t>()),
        ("alignof zmq_msg_t", align_of::<zmq_msg_t>()),
        ("sizeof zmq_pollitem_t", size_of::<zmq_pollitem_t>()),
        ("alignof zmq_pollitem_t", align_of::<zmq_pollitem_t>()),
        (
            "offsetof zmq_pollitem_t.socket",
            offset_of!(zmq_pollitem_t, socket),
        ),
        ("offsetof zmq_pollitem_t.fd", offset_of!(zmq_pollitem_t, fd)),
        (
            "offsetof zmq_pollitem_t.events",
            offset_of!(zmq_pollitem_t, events),
        ),
        (
            "offsetof zmq_pollitem_t.revents",
            offset_of!(zmq_pollitem_t, revents),
        ),
    ];
    #[cfg(feature = "draft")]
    rust_layout.extend([
        ("sizeof zmq_poller_event_t", size_of::<zmq_poller_event_t>()),
        (
            "alignof zmq_poller_event_t",
            align_of::<zmq_poller_event_t>(),
        ),
        (
            "offsetof zmq_poller_event_t.socket",
            offset_of!(zmq_poller_event_t, socket),
        ),
        (
            "offsetof zmq_poller_event_t.fd",
            offset_of!(zmq_poller_event_t, fd),
        ),
        (
            "offsetof zmq_poller_event_t.user_data",
            offset_of!(zmq_poller_event_t, user_data),
        ),
        (
            "offsetof zmq_poller_event_t.events",
            offset_of!(zmq_poller_event_t, events),
        ),
    ]);
    for (what, rust) in rust_layout {
        assert_eq!(
            c.get(what).copied(),
            Some(rust as i64),
            "{what} differs between Rust and C"
        );
    }
}

#[test]
fn zmq_msg_t_is_not_copy() {
    // `Clone`/`Copy` on zmq_msg_t would let safe code duplicate libzmq's
    // reference-counted message state; bindgen is told `no_copy`.
    let source = bindings_source();
    let at = source.find("pub struct zmq_msg_t").unwrap();
    let derive = source[..at].rsplit("#[derive(").next().unwrap();
    let derive = derive.split(")]").next().unwrap();
    assert!(
        !derive.contains("Copy") && !derive.contains("Clone"),
        "zmq_msg_t derives {derive}"
    );
}
