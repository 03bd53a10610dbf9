//! Two policies on the same log: every figure side by side, and the requests decided differently.

use std::borrow::Borrow;
use std::fmt;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::report::Counts;
use super::simulator::in_batches;
use super::table::{self, Table};
use super::tally::TOP_COUNTER_CAPACITY;
use super::top::TopCounter;
use super::{LogEntry, LogLineError, ReplayError, Report, SimulationSettings, Simulator, TopCount};
use voucher_policy::{Engine, EscalationTarget, Outcome, Reasons, Request, Verdict};

/// A pair of anything, one for each policy: `a` the current policy, `b` the one tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Paired<T> {
    /// For policy A.
    pub a: T,
    /// For policy B.
    pub b: T,
}

/// Replays the same requests through two policies, each simulator keeping its own histories
/// (a voucher one policy grants and the other refuses limits only the first one's next
/// decisions), and records every request decided differently.
///
/// ```
/// use voucher_policy::{Engine, Policy};
/// use voucher_policy_sim::{Comparer, LogGenerator};
///
/// let current = Engine::default();
/// let strict = Engine::new(Policy::load("../examples/policies/strict.toml")?);
/// let mut comparer = Comparer::new(&current, &strict);
/// for entry in LogGenerator::new(3).take(5_000) {
///     let decisions = comparer.replay(&entry.request, entry.now);
///     assert!(decisions.a.is_ok() && decisions.b.is_ok());
/// }
/// let comparison = comparer.finish();
/// assert!(comparison.changed > 0);
/// let first = &comparison.changed_requests[0];
/// assert_ne!((first.a.outcome, first.a.amount), (first.b.outcome, first.b.amount));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Comparer<'e> {
    a: Simulator<'e>,
    b: Simulator<'e>,
    changed: u64,
    transitions: [[u64; 4]; 4],
    changed_requests: Vec<ChangedRequest>,
    changes_kept: usize,
    worse_off: TopCounter,
    top_customers: usize,
}

/// How many changed requests a comparison keeps by default.
const CHANGES_KEPT: usize = 1_000;

impl<'e> Comparer<'e> {
    /// Compares policy `b` against policy `a` with the default settings, keeping the first
    /// 1,000 changed requests.
    pub fn new(a: &'e Engine, b: &'e Engine) -> Self {
        Comparer::with_settings(a, b, SimulationSettings::default(), CHANGES_KEPT)
    }

    /// Compares with `settings` for both replays, keeping the first `changes_kept` changed
    /// requests (all are counted).
    pub fn with_settings(
        a: &'e Engine,
        b: &'e Engine,
        settings: SimulationSettings,
        changes_kept: usize,
    ) -> Self {
        Comparer {
            a: Simulator::with_settings(a, settings),
            b: Simulator::with_settings(b, settings),
            changed: 0,
            transitions: [[0; 4]; 4],
            changed_requests: Vec::new(),
            changes_kept,
            worse_off: TopCounter::new(TOP_COUNTER_CAPACITY.max(settings.top_customers)),
            top_customers: settings.top_customers,
        }
    }

    /// Decides `request` at `now` under both policies.
    pub fn replay(
        &mut self,
        request: &Request,
        now: DateTime<FixedOffset>,
    ) -> Paired<Result<Verdict, ReplayError>> {
        let decisions = Paired {
            a: self.a.replay(request, now),
            b: self.b.replay(request, now),
        };
        self.note(request, now, &decisions);
        decisions
    }

