//! Charts as inline SVG: drawn by hand, so a report opens in any browser with no script and no
//! network.

use std::fmt::Write;

use super::escape::escape;

/// The colours of the series: policy A, policy B.
pub(crate) const COLOURS: [&str; 2] = ["#2563eb", "#ea580c"];

/// One line of a line chart: a value for some of the days `0..days`.
pub(crate) struct Series<'a> {
    pub name: &'a str,
    pub points: Vec<(usize, f64)>,
}

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 84.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 36.0;

/// How a line chart's y axis is scaled.
pub(crate) enum Scale {
    /// From 0 to 1 in steps of 0.2: shares.
    Share,
    /// From 0 to a round number above the largest value.
    Fit,
}

/// A line chart of values per day, one line per series, with labelled axes. `labels` names the
/// days (`labels.len()` days); `format` writes a value on the y axis.
pub(crate) fn line_chart(
    id: &str,
    title: &str,
    labels: &[String],
    series: &[Series<'_>],
    scale: Scale,
    format: &dyn Fn(f64) -> String,
) -> String {
    let days = labels.len().max(1);
    let max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|(_, value)| *value))
        .fold(0.0_f64, f64::max);
    let (top, step) = match scale {
        Scale::Share => (1.0, 0.2),
        Scale::Fit => nice_scale(max),
    };
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let x = |day: usize| {
        if days <= 1 {
            LEFT + plot_width / 2.0
        } else {
            LEFT + plot_width * day as f64 / (days - 1) as f64
        }
    };
    let y = |value: f64| TOP + plot_height * (1.0 - value / top);

    let mut svg = open_svg(id, title);
    // The horizontal grid and the y axis labels.
    let mut tick = 0.0;
    while tick <= top + step / 2.0 {
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="#e5e7eb"/><text x="{2:.1}" y="{3:.1}" text-anchor="end" font-size="11" fill="#4b5563">{4}</text>"##,
            y(tick),
            WIDTH - RIGHT,
            LEFT - 6.0,
            y(tick) + 4.0,
            escape(&format(tick)),
        );
        tick += step;
    }
    // The x axis labels: the first day, the last and a few between.
    let every = (days / 6).max(1);
    for (day, label) in labels.iter().enumerate() {
        if day % every == 0 || day + 1 == days {
            // The first and last labels are anchored inside the chart so they are not cut off.
            let anchor = match day {
                0 if days > 1 => "start",
                _ if day + 1 == days && days > 1 => "end",
                _ => "middle",
            };
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="{anchor}" font-size="11" fill="#4b5563">{}</text>"##,
                x(day),
                HEIGHT - BOTTOM + 18.0,
                escape(label),
            );
        }
    }
    for (index, line) in series.iter().enumerate() {
        let colour = COLOURS.get(index).copied().unwrap_or("#111827");
        let points: Vec<String> = line
            .points
            .iter()
            .map(|(day, value)| format!("{:.1},{:.1}", x(*day), y(*value)))
            .collect();
        let _ = write!(
            svg,
            r#"<polyline class="series" data-series="{}" fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"#,
            escape(line.name),
            points.join(" "),
        );
        if line.points.len() == 1 {
            for (day, value) in &line.points {
                let _ = write!(
                    svg,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{colour}"/>"#,
                    x(*day),
                    y(*value)
                );
            }
        }
    }
    axes(&mut svg);
    legend(&mut svg, series.iter().map(|s| s.name));
    svg.push_str("</svg>");
    svg
}

