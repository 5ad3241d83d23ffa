//! The command line of tx0mq's demos: optparse's `-m/--method` (parsed,
//! unused, as in the originals) and `-e/--endpoint` with its default.

/// The endpoint given with `-e ENDPOINT`, `--endpoint ENDPOINT` or
/// `--endpoint=ENDPOINT`, else `default`; exits with a usage message on an
/// unknown option or a missing value.
pub(crate) fn endpoint(default: &str) -> String {
    let mut endpoint = default.to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let value = match name.as_str() {
            "-e" | "--endpoint" | "-m" | "--method" => inline.or_else(|| args.next()),
            _ => usage(&format!("no such option: {arg}")),
        };
        let value = value.unwrap_or_else(|| usage(&format!("{name} option requires an argument")));
        if name == "-e" || name == "--endpoint" {
            endpoint = value;
        }
    }
    endpoint
}

fn usage(why: &str) -> ! {
    eprintln!("error: {why}\nusage: [-m bind|connect] [-e ENDPOINT]");
    std::process::exit(2)
}