    /// Reads what replaying `requests` will need under both policies (see
    /// [`Simulator::prefetch`]).
    pub fn prefetch<'r>(&self, requests: impl IntoIterator<Item = &'r Request> + Clone) {
        self.a.prefetch(requests.clone());
        self.b.prefetch(requests);
    }

    /// Replays one log line under both policies (see [`Simulator::replay_json`]).
    pub fn replay_json(&mut self, line: &[u8]) -> Paired<Result<Verdict, ReplayError>> {
        match LogEntry::from_json(line) {
            Ok(entry) => self.replay(&entry.request, entry.now),
            Err(error) => self.unreadable_line(error),
        }
    }

    /// Counts a log line that is not a request as not decided under both policies (see
    /// [`Simulator::unreadable_line`]).
    pub fn unreadable_line(&mut self, error: LogLineError) -> Paired<Result<Verdict, ReplayError>> {
        Paired {
            a: Err(self.a.unreadable_line(error.clone())),
            b: Err(self.b.unreadable_line(error)),
        }
    }

    fn note(
        &mut self,
        request: &Request,
        now: DateTime<FixedOffset>,
        decisions: &Paired<Result<Verdict, ReplayError>>,
    ) {
        let a = DecisionSummary::of(&decisions.a);
        let b = DecisionSummary::of(&decisions.b);
        let same = match (&decisions.a, &decisions.b) {
            (Err(_), Err(_)) => true,
            _ => a.outcome == b.outcome && a.amount == b.amount,
        };
        if same {
            return;
        }
        self.changed += 1;
        if let Some(cell) = self
            .transitions
            .get_mut(state_index(a.outcome))
            .and_then(|row| row.get_mut(state_index(b.outcome)))
        {
            *cell += 1;
        }
        if b.worse_than(&a) {
            self.worse_off.add(request.customer().id().as_str());
        }
        if self.changed_requests.len() < self.changes_kept {
            self.changed_requests.push(ChangedRequest {
                position: self.a.position(),
                now,
                customer: request.customer().id().to_string(),
                order: request.order().id().to_string(),
                a,
                b,
            });
        }
    }

    /// Ends both replays and returns the comparison.
    pub fn finish(self) -> Comparison {
        let a = self.a.finish();
        let b = self.b.finish();
        let figures = figures(&a, &b);
        let states = ["granted", "refused", "escalated", "failed"];
        let mut transitions = Vec::new();
        for (from, row) in states.iter().zip(self.transitions) {
            for (to, count) in states.iter().zip(row) {
                if count > 0 {
                    transitions.push(Transition { from, to, count });
                }
            }
        }
        Comparison {
            figures,
            changed: self.changed,
            transitions,
            changed_requests: self.changed_requests,
            customers_worse_off: self.worse_off.top(self.top_customers),
            analysis: None,
            a,
            b,
        }
    }
}

/// Replays a whole log through two policies and compares them (see [`Comparer`]).
///
/// ```
/// use voucher_policy::Engine;
/// use voucher_policy_sim::{LogGenerator, compare};
///
/// let engine = Engine::default();
/// let same = compare(LogGenerator::new(5).take(1_000), &engine, &engine);
/// assert_eq!(same.changed, 0);
/// assert!(same.figures.iter().all(|row| row.a == row.b));
/// ```
pub fn compare<I>(log: I, a: &Engine, b: &Engine) -> Comparison
where
    I: IntoIterator,
    I::Item: Borrow<LogEntry>,
{
    let mut comparer = Comparer::new(a, b);
    in_batches(log, |batch| {
        comparer.prefetch(batch.iter().map(|entry| &entry.borrow().request));
        for entry in batch {
            let entry = entry.borrow();
            // Failures are counted in both reports.
            let _ = comparer.replay(&entry.request, entry.now);
        }
    });
    comparer.finish()
}

fn state_index(outcome: Option<Outcome>) -> usize {
    match outcome {
        Some(Outcome::Granted) => 0,
        Some(Outcome::Refused) => 1,
        Some(Outcome::Escalated) => 2,
        None => 3,
    }
}

/// Two policies replayed on the same log: both reports, each figure side by side with the
/// difference, and the requests decided differently.
///
/// Serializes to JSON; prints as text tables ([`fmt::Display`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Comparison {
    /// The report of policy A, the current one.
    pub a: Report,
    /// The report of policy B, the one tried.
    pub b: Report,
    /// Every figure of the two reports side by side, with the difference B - A.
    pub figures: Vec<FigureRow>,
    /// How many requests came out differently: another outcome, another amount, or decided
    /// under one policy and not the other.
    pub changed: u64,
    /// The changed requests by outcome under A and under B (`granted` to `refused`, ...; the same
    /// outcome twice means the amount changed).
    pub transitions: Vec<Transition>,
    /// The first changed requests, in log order (all are counted in `changed`).
    pub changed_requests: Vec<ChangedRequest>,
    /// The customers with the most requests that B decides worse than A (refused or escalated
    /// instead of granted, or a smaller voucher), most first.
    pub customers_worse_off: Vec<TopCount>,
    /// What B does against A over every possible request, not only the log's
    /// ([`Policy::compare`](voucher_policy::Policy::compare)), when it was worked out
    /// ([`Comparison::with_analysis`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analysis: Option<voucher_policy::Comparison>,
}

