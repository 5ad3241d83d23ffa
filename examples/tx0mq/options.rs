//! The command lines of tx0mq's demos, as optparse reads them: each option
//! by its short or long name, its value after a space or an `=`. The
//! push/pull demos' `-m/--method`, unused there, is accepted and ignored
//! by every demo.

/// The values of `options` (short name, long name, default), in their
/// order; exits with a usage message on an unknown option or a missing
/// value.
pub(crate) fn parse<const N: usize>(options: [(&str, &str, &str); N]) -> [String; N] {
    let mut values = options.map(|(_, _, default)| default.to_owned());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let slot = options
            .iter()
            .position(|(short, long, _)| name == *short || name == *long);
        if slot.is_none() && !["-m", "--method"].contains(&name.as_str()) {
            usage(&options, &format!("no such option: {arg}"));
        }
        let value = inline
            .or_else(|| args.next())
            .unwrap_or_else(|| usage(&options, &format!("{name} option requires an argument")));
        if let Some(slot) = slot {
            values[slot] = value;
        }
    }
    values
}

fn usage(options: &[(&str, &str, &str)], why: &str) -> ! {
    let names: Vec<String> = options
        .iter()
        .map(|(short, long, _)| format!("[{short}|{long} VALUE]"))
        .collect();
    eprintln!("error: {why}\nusage: {}", names.join(" "));
    std::process::exit(2)
}