/// A horizontal bar chart: one group of bars per row, one bar per series.
pub(crate) fn bar_chart(
    id: &str,
    title: &str,
    series: &[&str],
    rows: &[(String, Vec<u64>)],
) -> String {
    let bars = series.len().max(1);
    let bar = 14.0;
    let group = bar * bars as f64 + 10.0;
    let height = TOP + group * rows.len().max(1) as f64 + BOTTOM;
    let left = 240.0;
    let plot_width = WIDTH - left - RIGHT - 60.0;
    let max = rows
        .iter()
        .flat_map(|(_, values)| values.iter().copied())
        .max()
        .unwrap_or(0) as f64;
    let (top, _) = nice_scale(max);

    let mut svg = format!(
        r#"<svg id="{}" class="chart" role="img" aria-label="{}" viewBox="0 0 {WIDTH} {height:.0}" width="{WIDTH}" height="{height:.0}"><title>{}</title>"#,
        escape(id),
        escape(title),
        escape(title),
    );
    if rows.is_empty() {
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="13" fill="#4b5563">none</text>"##,
            WIDTH / 2.0,
            TOP + 20.0
        );
    }
    for (row, (label, values)) in rows.iter().enumerate() {
        let y0 = TOP + group * row as f64;
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="12" fill="#111827">{}</text>"##,
            left - 8.0,
            y0 + group / 2.0,
            escape(label),
        );
        for (index, value) in values.iter().enumerate() {
            let colour = COLOURS.get(index).copied().unwrap_or("#111827");
            let width = plot_width * *value as f64 / top;
            let y = y0 + bar * index as f64;
            let _ = write!(
                svg,
                r##"<rect class="bar" x="{left}" y="{y:.1}" width="{width:.1}" height="{:.1}" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="11" fill="#374151">{}</text>"##,
                bar - 2.0,
                left + width + 4.0,
                y + bar - 4.0,
                super::table::count(*value),
            );
        }
    }
    legend(&mut svg, series.iter().copied());
    svg.push_str("</svg>");
    svg
}

fn open_svg(id: &str, title: &str) -> String {
    format!(
        r#"<svg id="{}" class="chart" role="img" aria-label="{}" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"><title>{}</title>"#,
        escape(id),
        escape(title),
        escape(title),
    )
}

fn axes(svg: &mut String) {
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{0}" stroke="#9ca3af"/><line x1="{LEFT}" y1="{0}" x2="{1}" y2="{0}" stroke="#9ca3af"/>"##,
        HEIGHT - BOTTOM,
        WIDTH - RIGHT,
    );
}

/// A legend in the top right corner, when there is more than one series.
fn legend<'a>(svg: &mut String, names: impl Iterator<Item = &'a str>) {
    let names: Vec<&str> = names.collect();
    if names.len() < 2 {
        return;
    }
    for (index, name) in names.iter().enumerate() {
        let colour = COLOURS.get(index).copied().unwrap_or("#111827");
        let y = TOP + 4.0 + 16.0 * index as f64;
        let x = WIDTH - RIGHT - 200.0;
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="{y:.1}" width="12" height="12" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#111827">{}</text>"##,
            x + 18.0,
            y + 10.0,
            escape(name),
        );
    }
}

/// A round top for an axis starting at 0 and the step between its ticks: 1, 2 or 5 times a power
/// of ten, about five ticks.
fn nice_scale(max: f64) -> (f64, f64) {
    if !max.is_finite() || max <= 0.0 {
        return (1.0, 0.25);
    }
    let rough = max / 5.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= rough)
        .unwrap_or(10.0 * magnitude);
    let top = (max / step).ceil() * step;
    (top, step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_are_round_and_cover_the_maximum() {
        assert_eq!(nice_scale(0.0), (1.0, 0.25));
        assert_eq!(nice_scale(1.0), (1.0, 0.2));
        let (top, step) = nice_scale(0.63);
        assert!(
            (top - 0.8).abs() < 1e-9 && (step - 0.2).abs() < 1e-9,
            "{top} {step}"
        );
        let (top, step) = nice_scale(17_296_396_000.0);
        assert!(
            (17_296_396_000.0..=20_000_000_000.0).contains(&top),
            "{top}"
        );
        assert_eq!(step, 5_000_000_000.0);
    }

    #[test]
    fn charts_escape_their_text_and_draw_every_series() {
        let labels = vec!["2026-11-02".to_owned(), "2026-11-03".to_owned()];
        let series = [
            Series {
                name: "A <default>",
                points: vec![(0, 0.5), (1, 0.6)],
            },
            Series {
                name: "B",
                points: vec![(0, 0.4), (1, 0.45)],
            },
        ];
        let svg = line_chart("rate", "Grant rate", &labels, &series, Scale::Share, &|v| {
            format!("{v}")
        });
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("A &lt;default&gt;"));
        assert!(!svg.contains("<default>"));
        let bars = bar_chart(
            "reasons",
            "Refusals",
            &["A", "B"],
            &[("voucher_limit_reached".to_owned(), vec![10, 20])],
        );
        assert_eq!(bars.matches(r#"class="bar""#).count(), 2);
    }
}
