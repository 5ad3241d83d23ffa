//! Python's way of printing values, so a port prints what its original
//! prints: `print(f"[ {message} ]")` on a `bytes` shows `b'World'`, and a
//! `float` always shows a decimal point or an exponent.

use std::fmt::Write;

/// `repr()` of a Python `bytes` object: `b'World'`, `b"it's"`, `b'\x00\n'`.
pub fn bytes(data: &[u8]) -> String {
    // Python picks double quotes only when that avoids escaping.
    let quote = if data.contains(&b'\'') && !data.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(data.len() + 3);
    out.push('b');
    out.push(quote);
    for &byte in data {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            _ if char::from(byte) == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(char::from(byte)),
            _ => {
                let _ = write!(out, "\\x{byte:02x}");
            }
        }
    }
    out.push(quote);
    out
}

/// `repr()` of a Python list of `bytes`, as `print` shows the frames of
/// `recv_multipart()`: `[b'\x00k\x8bEg', b'', b'Hello']`.
pub fn bytes_list<F: AsRef<[u8]>>(frames: &[F]) -> String {
    let items: Vec<String> = frames.iter().map(|f| bytes(f.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

/// `repr()` of a Python `str`: `'OK'`, `"it's"`, `'tab\\there'`, as
/// `print` shows the strings inside a tuple or a list.
pub fn text(value: &str) -> String {
    // As for bytes: double quotes only when that avoids escaping.
    let quote = if value.contains('\'') && !value.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(value.len() + 2);
    out.push(quote);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ if c == quote => {
                out.push('\\');
                out.push(quote);
            }
            _ if c.is_control() && u32::from(c) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            _ if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            _ => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr()` of a Python `float`: the shortest text that reads back as the
/// same number, `3.0` rather than Rust's `3`, `1e+16` rather than `1e16`.
pub fn float(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-4..1e16).contains(&magnitude) {
        // Rust writes `1.5e-7`; Python writes a signed, two-digit exponent.
        let text = format!("{value:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let (sign, digits) = match exponent.strip_prefix('-') {
            Some(digits) => ('-', digits),
            None => ('+', exponent),
        };
        return format!("{mantissa}e{sign}{digits:0>2}");
    }
    let text = format!("{value}");
    if text.contains('.') {
        text
    } else {
        text + ".0"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_look_like_python_reprs() {
        assert_eq!(bytes(b"World"), "b'World'");
        assert_eq!(bytes(b""), "b''");
        assert_eq!(bytes(b"it's"), "b\"it's\"");
        assert_eq!(bytes(b"'\""), "b'\\'\"'");
        assert_eq!(bytes(b"a\\b\t\n\r"), "b'a\\\\b\\t\\n\\r'");
        assert_eq!(bytes(&[0, 0x7f, 0x80, 0xff]), "b'\\x00\\x7f\\x80\\xff'");
    }

    #[test]
    fn byte_lists_look_like_python_reprs() {
        assert_eq!(bytes_list::<&[u8]>(&[]), "[]");
        assert_eq!(
            bytes_list(&[&b"\x00k"[..], b"", b"Hello"]),
            "[b'\\x00k', b'', b'Hello']"
        );
    }

    #[test]
    fn texts_look_like_python_reprs() {
        assert_eq!(text("OK"), "'OK'");
        assert_eq!(text(""), "''");
        assert_eq!(
            text("monitor received: b'OK'"),
            "\"monitor received: b'OK'\""
        );
        assert_eq!(text("'\""), "'\\'\"'");
        assert_eq!(text("a\\b\t\n\x01"), "'a\\\\b\\t\\n\\x01'");
        assert_eq!(text("caf\u{e9}"), "'caf\u{e9}'");
    }

    #[test]
    fn floats_look_like_python_reprs() {
        assert_eq!(float(3.0), "3.0");
        assert_eq!(float(-0.0), "-0.0");
        assert_eq!(float(27.45), "27.45");
        assert_eq!(float(1.0 / 3.0), "0.3333333333333333");
        assert_eq!(float(1e16), "1e+16");
        assert_eq!(float(1.5e-7), "1.5e-07");
        assert_eq!(float(0.0001), "0.0001");
        assert_eq!(float(123456789012345.6), "123456789012345.6");
        assert_eq!(float(f64::NAN), "nan");
        assert_eq!(float(f64::NEG_INFINITY), "-inf");
    }
}
