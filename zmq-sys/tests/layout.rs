//! The checked-in bindings agree with the C header, both ways: every value
//! macro the preprocessor sees in `zmq.h` (`ZMQ_*` and libzmq's own errno
//! values) is a Rust constant, and a small C program compiled against the
//! same `zmq.h` prints every Rust constant and the layout of the structs Rust
//! shares with libzmq, and the Rust side compares.

use std::collections::{BTreeMap, BTreeSet};
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

/// The value of a constant, as bindgen writes it and C prints it.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    /// `pub const ZMQ_PAIR: i32 = 0;`
    Int(i64),
    /// `pub const ZMQ_MSG_PROPERTY_USER_ID: &[u8; 8] = b"User-Id\0";`
    Str(String),
}

impl Value {
    /// As the C program prints it.
    fn text(&self) -> String {
        match self {
            Value::Int(value) => value.to_string(),
            Value::Str(value) => value.clone(),
        }
    }
}

/// `(name, value)` of every `pub const` in the bindings.
fn rust_constants() -> BTreeMap<String, Value> {
    let mut constants = BTreeMap::new();
    for line in bindings_source().lines() {
        let Some(rest) = line.trim().strip_prefix("pub const ") else {
            continue;
        };
        let (name, rest) = rest.split_once(':').expect(line);
        let (_, value) = rest.split_once('=').expect(line);
        let value = value.trim().trim_end_matches(';');
        let value = if let Ok(value) = value.parse::<i64>() {
            Value::Int(value)
        } else if let Some(text) = value
            .strip_prefix("b\"")
            .and_then(|v| v.strip_suffix("\\0\""))
        {
            assert!(!text.contains('\\'), "escapes are not handled: {line}");
            Value::Str(text.to_owned())
        } else {
            panic!("a constant of a form this test does not know: {line}");
        };
        constants.insert(name.trim().to_owned(), value);
    }
    constants
}

/// `#define`s of `zmq.h` that are not values, so have no Rust constant.
/// (`ZMQ_EXPORT` is `#undef`ined again at the end of the header.)
const NOT_VALUES: &[&str] = &[
    // Function-like: (major, minor, patch) -> int. Its use, ZMQ_VERSION, is a
    // hand-written constant in lib.rs.
    "ZMQ_MAKE_VERSION",
    // Feature-test macros, defined empty.
    "ZMQ_HAVE_TIMERS",
    "ZMQ_HAVE_POLLER",
    // Our own -D for draft builds, not the header's.
    "ZMQ_BUILD_DRAFT_API",
];

/// The C compiler, set up for `zmq.h` the way this build sees it.
fn c_compiler() -> (String, Command) {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let mut command = Command::new(&cc);
    command
        // gnu11, not c11: the draft zmq_ppoll takes a POSIX sigset_t, which
        // strict C11 mode hides.
        .arg("-std=gnu11")
        .arg("-I")
        .arg(env!("ZMQ_SYS_INCLUDE_DIR"));
    if cfg!(feature = "draft") {
        command.arg("-DZMQ_BUILD_DRAFT_API");
    }
    (cc, command)
}

fn cc_failed(cc: &str, e: std::io::Error) -> ! {
    panic!(
        "cannot run the C compiler `{cc}`, which this test needs to read zmq.h's \
         values (install one, Debian: apt-get install gcc, or set CC): {e}"
    )
}

/// The names of the macros in effect after the preprocessor has read
/// `zmq.h` (so the draft ones only in a draft build): every `ZMQ_*`, and the
/// `E*` errno values that zmq.h defines relative to `ZMQ_HAUSNUMERO`.
fn header_defines() -> BTreeSet<String> {
    let (cc, mut command) = c_compiler();
    let header = PathBuf::from(env!("ZMQ_SYS_INCLUDE_DIR")).join("zmq.h");
    let output = command
        .args(["-E", "-dM"])
        .arg(&header)
        .output()
        .unwrap_or_else(|e| cc_failed(&cc, e));
    assert!(
        output.status.success(),
        "{cc} -E -dM {} failed: {}",
        header.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let mut names = BTreeSet::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Some(rest) = line.strip_prefix("#define ") else {
            continue;
        };
        let end = rest.find([' ', '(']).unwrap_or(rest.len());
        let (name, body) = rest.split_at(end);
        if name.starts_with("ZMQ_") || (name.starts_with('E') && body.contains("ZMQ_HAUSNUMERO")) {
            names.insert(name.to_owned());
        }
    }
    names
}

/// Compiles and runs a C program that prints `name<TAB>value` lines.
fn c_values(constants: &BTreeMap<String, Value>) -> BTreeMap<String, String> {
    let mut program = String::from(
        "#include <stdio.h>\n#include <stddef.h>\n#include <zmq.h>\nint main(void) {\n",
    );
    for (name, value) in constants {
        program.push_str(&match value {
            Value::Int(_) => format!("  printf(\"{name}\\t%lld\\n\", (long long)({name}));\n"),
            Value::Str(_) => format!("  printf(\"{name}\\t%s\\n\", {name});\n"),
        });
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
            "  printf(\"sizeof {ty}\\t%lld\\n\", (long long)sizeof({ty}));\n  \
             printf(\"alignof {ty}\\t%lld\\n\", (long long)_Alignof({ty}));\n"
        ));
        for field in *fields {
            program.push_str(&format!(
                "  printf(\"offsetof {ty}.{field}\\t%lld\\n\", (long long)offsetof({ty}, {field}));\n"
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
    let (cc, mut compile) = c_compiler();
    let status = compile
        .arg(&source)
        .arg("-o")
        .arg(&binary)
        .status()
        .unwrap_or_else(|e| cc_failed(&cc, e));
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
            let (name, value) = line.split_once('\t').expect(line);
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

#[test]
fn constants_and_struct_layouts_match_the_c_header() {
    let mut constants = rust_constants();
    assert!(
        constants.len() > 150,
        "found only {} constants",
        constants.len()
    );
    constants.insert(
        "ZMQ_VERSION".to_owned(),
        Value::Int(zmq_sys::ZMQ_VERSION.into()),
    );

    // zmq.h -> Rust: nothing the header defines was left out of the bindings.
    let missing: Vec<_> = header_defines()
        .into_iter()
        .filter(|name| !constants.contains_key(name) && !NOT_VALUES.contains(&name.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "zmq.h defines {missing:?}, which the bindings lack: allowlist them in \
         build/bindings.rs and run update-bindings.sh, or list them in NOT_VALUES"
    );

    // Rust -> zmq.h: every constant exists in C (or the program would not
    // compile) with the same value.
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
            c.get(name),
            Some(&runtime.to_string()),
            "{name} in zmq.h differs from the linked libzmq"
        );
    }
    for (name, value) in &constants {
        if cfg!(zmq_system) && (name == "ZMQ_VERSION_PATCH" || name == "ZMQ_VERSION") {
            continue;
        }
        assert_eq!(
            c.get(name),
            Some(&value.text()),
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
            c.get(what),
            Some(&rust.to_string()),
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
