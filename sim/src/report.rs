//! What a replay found: the decisions counted every way an operations team asks about, and the
//! money they moved.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};

use super::TopCount;
use super::table::{self, Table};
use voucher_policy::{Currency, PolicyId, Window};

/// A replay's findings: how many requests were granted, refused and escalated, why, for whom,
/// on which day, and the money granted.
///
/// Serializes to JSON (every amount a decimal string, as in the wire contract) and prints as
/// text tables ([`fmt::Display`]).
///
/// ```
/// use voucher_policy::Engine;
/// use voucher_policy_sim::{LogGenerator, simulate};
///
/// let engine = Engine::default();
/// let report = simulate(&engine, LogGenerator::new(7).take(5_000));
/// assert_eq!(report.lines, 5_000);
/// assert_eq!(report.totals.requests, report.totals.granted + report.totals.refused + report.totals.escalated);
/// let by_tier: u64 = report.by_tier.iter().map(|(_, counts)| counts.granted).sum();
/// assert_eq!(by_tier, report.totals.granted);
/// println!("{report}");
/// let json = serde_json::to_string_pretty(&report)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// The policy replayed: its name and version.
    pub policy: PolicyId,
    /// The policy's currency, which every amount is in.
    pub currency: Currency,
    /// The policy's currency step: amounts are written with its number of decimals.
    #[serde(with = "rust_decimal::serde::str")]
    pub step: Decimal,
    /// Every request offered to the replay, decided or not (for a log: its lines).
    pub lines: u64,
    /// The requests that could not be decided: unreadable, out of time order, or input the
    /// engine rejects. [`Report::failures`] lists the first of them.
    pub failed: u64,
    /// Every decided request.
    pub totals: Counts,
    /// The decisions carrying each reason, in the fixed order of [`Reason`](voucher_policy::Reason); a
    /// decision with several reasons counts under each.
    pub by_reason: Breakdown,
    /// The escalated requests by who they went to (`security`, `legal`, `supervisor`).
    pub by_escalation_target: Breakdown,
    /// The decided requests by loyalty tier, in the policy's order.
    pub by_tier: Breakdown,
    /// The decided requests by the severity the decision used, mildest first.
    pub by_severity: Breakdown,
    /// The decided requests by complaint category, the policy's first, then any other category
    /// (given with an explicit severity) in the order first seen.
    pub by_category: Breakdown,
    /// The decided requests by day, in the policy's local offset; days without requests are
    /// left out.
    pub by_day: Vec<DayCounts>,
    /// The customers refused most often, most first.
    pub top_refused_customers: Vec<TopCount>,
    /// The first requests that could not be decided (the report keeps a bounded number; `failed`
    /// counts them all).
    pub failures: Vec<Failure>,
    /// What the replay had to remember.
    pub memory: MemoryFigures,
}

/// How many requests were decided each way, and the money they moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counts {
    /// The decided requests.
    pub requests: u64,
    /// Granted a voucher.
    pub granted: u64,
    /// Refused.
    pub refused: u64,
    /// Escalated to someone else.
    pub escalated: u64,
    /// The value of the vouchers granted.
    pub money_granted: Decimal,
    /// The value of the vouchers recommended on the merits for the escalated requests: what
    /// the escalations cost if every recommendation is followed.
    pub money_recommended: Decimal,
}

impl Counts {
    /// The share of the requests granted, from 0 to 1; `None` without requests.
    pub fn grant_rate(&self) -> Option<f64> {
        share(self.granted, self.requests)
    }

    /// The share of the requests refused, from 0 to 1; `None` without requests.
    pub fn refusal_rate(&self) -> Option<f64> {
        share(self.refused, self.requests)
    }

    /// The share of the requests escalated, from 0 to 1; `None` without requests.
    pub fn escalation_rate(&self) -> Option<f64> {
        share(self.escalated, self.requests)
    }

    /// The average voucher granted, rounded half to even at `scale` decimals; `None` when
    /// nothing was granted.
    pub fn average_voucher(&self, scale: u32) -> Option<Decimal> {
        (self.granted > 0).then(|| {
            (self.money_granted / Decimal::from(self.granted))
                .round_dp_with_strategy(scale, RoundingStrategy::MidpointNearestEven)
        })
    }
}

