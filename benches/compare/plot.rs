//! The SVG plot: throughput (messages per second, log scale) against message
//! size (log scale), one curve per transport and implementation, with
//! whiskers from the slowest to the fastest run. Written by hand: a few
//! lines, polylines and texts need no plotting library.

use std::fmt::Write;

use crate::measure::{Metric, Transport};
use crate::report::{Report, RowResult, Stats, size_label, version};

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 460.0;
const LEFT: f64 = 80.0;
const RIGHT: f64 = 190.0;
const TOP: f64 = 50.0;
const BOTTOM: f64 = 60.0;

/// One curve: a colour, a dash pattern and its points.
struct Curve<'a> {
    label: String,
    colour: &'static str,
    dash: &'static str,
    points: Vec<(usize, &'a Stats)>,
}

/// The plot of `report`'s throughput rows, as an SVG document.
pub(crate) fn throughput_svg(report: &Report) -> String {
    let mut curves = Vec::new();
    for (transport, colour) in [(Transport::Tcp, "#1f77b4"), (Transport::Inproc, "#d62728")] {
        let rows: Vec<&RowResult> = report
            .rows
            .iter()
            .filter(|r| r.row.transport == transport && r.row.metric == Metric::Throughput)
            .collect();
        if rows.is_empty() {
            continue;
        }
        curves.push(Curve {
            label: format!("{} libzmq (C++)", transport.name()),
            colour,
            dash: "",
            points: rows.iter().map(|r| (r.row.size, &r.raw)).collect(),
        });
        curves.push(Curve {
            label: format!("{} Rust port", transport.name()),
            colour,
            dash: "6 4",
            points: rows.iter().map(|r| (r.row.size, &r.rust)).collect(),
        });
    }

    let sizes: Vec<usize> = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|(size, _)| *size))
        .collect();
    let values: Vec<f64> = curves
        .iter()
        .flat_map(|c| c.points.iter().flat_map(|(_, s)| [s.min, s.max]))
        .filter(|v| *v > 0.0)
        .collect();
    let x_max = sizes.iter().copied().max().unwrap_or(1).max(2) as f64;
    let y_low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let y_high = values.iter().copied().fold(0.0, f64::max);
    let (decade_low, decade_high) = if values.is_empty() {
        (0, 1)
    } else {
        (
            y_low.log10().floor() as i32,
            (y_high.log10().ceil() as i32).max(y_low.log10().floor() as i32 + 1),
        )
    };

    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |size: usize| LEFT + (size.max(1) as f64).log2() / x_max.log2() * plot_w;
    let y = |v: f64| {
        let span = f64::from(decade_high - decade_low);
        TOP + plot_h - (v.max(1e-9).log10() - f64::from(decade_low)) / span * plot_h
    };

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        svg,
        r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>"#
    );
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="24" text-anchor="middle" font-size="15">Throughput vs message size: libzmq {} perf tools and their Rust ports</text>"#,
        WIDTH / 2.0,
        version()
    );
    let _ = writeln!(
        svg,
        r##"<text x="{}" y="40" text-anchor="middle" fill="#555">medians of {} runs each ({} mode); whiskers: min to max</text>"##,
        WIDTH / 2.0,
        report.pairs,
        report.mode
    );

    // Horizontal grid: one line per decade.
    for decade in decade_low..=decade_high {
        let v = 10f64.powi(decade);
        let yy = y(v);
        let _ = writeln!(
            svg,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            LEFT + plot_w,
            LEFT - 6.0,
            yy + 4.0,
            decade_label(decade)
        );
    }
    // Vertical grid: one line per measured size.
    let mut ticks = sizes.clone();
    ticks.sort_unstable();
    ticks.dedup();
    for size in ticks {
        let xx = x(size);
        let _ = writeln!(
            svg,
            r##"<line x1="{xx:.1}" y1="{TOP}" x2="{xx:.1}" y2="{:.1}" stroke="#ddd"/><text x="{xx:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            TOP + plot_h,
            TOP + plot_h + 18.0,
            size_label(size)
        );
    }
    let _ = writeln!(
        svg,
        r#"<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="black"/>"#
    );
    let _ = writeln!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">message size (log scale)</text>"#,
        LEFT + plot_w / 2.0,
        HEIGHT - 16.0
    );
    let _ = writeln!(
        svg,
        r#"<text transform="translate(18 {:.1}) rotate(-90)" text-anchor="middle">messages per second (log scale)</text>"#,
        TOP + plot_h / 2.0
    );

    for (i, curve) in curves.iter().enumerate() {
        let points: Vec<String> = curve
            .points
            .iter()
            .map(|(size, stats)| format!("{:.1},{:.1}", x(*size), y(stats.median)))
            .collect();
        let _ = writeln!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>"#,
            points.join(" "),
            curve.colour,
            curve.dash
        );
        // Whiskers and markers, nudged sideways so both sides stay visible.
        let nudge = if curve.dash.is_empty() { -3.0 } else { 3.0 };
        for (size, stats) in &curve.points {
            let xx = x(*size) + nudge;
            let _ = writeln!(
                svg,
                r#"<line x1="{xx:.1}" y1="{:.1}" x2="{xx:.1}" y2="{:.1}" stroke="{}"/><circle cx="{xx:.1}" cy="{:.1}" r="3" fill="{}"/>"#,
                y(stats.min),
                y(stats.max),
                curve.colour,
                y(stats.median),
                curve.colour
            );
        }
        // Legend entry.
        let ly = TOP + 14.0 + 20.0 * i as f64;
        let lx = WIDTH - RIGHT + 14.0;
        let _ = writeln!(
            svg,
            r#"<line x1="{lx:.1}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="{}" stroke-width="2" stroke-dasharray="{}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            lx + 30.0,
            curve.colour,
            curve.dash,
            lx + 36.0,
            ly + 4.0,
            curve.label
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// 1, 10, 100, 1k, 10k, 100k, 1M, 10M, ...
fn decade_label(decade: i32) -> String {
    match decade {
        d if d < 0 => format!("{}", 10f64.powi(d)),
        d if d < 3 => format!("{}", 10u64.pow(d.unsigned_abs())),
        d if d < 6 => format!("{}k", 10u64.pow(d.unsigned_abs() - 3)),
        d if d < 9 => format!("{}M", 10u64.pow(d.unsigned_abs() - 6)),
        d => format!("{}G", 10u64.pow(d.unsigned_abs() - 9)),
    }
}