/// How many changed requests went from one outcome to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Transition {
    /// The outcome under A: `granted`, `refused`, `escalated` or `failed`.
    pub from: &'static str,
    /// The outcome under B.
    pub to: &'static str,
    /// How many requests.
    pub count: u64,
}

/// A request decided differently by the two policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ChangedRequest {
    /// Its position in the replay, counting from 1: its line number in a log.
    pub position: u64,
    /// When it was decided.
    pub now: DateTime<FixedOffset>,
    /// The customer's account id.
    pub customer: String,
    /// The order id.
    pub order: String,
    /// The decision under A.
    pub a: DecisionSummary,
    /// The decision under B.
    pub b: DecisionSummary,
}

/// The essentials of one decision, for a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DecisionSummary {
    /// The outcome, or `None` when the request could not be decided.
    pub outcome: Option<Outcome>,
    /// The voucher granted, or for an escalation the voucher recommended on the merits.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub amount: Option<Decimal>,
    /// Every reason that fired.
    pub reasons: Reasons,
    /// Who it was escalated to.
    pub escalate_to: Option<EscalationTarget>,
    /// Why it could not be decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl DecisionSummary {
    fn of(decision: &Result<Verdict, ReplayError>) -> Self {
        match decision {
            Ok(verdict) => DecisionSummary {
                outcome: Some(verdict.outcome()),
                amount: verdict
                    .voucher()
                    .or_else(|| verdict.recommendation().and_then(|r| r.voucher()))
                    .map(|voucher| voucher.amount()),
                reasons: verdict.reasons(),
                escalate_to: verdict.escalate_to(),
                error: None,
            },
            Err(error) => DecisionSummary {
                outcome: None,
                amount: None,
                reasons: Reasons::new(),
                escalate_to: None,
                error: Some(error.kind().to_string()),
            },
        }
    }

    /// Whether this decision gives the customer less than `other`: no voucher where `other`
    /// granted one, or a smaller one.
    fn worse_than(&self, other: &DecisionSummary) -> bool {
        match (other.outcome, self.outcome) {
            (Some(Outcome::Granted), Some(Outcome::Granted)) => self.amount < other.amount,
            (Some(Outcome::Granted), _) => true,
            _ => false,
        }
    }

    pub(super) fn describe(&self, report: &Report) -> String {
        let Some(outcome) = self.outcome else {
            return format!("not decided ({})", self.error.as_deref().unwrap_or("error"));
        };
        let mut text = outcome.to_string();
        if let Some(target) = self.escalate_to {
            text.push_str(&format!(" to {target}"));
        }
        if let Some(amount) = self.amount {
            let recommended = if outcome == Outcome::Escalated {
                ", recommended"
            } else {
                ""
            };
            text.push_str(&format!(" {}{recommended}", report.money(amount)));
        }
        let reasons: Vec<&str> = self.reasons.iter().map(|r| r.as_str()).collect();
        text.push_str(&format!(" ({})", reasons.join(", ")));
        text
    }
}

/// One figure of the two reports, side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FigureRow {
    /// What is counted: `granted`, `money granted`, `reason voucher_limit_reached`,
    /// `tier gold: refused`, ...
    pub figure: String,
    /// Under A.
    pub a: Difference,
    /// Under B.
    pub b: Difference,
    /// B - A.
    pub difference: Difference,
}

/// A number of a report, or a difference of two: a count, an amount of money or a share.
///
/// Serializes as a JSON number (a count or a share), a decimal string (money), or `null` (a
/// share of nothing, or money in two different currencies).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Difference {
    /// A count, or a difference of counts.
    Count(i64),
    /// An amount, or a difference of amounts.
    Money(Decimal),
    /// A share from 0 to 1, or a difference of shares.
    Rate(Option<f64>),
    /// No meaningful number: money in two different currencies.
    Unavailable,
}

impl Serialize for Difference {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Difference::Count(count) => serializer.serialize_i64(*count),
            Difference::Money(amount) => serializer.collect_str(amount),
            Difference::Rate(Some(rate)) => serializer.serialize_f64(*rate),
            Difference::Rate(None) | Difference::Unavailable => serializer.serialize_none(),
        }
    }
}

