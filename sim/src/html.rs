//! The HTML report: one self-contained page (inline CSS and SVG, no script, no link), so it
//! opens in any browser without a network and can be mailed as a single file.

use std::collections::BTreeSet;
use std::fmt::Write;

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;

use super::escape::escape;
use super::report::{Breakdown, Counts, DayCounts};
use super::svg::{self, Scale, Series};
use super::table;
use super::{Comparison, Difference, Report, TopCount};
use voucher_policy::Code;
use voucher_policy::{Reason, ReasonKind};

/// How many changed requests the HTML comparison lists.
const CHANGES_SHOWN: usize = 200;

impl Report {
    /// The report as a self-contained HTML page: the key figures, charts of the grant rate and
    /// the money granted per day and of the refusals by reason, and the tables of the text
    /// report. It has no script and loads nothing, so it opens in a browser without a network.
    ///
    /// ```
    /// use voucher_policy::Engine;
    /// use voucher_policy_sim::{LogGenerator, simulate};
    ///
    /// let report = simulate(&Engine::default(), LogGenerator::new(7).take(2_000));
    /// let html = report.to_html();
    /// assert!(html.starts_with("<!DOCTYPE html>"));
    /// assert!(html.contains(r#"<svg id="grant-rate-chart""#));
    /// ```
    pub fn to_html(&self) -> String {
        let mut page = Page::new(&format!(
            "What-if simulation: policy {}",
            self.policy.name()
        ));
        let _ = write!(
            page.body,
            "<h1>What-if simulation</h1><p class=\"subtitle\">Policy <b>{}</b> (version {}) \
             replayed on {} requests{}. Amounts in {}.</p>",
            escape(self.policy.name()),
            escape(self.policy.version()),
            table::count(self.lines),
            span(&self.by_day),
            self.currency,
        );
        page.body.push_str("<section class=\"cards\">");
        let totals = &self.totals;
        let with_share = |count: u64, share: Option<f64>| {
            format!("{} ({})", table::count(count), table::percent(share))
        };
        let cards = [
            ("decided", "requests decided", table::count(totals.requests)),
            (
                "granted",
                "granted",
                with_share(totals.granted, totals.grant_rate()),
            ),
            (
                "refused",
                "refused",
                with_share(totals.refused, totals.refusal_rate()),
            ),
            (
                "escalated",
                "escalated",
                with_share(totals.escalated, totals.escalation_rate()),
            ),
            (
                "money-granted",
                "money granted",
                self.money(totals.money_granted),
            ),
            (
                "average-voucher",
                "average voucher",
                totals
                    .average_voucher(self.scale())
                    .map_or_else(|| "-".to_owned(), |average| self.money(average)),
            ),
            ("failed", "could not be decided", table::count(self.failed)),
        ];
        for (figure, label, value) in cards {
            card(&mut page.body, figure, label, &[value]);
        }
        page.body.push_str("</section>");

        let days = Days::of(&[&self.by_day]);
        page.section("Grant rate per day");
        page.body
            .push_str(&days.rate_chart(&[(self.policy.name(), &self.by_day)]));
        page.section(&format!("Money granted per day ({})", self.currency));
        page.body
            .push_str(&days.money_chart(&[(self.policy.name(), &self.by_day)]));
        page.section("Refusals by reason");
        page.body
            .push_str(&refusal_chart(&[(self.policy.name(), self)]));

        for (title, breakdown) in [
            ("By tier", &self.by_tier),
            ("By severity", &self.by_severity),
            ("By category", &self.by_category),
            ("Escalations by who takes over", &self.by_escalation_target),
            ("Every reason that fired", &self.by_reason),
        ] {
            page.section(title);
            breakdown_table(&mut page.body, self, breakdown);
        }
        page.top_customers(
            "Customers refused most often",
            "refusals",
            &self.top_refused_customers,
        );
        failures(&mut page.body, self);
        memory_note(&mut page.body, self);
        page.finish()
    }
}

