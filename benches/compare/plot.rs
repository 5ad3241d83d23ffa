//! The plot: three panels against message size (log-log), one colour per
//! implementation: throughput (tcp solid, inproc dashed), latency (the
//! same), and the zero-copy rows (copying sends solid, handed-over buffers
//! dashed); whiskers from the slowest to the fastest run. The SVG is
//! written by hand (lines, polylines and texts need no plotting library) and
//! rasterised to PNG with resvg, using the system's fonts.

use std::fmt::Write;
use std::path::Path;

use crate::measure::{Metric, Transport};
use crate::report::{Report, RowResult, Stats, size_label, version};

const WIDTH: f64 = 1120.0;
const HEIGHT: f64 = 860.0;
/// Panel cells: two columns, two rows; the fourth cell holds the legend.
const CELL_W: f64 = WIDTH / 2.0;
const CELL_H: f64 = (HEIGHT - 60.0) / 2.0;
const PAD_LEFT: f64 = 80.0;
const PAD_RIGHT: f64 = 30.0;
const PAD_TOP: f64 = 40.0;
const PAD_BOTTOM: f64 = 55.0;

/// One colour per implementation, in the order they run.
const COLOURS: [&str; 8] = [
    "#222222", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
];
const DASHED: &str = "7 4";

/// One curve: an implementation's points on one kind of row.
struct Curve<'a> {
    implementation: usize,
    dash: &'static str,
    points: Vec<(usize, &'a Stats)>,
}

/// One panel: a title, the y axis' label and its curves.
struct Panel<'a> {
    title: &'static str,
    y_label: &'static str,
    curves: Vec<Curve<'a>>,
}

/// The curves of the rows that `select` picks, with `dash` per row.
fn curves<'a>(
    report: &'a Report,
    select: impl Fn(&RowResult) -> Option<&'static str>,
) -> Vec<Curve<'a>> {
    let mut curves: Vec<Curve<'a>> = Vec::new();
    for result in &report.rows {
        let Some(dash) = select(result) else {
            continue;
        };
        for entry in &result.entries {
            let Some(implementation) = report
                .implementations
                .iter()
                .position(|(k, _)| *k == entry.key)
            else {
                continue;
            };
            let point = (result.row.size, &entry.stats);
            match curves
                .iter_mut()
                .find(|c| c.implementation == implementation && c.dash == dash)
            {
                Some(curve) => curve.points.push(point),
                None => curves.push(Curve {
                    implementation,
                    dash,
                    points: vec![point],
                }),
            }
        }
    }
    curves
}

fn transport_dash(transport: Transport) -> &'static str {
    match transport {
        Transport::Tcp => "",
        Transport::Inproc => DASHED,
    }
}

/// The plot of `report`, as an SVG document.
pub(crate) fn svg(report: &Report) -> String {
    let panels = [
        Panel {
            title: "Throughput",
            y_label: "messages per second",
            curves: curves(report, |r| {
                (r.row.metric == Metric::Throughput).then(|| transport_dash(r.row.transport))
            }),
        },
        Panel {
            title: "Latency (half a roundtrip)",
            y_label: "microseconds",
            curves: curves(report, |r| {
                (r.row.metric == Metric::Latency).then(|| transport_dash(r.row.transport))
            }),
        },
        Panel {
            title: "Fresh buffers over inproc: copied vs zero-copy",
            y_label: "messages per second",
            curves: curves(report, |r| match r.row.metric {
                Metric::CopySend => Some(""),
                Metric::ZeroCopySend => Some(DASHED),
                _ => None,
            }),
        },
    ];

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        svg,
        r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>"#
    );
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="24" text-anchor="middle" font-size="16">libzmq {} perf-tool protocol, side by side</text>"#,
        WIDTH / 2.0,
        version()
    );
    let _ = writeln!(
        svg,
        r##"<text x="{}" y="44" text-anchor="middle" fill="#555">medians of {} rounds ({} mode, {}, load average {:.1} to {:.1}); whiskers: min to max</text>"##,
        WIDTH / 2.0,
        report.rounds,
        report.mode,
        report.machine.date,
        report.machine.load.0,
        report.machine.load.1
    );
    for (i, panel) in panels.iter().enumerate() {
        let (column, line) = (i % 2, i / 2);
        draw_panel(
            &mut svg,
            panel,
            report.implementations.len(),
            CELL_W * column as f64,
            60.0 + CELL_H * line as f64,
        );
    }
    draw_legend(&mut svg, report, CELL_W, 60.0 + CELL_H);
    svg.push_str("</svg>\n");
    svg
}