fn count(value: u64) -> Difference {
    Difference::Count(i64::try_from(value).unwrap_or(i64::MAX))
}

/// A column of a breakdown: its name (empty for the only one) and how to read it.
type Column = (&'static str, fn(&Counts) -> u64);

/// Builds the rows of the comparison.
struct Rows<'r> {
    a: &'r Report,
    b: &'r Report,
    rows: Vec<FigureRow>,
}

impl Rows<'_> {
    fn count(&mut self, figure: String, a: u64, b: u64) {
        self.rows.push(FigureRow {
            figure,
            a: count(a),
            b: count(b),
            difference: Difference::Count(
                i64::try_from(i128::from(b) - i128::from(a)).unwrap_or(i64::MAX),
            ),
        });
    }

    fn money(&mut self, figure: String, a: Decimal, b: Decimal) {
        let difference = if self.a.currency == self.b.currency {
            Difference::Money(b.saturating_sub(a))
        } else {
            Difference::Unavailable
        };
        self.rows.push(FigureRow {
            figure,
            a: Difference::Money(a),
            b: Difference::Money(b),
            difference,
        });
    }

    fn rate(&mut self, figure: String, a: Option<f64>, b: Option<f64>) {
        let difference = a.zip(b).map(|(a, b)| ((b - a) * 1e6).round() / 1e6);
        self.rows.push(FigureRow {
            figure,
            a: Difference::Rate(a),
            b: Difference::Rate(b),
            difference: Difference::Rate(difference),
        });
    }

    /// The rows of a breakdown: `figure` for each key of A, then each key only B has.
    fn breakdown(
        &mut self,
        prefix: &str,
        pick: fn(&Report) -> &super::Breakdown,
        columns: &[Column],
        with_money: bool,
    ) {
        let (a, b) = (pick(self.a), pick(self.b));
        let mut keys: Vec<&str> = a.iter().map(|(key, _)| key).collect();
        keys.extend(
            b.iter()
                .map(|(key, _)| key)
                .filter(|key| a.get(key).is_none()),
        );
        let zero = Counts::default();
        for key in keys {
            let in_a = a.get(key).unwrap_or(&zero);
            let in_b = b.get(key).unwrap_or(&zero);
            for (column, value) in columns {
                let figure = if column.is_empty() {
                    format!("{prefix} {key}")
                } else {
                    format!("{prefix} {key}: {column}")
                };
                self.count(figure, value(in_a), value(in_b));
            }
            if with_money {
                self.money(
                    format!("{prefix} {key}: money granted"),
                    in_a.money_granted,
                    in_b.money_granted,
                );
            }
        }
    }
}

fn figures(a: &Report, b: &Report) -> Vec<FigureRow> {
    let mut rows = Rows {
        a,
        b,
        rows: Vec::new(),
    };
    let (ta, tb) = (&a.totals, &b.totals);
    rows.count("requests".to_owned(), a.lines, b.lines);
    rows.count("decided".to_owned(), ta.requests, tb.requests);
    rows.count("could not be decided".to_owned(), a.failed, b.failed);
    rows.count("granted".to_owned(), ta.granted, tb.granted);
    rows.count("refused".to_owned(), ta.refused, tb.refused);
    rows.count("escalated".to_owned(), ta.escalated, tb.escalated);
    rows.rate("grant rate".to_owned(), ta.grant_rate(), tb.grant_rate());
    rows.rate(
        "refusal rate".to_owned(),
        ta.refusal_rate(),
        tb.refusal_rate(),
    );
    rows.rate(
        "escalation rate".to_owned(),
        ta.escalation_rate(),
        tb.escalation_rate(),
    );
    rows.money(
        "money granted".to_owned(),
        ta.money_granted,
        tb.money_granted,
    );
    rows.money(
        "money recommended for escalations".to_owned(),
        ta.money_recommended,
        tb.money_recommended,
    );
    let average = |report: &Report| {
        report
            .totals
            .average_voucher(report.scale())
            .unwrap_or(Decimal::ZERO)
    };
    rows.money("average voucher".to_owned(), average(a), average(b));
    let requests: &[Column] = &[("", |c| c.requests)];
    let outcomes: &[Column] = &[
        ("requests", |c| c.requests),
        ("granted", |c| c.granted),
        ("refused", |c| c.refused),
        ("escalated", |c| c.escalated),
    ];
    rows.breakdown("reason", |r| &r.by_reason, requests, false);
    rows.breakdown("escalated to", |r| &r.by_escalation_target, requests, false);
    rows.breakdown("tier", |r| &r.by_tier, outcomes, true);
    rows.breakdown("severity", |r| &r.by_severity, outcomes, true);
    rows.breakdown("category", |r| &r.by_category, outcomes, true);
    rows.rows
}