impl Comparison {
    /// The comparison as a self-contained HTML page: the key figures of both policies with the
    /// difference, both policies overlaid on the charts of the grant rate and the money granted
    /// per day and of the refusals by reason, every figure side by side, and the first changed
    /// requests. It has no script and loads nothing, so it opens in a browser without a network.
    pub fn to_html(&self) -> String {
        let (a, b) = (&self.a, &self.b);
        let name_a = format!("A: {} {}", a.policy.name(), a.policy.version());
        let name_b = format!("B: {} {}", b.policy.name(), b.policy.version());
        let mut page = Page::new(&format!(
            "What-if comparison: policy {} against {}",
            b.policy.name(),
            a.policy.name()
        ));
        let _ = write!(
            page.body,
            "<h1>What-if comparison</h1><p class=\"subtitle\"><span class=\"a\">{}</span> \
             against <span class=\"b\">{}</span>, on the same {} requests{}.</p>",
            escape(&name_a),
            escape(&name_b),
            table::count(a.lines),
            span(&a.by_day),
        );
        page.body.push_str("<section class=\"cards\">");
        for name in [
            "granted",
            "refused",
            "escalated",
            "grant rate",
            "money granted",
            "average voucher",
        ] {
            if let Some(row) = self.figure(name) {
                card(
                    &mut page.body,
                    &name.replace(' ', "-"),
                    name,
                    &[
                        format!("A {}", self.html_cell(row.a, a, false)),
                        format!("B {}", self.html_cell(row.b, b, false)),
                        format!("B - A {}", self.html_cell(row.difference, b, true)),
                    ],
                );
            }
        }
        let _ = write!(
            page.body,
            "<div class=\"card\" data-figure=\"changed\"><div class=\"label\">decided \
             differently</div><div class=\"value\">{}</div></div>",
            table::count(self.changed)
        );
        page.body.push_str("</section>");

        if let Some(analysis) = &self.analysis {
            analysis_section(&mut page, analysis);
        }

        let both = [(name_a.as_str(), &a.by_day), (name_b.as_str(), &b.by_day)];
        let days = Days::of(&[&a.by_day, &b.by_day]);
        page.section("Grant rate per day");
        page.body.push_str(&days.rate_chart(&both));
        page.section(&format!("Money granted per day ({})", a.currency));
        page.body.push_str(&days.money_chart(&both));
        page.section("Refusals by reason");
        page.body.push_str(&refusal_chart(&[
            (name_a.as_str(), a),
            (name_b.as_str(), b),
        ]));

        page.section("Every figure side by side");
        page.body.push_str(
            "<table id=\"figures\"><thead><tr><th>figure</th><th>A</th><th>B</th><th>B - A</th></tr></thead><tbody>",
        );
        for row in &self.figures {
            let _ = write!(
                page.body,
                "<tr><td>{}</td><td class=\"number\">{}</td><td class=\"number\">{}</td><td class=\"number\">{}</td></tr>",
                escape(&row.figure),
                self.html_cell(row.a, a, false),
                self.html_cell(row.b, b, false),
                self.html_cell(row.difference, b, true),
            );
        }
        page.body.push_str("</tbody></table>");

        if !self.transitions.is_empty() {
            page.section("Requests decided differently");
            page.body.push_str(
                "<table><thead><tr><th>under A</th><th>under B</th><th>requests</th></tr></thead><tbody>",
            );
            for t in &self.transitions {
                let to = if t.from == t.to {
                    format!("{} (another amount)", t.to)
                } else {
                    t.to.to_owned()
                };
                let _ = write!(
                    page.body,
                    "<tr><td>{}</td><td>{}</td><td class=\"number\">{}</td></tr>",
                    t.from,
                    escape(&to),
                    table::count(t.count)
                );
            }
            page.body.push_str("</tbody></table>");
        }
        if !self.changed_requests.is_empty() {
            let shown = self.changed_requests.len().min(CHANGES_SHOWN);
            page.section(&format!("The first {shown} changed requests"));
            page.body.push_str(
                "<table id=\"changed\"><thead><tr><th>line</th><th>customer</th><th>order</th><th>under A</th><th>under B</th></tr></thead><tbody>",
            );
            for change in self.changed_requests.iter().take(shown) {
                let _ = write!(
                    page.body,
                    "<tr><td class=\"number\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    change.position,
                    escape(&change.customer),
                    escape(&change.order),
                    escape(&change.a.describe(a)),
                    escape(&change.b.describe(b)),
                );
            }
            page.body.push_str("</tbody></table>");
        }
        page.top_customers(
            "Customers most often worse off under B",
            "requests",
            &self.customers_worse_off,
        );
        failures(&mut page.body, a);
        if b.failed != a.failed {
            failures(&mut page.body, b);
        }
        page.finish()
    }

    fn html_cell(&self, value: Difference, report: &Report, signed: bool) -> String {
        escape(&self.cell(value, report, signed))
    }
}