/// `part / whole`, rounded to six decimals so the JSON stays readable.
fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 1e6).round() / 1e6)
}

impl Serialize for Counts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire {
            requests: u64,
            granted: u64,
            refused: u64,
            escalated: u64,
            grant_rate: Option<f64>,
            #[serde(with = "rust_decimal::serde::str")]
            money_granted: Decimal,
            #[serde(with = "rust_decimal::serde::str")]
            money_recommended: Decimal,
        }
        Wire {
            requests: self.requests,
            granted: self.granted,
            refused: self.refused,
            escalated: self.escalated,
            grant_rate: self.grant_rate(),
            money_granted: self.money_granted,
            money_recommended: self.money_recommended,
        }
        .serialize(serializer)
    }
}

/// [`Counts`] for each value of one dimension (reason, tier, severity, ...), in a fixed order.
///
/// Serializes as a JSON object keyed by the value (`{"gold": {...}, "platinum": {...}}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Breakdown {
    rows: Vec<(String, Counts)>,
}

impl Breakdown {
    pub(crate) fn from_rows(rows: Vec<(String, Counts)>) -> Self {
        Breakdown { rows }
    }

    /// The counts for one value, if it occurred.
    pub fn get(&self, key: &str) -> Option<&Counts> {
        self.rows
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, counts)| counts)
    }

    /// Every value with its counts, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Counts)> + '_ {
        self.rows
            .iter()
            .map(|(name, counts)| (name.as_str(), counts))
    }

    /// How many values occurred.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no value occurred.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

impl Serialize for Breakdown {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.rows.iter().map(|(name, counts)| (name, counts)))
    }
}

/// The decisions of one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DayCounts {
    /// The day, in the policy's local offset.
    pub date: NaiveDate,
    /// Its decisions.
    #[serde(flatten)]
    pub counts: Counts,
}

/// A request that could not be decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Failure {
    /// Its position in the replay, counting from 1: its line number in a log.
    pub position: u64,
    /// `json` (not a readable request), `order` (out of time order) or `request` (input the
    /// engine cannot decide).
    pub kind: &'static str,
    /// The field at fault, when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// What the replay had to remember to decide like production.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MemoryFigures {
    /// How long a granted voucher is remembered: the longest window of the policy (see
    /// [`Simulator`](super::Simulator)).
    pub horizon: Window,
    /// The most customers remembered at once: those granted a voucher or refused inside the
    /// horizon (see [`Simulator`](super::Simulator)).
    pub peak_customers: u64,
    /// The most vouchers remembered at once.
    pub peak_vouchers: u64,
    /// Requests about an order placed a horizon or more before they were decided: for these
    /// alone an earlier voucher for the same order may have been forgotten, so
    /// `order_already_compensated` may be missing. Zero means the replay decided every request
    /// exactly as production would have.
    pub orders_beyond_horizon: u64,
}

impl Report {
    /// The number of decimals amounts are written with: the currency step's.
    pub fn scale(&self) -> u32 {
        self.step.scale()
    }