impl Comparison {
    /// The comparison with the exhaustive analysis of the two policies beside the replayed
    /// figures: its HTML report gains a section with it.
    ///
    /// ```
    /// use voucher_policy::{Engine, Policy};
    /// use voucher_policy_sim::{LogGenerator, compare};
    ///
    /// let engine = Engine::default();
    /// let analysis = Policy::default().compare(&Policy::default())?;
    /// let same = compare(LogGenerator::new(5).take(100), &engine, &engine).with_analysis(analysis);
    /// assert!(same.to_html().contains("Every possible request"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_analysis(mut self, analysis: voucher_policy::Comparison) -> Self {
        self.analysis = Some(analysis);
        self
    }

    /// A figure of the comparison by name, such as `granted` or `tier gold: refused`.
    pub fn figure(&self, name: &str) -> Option<&FigureRow> {
        self.figures.iter().find(|row| row.figure == name)
    }

    pub(super) fn cell(&self, value: Difference, report: &Report, signed: bool) -> String {
        match value {
            Difference::Count(count) if signed => table::signed(i128::from(count)),
            Difference::Count(count) => table::count(u64::try_from(count).unwrap_or(0)),
            Difference::Money(amount) if signed => {
                table::signed_money(amount, report.currency, report.scale())
            }
            Difference::Money(amount) => report.money(amount),
            Difference::Rate(rate) if signed => table::points(rate),
            Difference::Rate(rate) => table::percent(rate),
            Difference::Unavailable => "-".to_owned(),
        }
    }
}

/// How many changed requests the printed comparison lists.
const CHANGES_PRINTED: usize = 20;

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = (&self.a, &self.b);
        writeln!(
            f,
            "Comparison on the same log: A = policy {} (version {}), B = policy {} (version {})",
            a.policy.name(),
            a.policy.version(),
            b.policy.name(),
            b.policy.version()
        )?;
        writeln!(f)?;
        let mut figures = Table::new(["figure", "A", "B", "B - A"]);
        for row in &self.figures {
            let unchanged_zero =
                matches!((row.a, row.b), (Difference::Count(0), Difference::Count(0)));
            if unchanged_zero {
                continue;
            }
            figures.row([
                row.figure.clone(),
                self.cell(row.a, a, false),
                self.cell(row.b, b, false),
                self.cell(row.difference, b, true),
            ]);
        }
        figures.write(f)?;
        writeln!(f)?;
        writeln!(
            f,
            "{} of {} requests decided differently",
            table::count(self.changed),
            table::count(a.lines)
        )?;
        if !self.transitions.is_empty() {
            let mut transitions = Table::new(["under A", "under B", "requests"]);
            for t in &self.transitions {
                let to = if t.from == t.to {
                    format!("{} (another amount)", t.to)
                } else {
                    t.to.to_owned()
                };
                transitions.row([t.from.to_owned(), to, table::count(t.count)]);
            }
            transitions.write(f)?;
        }
        if !self.changed_requests.is_empty() {
            writeln!(f)?;
            let shown = self.changed_requests.len().min(CHANGES_PRINTED);
            writeln!(f, "first {shown} changed requests:")?;
            for change in self.changed_requests.iter().take(shown) {
                writeln!(
                    f,
                    "  line {}, customer {}, order {}:",
                    change.position, change.customer, change.order
                )?;
                writeln!(f, "    A: {}", change.a.describe(a))?;
                writeln!(f, "    B: {}", change.b.describe(b))?;
            }
        }
        if !self.customers_worse_off.is_empty() {
            writeln!(f)?;
            let mut top = Table::new(["customers most often worse off under B", "requests"]);
            for entry in &self.customers_worse_off {
                top.row([
                    entry.customer.clone(),
                    table::estimate(entry.count, entry.overcount),
                ]);
            }
            top.write(f)?;
        }
        Ok(())
    }
}