/// The exhaustive analysis of the two policies: the relation over every possible request, and
/// each kind of difference with how many points show it and a case that does.
fn analysis_section(page: &mut Page, analysis: &voucher_policy::Comparison) {
    page.section("Every possible request");
    let _ = write!(
        page.body,
        "<p id=\"analysis\" data-relation=\"{}\">Over every possible request, not only the \
         log's ({} points of the input space), policy B {}.</p>",
        escape(&format!("{:?}", analysis.relation).to_lowercase()),
        table::count(analysis.points),
        escape(analysis.relation.describe()),
    );
    for note in &analysis.partial {
        let _ = write!(
            page.body,
            "<p class=\"note\">Not exhaustive: {}.</p>",
            escape(note)
        );
    }
    if analysis.differences.is_empty() {
        return;
    }
    page.body.push_str(
        "<table id=\"differences\"><thead><tr><th>difference</th><th>points</th><th>for \
         example</th><th>under A</th><th>under B</th></tr></thead><tbody>",
    );
    for difference in &analysis.differences {
        let example = &difference.example;
        let _ = write!(
            page.body,
            "<tr><td>{}</td><td class=\"number\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(difference.kind.as_str()),
            table::count(difference.points),
            escape(&example.summary),
            escape(&example.first.to_string()),
            escape(&example.second.to_string()),
        );
    }
    page.body.push_str("</tbody></table>");
}

/// A page being written.
struct Page {
    body: String,
    title: String,
}

impl Page {
    fn new(title: &str) -> Self {
        Page {
            body: String::new(),
            title: title.to_owned(),
        }
    }

    fn section(&mut self, title: &str) {
        let _ = write!(self.body, "<h2>{}</h2>", escape(title));
    }

    /// A table of customers and their counts, under a heading; nothing when there are none.
    fn top_customers(&mut self, title: &str, counted: &str, customers: &[TopCount]) {
        if customers.is_empty() {
            return;
        }
        self.section(title);
        let _ = write!(
            self.body,
            "<table><thead><tr><th>customer</th><th>{}</th></tr></thead><tbody>",
            escape(counted)
        );
        for entry in customers {
            let _ = write!(
                self.body,
                "<tr><td>{}</td><td class=\"number\">{}</td></tr>",
                escape(&entry.customer),
                escape(&table::estimate(entry.count, entry.overcount)),
            );
        }
        self.body.push_str("</tbody></table>");
    }