    /// An amount of the report's currency, written for a reader (`IDR 1,250,000`).
    pub fn money(&self, amount: Decimal) -> String {
        table::money(amount, self.currency, self.scale())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let totals = &self.totals;
        writeln!(
            f,
            "Simulation of policy {} (version {}), amounts in {}",
            self.policy.name(),
            self.policy.version(),
            self.currency
        )?;
        writeln!(
            f,
            "{} requests: {} decided, {} could not be decided",
            table::count(self.lines),
            table::count(totals.requests),
            table::count(self.failed)
        )?;
        writeln!(f)?;
        let mut overview = Table::new(["outcome", "requests", "share", "money"]);
        overview.row([
            "granted".to_owned(),
            table::count(totals.granted),
            table::percent(totals.grant_rate()),
            self.money(totals.money_granted),
        ]);
        overview.row([
            "refused".to_owned(),
            table::count(totals.refused),
            table::percent(totals.refusal_rate()),
            String::new(),
        ]);
        overview.row([
            "escalated".to_owned(),
            table::count(totals.escalated),
            table::percent(totals.escalation_rate()),
            format!("{} recommended", self.money(totals.money_recommended)),
        ]);
        overview.write(f)?;
        if let Some(average) = totals.average_voucher(self.scale()) {
            writeln!(f, "average voucher granted: {}", self.money(average))?;
        }
        let sections = [
            ("reason", &self.by_reason),
            ("escalated to", &self.by_escalation_target),
            ("tier", &self.by_tier),
            ("severity", &self.by_severity),
            ("category", &self.by_category),
        ];
        for (title, breakdown) in sections {
            writeln!(f)?;
            self.breakdown_table(title, breakdown.iter()).write(f)?;
        }
        writeln!(f)?;
        let (title, periods) = periods(&self.by_day);
        self.breakdown_table(
            title,
            periods.iter().map(|(name, counts)| (name.as_str(), counts)),
        )
        .write(f)?;
        if !self.top_refused_customers.is_empty() {
            writeln!(f)?;
            let mut top = Table::new(["customers refused most often", "refusals"]);
            for entry in &self.top_refused_customers {
                top.row([
                    entry.customer.clone(),
                    table::estimate(entry.count, entry.overcount),
                ]);
            }
            top.write(f)?;
        }
        if !self.failures.is_empty() {
            writeln!(f)?;
            writeln!(
                f,
                "requests that could not be decided (first {}):",
                self.failures.len()
            )?;
            for failure in &self.failures {
                writeln!(f, "  line {}: {}", failure.position, failure.message)?;
            }
        }
        writeln!(f)?;
        let memory = &self.memory;
        writeln!(
            f,
            "memory: vouchers kept for {}; at most {} customers and {} vouchers remembered at once",
            memory.horizon,
            table::count(memory.peak_customers),
            table::count(memory.peak_vouchers)
        )?;
        if memory.orders_beyond_horizon > 0 {
            writeln!(
                f,
                "note: {} requests were about orders placed {} or more before the decision; an \
                 earlier voucher for such an order may have been forgotten",
                table::count(memory.orders_beyond_horizon),
                memory.horizon
            )?;
        }
        Ok(())
    }
}

impl Report {
    fn breakdown_table<'a>(
        &self,
        title: &str,
        rows: impl Iterator<Item = (&'a str, &'a Counts)>,
    ) -> Table {
        let mut table = Table::new([
            title,
            "requests",
            "granted",
            "refused",
            "escalated",
            "grant rate",
            "money granted",
        ]);
        for (name, counts) in rows {
            table.row([
                name.to_owned(),
                table::count(counts.requests),
                table::count(counts.granted),
                table::count(counts.refused),
                table::count(counts.escalated),
                table::percent(counts.grant_rate()),
                self.money(counts.money_granted),
            ]);
        }
        table
    }
}

/// The days for a text table: each day for up to two months, otherwise whole months.
pub(crate) fn periods(days: &[DayCounts]) -> (&'static str, Vec<(String, Counts)>) {
    if days.len() <= 62 {
        let rows = days
            .iter()
            .map(|day| (day.date.to_string(), day.counts))
            .collect();
        return ("day", rows);
    }
    let mut months: Vec<(String, Counts)> = Vec::new();
    for day in days {
        let month = day.date.format("%Y-%m").to_string();
        match months.last_mut() {
            Some((name, counts)) if *name == month => counts.merge(&day.counts),
            _ => months.push((month, day.counts)),
        }
    }
    ("month", months)
}

impl Counts {
    /// Adds another set of counts to this one.
    pub(crate) fn merge(&mut self, other: &Counts) {
        self.requests += other.requests;
        self.granted += other.granted;
        self.refused += other.refused;
        self.escalated += other.escalated;
        self.money_granted = self.money_granted.saturating_add(other.money_granted);
        self.money_recommended = self
            .money_recommended
            .saturating_add(other.money_recommended);
    }
}