fn draw_panel(svg: &mut String, panel: &Panel<'_>, implementations: usize, left: f64, top: f64) {
    let x0 = left + PAD_LEFT;
    let y0 = top + PAD_TOP;
    let w = CELL_W - PAD_LEFT - PAD_RIGHT;
    let h = CELL_H - PAD_TOP - PAD_BOTTOM;
    let _ = writeln!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="14">{}</text>"#,
        x0 + w / 2.0,
        top + 24.0,
        panel.title
    );
    let _ = writeln!(
        svg,
        r#"<rect x="{x0:.1}" y="{y0:.1}" width="{w:.1}" height="{h:.1}" fill="none" stroke="black"/>"#
    );
    let _ = writeln!(
        svg,
        r#"<text transform="translate({:.1} {:.1}) rotate(-90)" text-anchor="middle">{} (log scale)</text>"#,
        left + 18.0,
        y0 + h / 2.0,
        panel.y_label
    );
    let _ = writeln!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">message size (log scale)</text>"#,
        x0 + w / 2.0,
        y0 + h + 40.0
    );

    let mut sizes: Vec<usize> = (panel.curves.iter())
        .flat_map(|c| c.points.iter().map(|(size, _)| *size))
        .collect();
    sizes.sort_unstable();
    sizes.dedup();
    let values: Vec<f64> = (panel.curves.iter())
        .flat_map(|c| c.points.iter().flat_map(|(_, s)| [s.min, s.max]))
        .filter(|v| *v > 0.0 && v.is_finite())
        .collect();
    if sizes.is_empty() || values.is_empty() {
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#777">no rows measured</text>"##,
            x0 + w / 2.0,
            y0 + h / 2.0
        );
        return;
    }

    // x: log2 of the size, with half a step of margin on either side.
    let (lo, hi) = (
        (sizes[0].max(1) as f64).log2(),
        (sizes[sizes.len() - 1].max(1) as f64).log2(),
    );
    let margin = ((hi - lo) / 8.0).max(1.0);
    let x = |size: usize| {
        x0 + ((size.max(1) as f64).log2() - lo + margin) / (hi - lo + 2.0 * margin) * w
    };
    // y: whole decades around the values.
    let low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let high = values.iter().copied().fold(0.0, f64::max);
    let d_low = low.log10().floor() as i32;
    let d_high = (high.log10().ceil() as i32).max(d_low + 1);
    let y = |v: f64| {
        let span = f64::from(d_high - d_low);
        y0 + h - (v.max(1e-12).log10() - f64::from(d_low)) / span * h
    };

    for decade in d_low..=d_high {
        let yy = y(10f64.powi(decade));
        let _ = writeln!(
            svg,
            r##"<line x1="{x0:.1}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            x0 + w,
            x0 - 6.0,
            yy + 4.0,
            decade_label(decade)
        );
    }
    for &size in &sizes {
        let xx = x(size);
        let _ = writeln!(
            svg,
            r##"<line x1="{xx:.1}" y1="{y0:.1}" x2="{xx:.1}" y2="{:.1}" stroke="#ddd"/><text x="{xx:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            y0 + h,
            y0 + h + 18.0,
            size_label(size)
        );
    }

    for curve in &panel.curves {
        let colour = COLOURS[curve.implementation % COLOURS.len()];
        // Nudge each implementation sideways so whiskers do not overlap.
        let nudge = (curve.implementation as f64 - (implementations as f64 - 1.0) / 2.0) * 4.0;
        let points: Vec<String> = (curve.points.iter())
            .map(|(size, stats)| format!("{:.1},{:.1}", x(*size) + nudge, y(stats.median)))
            .collect();
        let _ = writeln!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{}"/>"#,
            points.join(" "),
            curve.dash
        );
        for (size, stats) in &curve.points {
            let xx = x(*size) + nudge;
            let _ = writeln!(
                svg,
                r#"<line x1="{xx:.1}" y1="{:.1}" x2="{xx:.1}" y2="{:.1}" stroke="{colour}"/><circle cx="{xx:.1}" cy="{:.1}" r="3" fill="{colour}"/>"#,
                y(stats.min),
                y(stats.max),
                y(stats.median),
            );
        }
    }
}

fn draw_legend(svg: &mut String, report: &Report, left: f64, top: f64) {
    let x0 = left + PAD_LEFT;
    let mut yy = top + PAD_TOP + 10.0;
    let _ = writeln!(
        svg,
        r#"<text x="{x0:.1}" y="{yy:.1}" font-size="14">Implementations</text>"#
    );
    for (i, (_, label)) in report.implementations.iter().enumerate() {
        yy += 24.0;
        let colour = COLOURS[i % COLOURS.len()];
        let _ = writeln!(
            svg,
            r#"<line x1="{x0:.1}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="{colour}" stroke-width="3"/><text x="{:.1}" y="{:.1}">{label}</text>"#,
            x0 + 36.0,
            x0 + 46.0,
            yy + 4.0
        );
    }
    yy += 40.0;
    let _ = writeln!(
        svg,
        r#"<text x="{x0:.1}" y="{yy:.1}" font-size="14">Lines</text>"#
    );
    for (dash, text) in [
        ("", "tcp (throughput, latency); copied buffers"),
        (DASHED, "inproc (throughput, latency); zero-copy buffers"),
    ] {
        yy += 24.0;
        let _ = writeln!(
            svg,
            r#"<line x1="{x0:.1}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="black" stroke-width="2" stroke-dasharray="{dash}"/><text x="{:.1}" y="{:.1}">{text}</text>"#,
            x0 + 36.0,
            x0 + 46.0,
            yy + 4.0
        );
    }
    yy += 40.0;
    let _ = writeln!(
        svg,
        r##"<text x="{x0:.1}" y="{yy:.1}" fill="#555">{}, {} cores; {}</text>"##,
        report.machine.cpu, report.machine.cores, report.machine.kernel
    );
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

/// Rasterises `svg` to a PNG at twice its size. Text needs a system font
/// (Debian: fonts-dejavu-core); without one the PNG has lines but no text,
/// and a warning says so.
pub(crate) fn write_png(svg: &str, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    use resvg::{tiny_skia, usvg};

    let mut options = usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    if options.fontdb.is_empty() {
        eprintln!(
            "compare: no system fonts found: {} has no text",
            path.display()
        );
    }
    let tree = usvg::Tree::from_str(svg, &options)?;
    let size = tree.size().to_int_size();
    let scale = 2.0;
    let mut pixmap = tiny_skia::Pixmap::new(
        (size.width() as f32 * scale) as u32,
        (size.height() as f32 * scale) as u32,
    )
    .ok_or("the plot has no area")?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.save_png(path)?;
    Ok(())
}