    fn finish(self) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{}\n</main>\n\
             </body>\n</html>\n",
            escape(&self.title),
            self.body
        )
    }
}

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#111827;background:#f9fafb;margin:0}\
main{max-width:820px;margin:0 auto;padding:24px}\
h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px}\
.subtitle{color:#4b5563;margin:0 0 16px}\
.a{color:#2563eb;font-weight:600}.b{color:#ea580c;font-weight:600}\
.cards{display:flex;flex-wrap:wrap;gap:12px}\
.card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:10px 14px;min-width:150px}\
.card .label{color:#6b7280;font-size:12px;text-transform:uppercase;letter-spacing:.04em}\
.card .value{font-size:17px;font-weight:600;margin-top:2px}\
.chart{background:#fff;border:1px solid #e5e7eb;border-radius:8px;max-width:100%;height:auto}\
table{border-collapse:collapse;background:#fff;width:100%;font-size:13px}\
th,td{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:left}\
th{background:#f3f4f6}td.number{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
.note{color:#4b5563;font-size:13px;margin-top:24px}";

/// Writes a figure card; `values` are plain text.
fn card(out: &mut String, figure: &str, label: &str, values: &[String]) {
    let _ = write!(
        out,
        "<div class=\"card\" data-figure=\"{}\"><div class=\"label\">{}</div>",
        escape(figure),
        escape(label)
    );
    for value in values {
        let _ = write!(out, "<div class=\"value\">{}</div>", escape(value));
    }
    out.push_str("</div>");
}

/// The days a chart covers: every day from the first to the last of any of the reports.
struct Days {
    first: Option<NaiveDate>,
    labels: Vec<String>,
}

impl Days {
    fn of(reports: &[&Vec<DayCounts>]) -> Self {
        let dates: BTreeSet<NaiveDate> = reports
            .iter()
            .flat_map(|days| days.iter().map(|day| day.date))
            .collect();
        let (Some(first), Some(last)) = (dates.first().copied(), dates.last().copied()) else {
            return Days {
                first: None,
                labels: Vec::new(),
            };
        };
        let labels = first
            .iter_days()
            .take_while(|date| *date <= last)
            .map(|date| date.format("%b %d").to_string())
            .collect();
        Days {
            first: Some(first),
            labels,
        }
    }

    fn index(&self, date: NaiveDate) -> usize {
        self.first
            .map(|first| (date - first).num_days())
            .and_then(|days| usize::try_from(days).ok())
            .unwrap_or(0)
    }

    fn chart(
        &self,
        id: &str,
        title: &str,
        reports: &[(&str, &Vec<DayCounts>)],
        scale: Scale,
        value: fn(&Counts) -> Option<f64>,
        format: &dyn Fn(f64) -> String,
    ) -> String {
        let series: Vec<Series<'_>> = reports
            .iter()
            .map(|(name, days)| Series {
                name,
                points: days
                    .iter()
                    .filter_map(|day| value(&day.counts).map(|v| (self.index(day.date), v)))
                    .collect(),
            })
            .collect();
        svg::line_chart(id, title, &self.labels, &series, scale, format)
    }

    fn rate_chart(&self, reports: &[(&str, &Vec<DayCounts>)]) -> String {
        self.chart(
            "grant-rate-chart",
            "Grant rate per day",
            reports,
            Scale::Share,
            Counts::grant_rate,
            &|share| format!("{:.0}%", share * 100.0),
        )
    }

    fn money_chart(&self, reports: &[(&str, &Vec<DayCounts>)]) -> String {
        self.chart(
            "money-chart",
            "Money granted per day",
            reports,
            Scale::Fit,
            |counts| counts.money_granted.to_f64(),
            &compact,
        )
    }
}

/// The refusals by reason, one bar per report, for every refusal reason that fired in any.
fn refusal_chart(reports: &[(&str, &Report)]) -> String {
    let rows: Vec<(String, Vec<u64>)> = Reason::ALL
        .iter()
        .filter(|reason| reason.kind() == ReasonKind::Refusal)
        .map(|reason| {
            let values = reports
                .iter()
                .map(|(_, report)| {
                    report
                        .by_reason
                        .get(reason.as_str())
                        .map_or(0, |c| c.refused)
                })
                .collect::<Vec<u64>>();
            (reason.as_str().to_owned(), values)
        })
        .filter(|(_, values)| values.iter().any(|v| *v > 0))
        .collect();
    let names: Vec<&str> = reports.iter().map(|(name, _)| *name).collect();
    svg::bar_chart("refusals-chart", "Refusals by reason", &names, &rows)
}

fn breakdown_table(out: &mut String, report: &Report, breakdown: &Breakdown) {
    out.push_str(
        "<table><thead><tr><th></th><th>requests</th><th>granted</th><th>refused</th>\
         <th>escalated</th><th>grant rate</th><th>money granted</th></tr></thead><tbody>",
    );
    for (name, counts) in breakdown.iter() {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"number\">{}</td><td class=\"number\">{}</td>\
             <td class=\"number\">{}</td><td class=\"number\">{}</td><td class=\"number\">{}</td>\
             <td class=\"number\">{}</td></tr>",
            escape(name),
            table::count(counts.requests),
            table::count(counts.granted),
            table::count(counts.refused),
            table::count(counts.escalated),
            table::percent(counts.grant_rate()),
            escape(&report.money(counts.money_granted)),
        );
    }
    out.push_str("</tbody></table>");
}

fn failures(out: &mut String, report: &Report) {
    if report.failures.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<h2>Requests that could not be decided under {} ({} in all)</h2><table><thead><tr>\
         <th>line</th><th>what is wrong</th></tr></thead><tbody>",
        escape(report.policy.name()),
        table::count(report.failed)
    );
    for failure in &report.failures {
        let _ = write!(
            out,
            "<tr><td class=\"number\">{}</td><td>{}</td></tr>",
            failure.position,
            escape(&failure.message)
        );
    }
    out.push_str("</tbody></table>");
}

fn memory_note(out: &mut String, report: &Report) {
    let memory = &report.memory;
    let _ = write!(
        out,
        "<p class=\"note\">Vouchers were remembered for {} (the policy's longest window); at \
         most {} customers and {} vouchers at once.",
        memory.horizon,
        table::count(memory.peak_customers),
        table::count(memory.peak_vouchers)
    );
    if memory.orders_beyond_horizon > 0 {
        let _ = write!(
            out,
            " {} requests were about orders placed {} or more before the decision: an earlier \
             voucher for such an order may have been forgotten.",
            table::count(memory.orders_beyond_horizon),
            memory.horizon
        );
    }
    out.push_str(" Every customer starts the replay with no history, so the first days grant more than a steady state would.</p>");
}

/// `from DATE to DATE` for the days of a report, or nothing.
fn span(days: &[DayCounts]) -> String {
    match (days.first(), days.last()) {
        (Some(first), Some(last)) if first.date == last.date => format!(" on {}", first.date),
        (Some(first), Some(last)) => format!(" from {} to {}", first.date, last.date),
        _ => String::new(),
    }
}

/// A large number in a few characters: `950`, `12.5k`, `3.4M`, `1.2B`.
fn compact(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 1e9 {
        format!("{:.1}B", value / 1e9)
    } else if magnitude >= 1e6 {
        format!("{:.1}M", value / 1e6)
    } else if magnitude >= 1e3 {
        format!("{:.1}k", value / 1e3)
    } else {
        format!("{value:.0}")
    }
}
