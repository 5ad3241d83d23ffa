#![doc = include_str!("coverage.md")]

#[cfg(test)]
mod tests {
    /// The exported function names of a `zmq.h` text: the identifier before
    /// the first `(` after each `ZMQ_EXPORT`, the return type possibly on
    /// the line before the name.
    fn exported_functions(header: &str) -> Vec<String> {
        let mut names = Vec::new();
        for (at, _) in header.match_indices("ZMQ_EXPORT") {
            let rest = &header[at + "ZMQ_EXPORT".len()..];
            // `#define ZMQ_EXPORT ...` lines have no function after them.
            if rest.starts_with([' ', '\t']) && !header[..at].ends_with("#define ") {
                let head = rest.split('(').next().unwrap_or_default();
                if let Some(name) = head.split_whitespace().last() {
                    let name = name.trim_start_matches('*');
                    if name.starts_with("zmq_") && !names.iter().any(|n| n == name) {
                        names.push(name.to_owned());
                    }
                }
            }
        }
        names
    }

    /// The function names in the first column of the coverage table.
    fn table_rows() -> Vec<&'static str> {
        include_str!("coverage.md")
            .lines()
            .filter_map(|line| line.strip_prefix("| `"))
            .filter_map(|line| line.split('`').next())
            .collect()
    }

    #[test]
    fn every_function_of_zmq_h_has_a_row_and_every_row_a_function() {
        let header = std::fs::read_to_string(concat!(env!("ZMQ_INCLUDE_DIR"), "/zmq.h")).unwrap();
        let exported = exported_functions(&header);
        assert!(
            exported.len() > 90,
            "parsed only {} functions",
            exported.len()
        );
        let rows = table_rows();
        for name in &exported {
            assert!(
                rows.contains(&name.as_str()),
                "{name} has no row in coverage.md"
            );
        }
        for (i, row) in rows.iter().enumerate() {
            assert!(
                exported.iter().any(|name| name == row),
                "coverage.md lists {row}, which zmq.h does not export"
            );
            assert!(!rows[..i].contains(row), "coverage.md lists {row} twice");
        }
    }

    #[test]
    fn draft_rows_say_so_and_stable_rows_do_not() {
        let header = std::fs::read_to_string(concat!(env!("ZMQ_INCLUDE_DIR"), "/zmq.h")).unwrap();
        let draft_start = header.find("#ifdef ZMQ_BUILD_DRAFT_API").unwrap();
        for line in include_str!("coverage.md")
            .lines()
            .filter(|l| l.starts_with("| `"))
        {
            let name = line[3..].split('`').next().unwrap();
            let declared = header.find(&format!("{name} (")).unwrap();
            let is_draft = declared > draft_start;
            assert_eq!(
                line.contains("| draft"),
                is_draft,
                "{name}: draft marking in coverage.md is wrong"
            );
        }
    }
}
