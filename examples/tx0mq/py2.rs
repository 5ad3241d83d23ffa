//! Python 2's printing of the values tx0mq's demos print.

/// Python 2's `str()` of a float: twelve significant digits (`%.12g`),
/// as `str(time.time())` prints the clock.
pub(crate) fn float(value: f64) -> String {
    let int_digits = if value.abs() >= 1.0 {
        value.abs().log10().floor() as i32 + 1
    } else {
        1
    };
    let decimals = (12 - int_digits).max(0) as usize;
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        let trimmed = text.trim_end_matches('0');
        trimmed
            .strip_suffix('.')
            .map_or(trimmed.to_owned(), |t| format!("{t}.0"))
    } else {
        text
    }
}
