//! Counting decisions into a [`Report`] as they happen, in constant time per decision.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveTime};
use rust_decimal::Decimal;

use super::FastHash;
use super::histories::Histories;
use super::report::{Breakdown, Counts, DayCounts, Failure, MemoryFigures, Report};
use super::sum::MoneySum;
use super::top::TopCounter;
use voucher_policy::Code;
use voucher_policy::{
    EscalationTarget, Outcome, Policy, PolicyId, Reason, Reasons, Request, Severity, Verdict,
};

/// [`Counts`] as a replay keeps them: integers, and money summed exactly ([`MoneySum`]),
/// turned into [`Counts`] for the report.
#[derive(Debug, Clone, Copy, Default)]
struct Running {
    /// Requests, granted, refused, escalated.
    counts: [u64; 4],
    /// Money granted, money recommended.
    money: [MoneySum; 2],
}

/// What one decision adds to every count it falls under, worked out once per decision.
#[derive(Debug, Clone, Copy)]
struct Decided {
    outcome: Outcome,
    /// What to add to [`Running::counts`].
    counts: [u64; 4],
    /// Which of [`Running::money`] to add to, and what: the voucher granted, or recommended
    /// for an escalation.
    money: Option<(usize, Decimal)>,
}

impl Decided {
    fn of(verdict: &Verdict) -> Self {
        let outcome = verdict.outcome();
        let (counts, money) = match outcome {
            Outcome::Granted => (
                [1, 1, 0, 0],
                verdict.voucher().map(|voucher| (0, voucher.amount())),
            ),
            Outcome::Refused => ([1, 0, 1, 0], None),
            Outcome::Escalated => (
                [1, 0, 0, 1],
                verdict
                    .recommendation()
                    .and_then(|recommendation| recommendation.voucher())
                    .map(|voucher| (1, voucher.amount())),
            ),
        };
        Decided {
            outcome,
            counts,
            money,
        }
    }
}

impl Running {
    /// Counts one decision, as [`Counts`] counts it.
    #[inline]
    fn add(&mut self, decided: &Decided) {
        // Wrapping: no count reaches 2^64 (one a request), and four plain additions become one
        // vector addition where overflow checks would keep them apart.
        for (count, add) in self.counts.iter_mut().zip(decided.counts) {
            *count = count.wrapping_add(add);
        }
        if let Some((which, amount)) = &decided.money {
            if let Some(sum) = self.money.get_mut(*which) {
                sum.add(*amount);
            }
        }
    }

    /// Adds the counts of `other`, as if its decisions were counted here.
    fn merge(&mut self, other: &Running) {
        for (count, add) in self.counts.iter_mut().zip(other.counts) {
            *count = count.wrapping_add(add);
        }
        for (sum, add) in self.money.iter_mut().zip(&other.money) {
            sum.merge(add);
        }
    }

    fn counts(&self) -> Counts {
        let [requests, granted, refused, escalated] = self.counts;
        let [money_granted, money_recommended] = self.money;
        Counts {
            requests,
            granted,
            refused,
            escalated,
            money_granted: money_granted.to_decimal(),
            money_recommended: money_recommended.to_decimal(),
        }
    }

    fn requests(&self) -> u64 {
        let [requests, ..] = self.counts;
        requests
    }
}

/// The day counts as a replay keeps them.
#[derive(Debug, Clone, Copy)]
struct RunningDay {
    date: chrono::NaiveDate,
    counts: Running,
}

/// How many customers the refusal counter keeps at least (see [`TopCounter`]): enough to hold
/// every frequent complainer of a large service (a few MB), so the customers refused most often
/// are counted exactly or nearly so.
pub(crate) const TOP_COUNTER_CAPACITY: usize = 100_000;

/// Where a decision falls in every breakdown of the report at once. A day of decisions falls
/// in a few hundred cells at most (a replay of 740,000 generated requests sees 563 distinct sets
/// of reasons in all), so each decision is counted once, in its cell, and the cells are added
/// into the breakdowns when the day ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Cell {
    outcome: Outcome,
    reasons: Reasons,
    target: Option<EscalationTarget>,
    /// The tier's position in the policy.
    tier: usize,
    severity: Severity,
    /// The category's position in [`Tally::categories`].
    category: usize,
}

/// The running counts of a replay.
#[derive(Debug)]
pub(crate) struct Tally {
    policy: PolicyId,
    currency: voucher_policy::Currency,
    step: Decimal,
    offset: FixedOffset,
    tiers: Vec<String>,
    /// The policy's categories, then those it does not list (allowed with an explicit
    /// severity), first seen first; `by_category` has a count for each, in the same order.
    categories: Vec<String>,
    /// Where each category is in `categories`.
    category_index: HashMap<String, usize, FastHash>,
    lines: u64,
    failed: u64,
    failures: Vec<Failure>,
    failures_kept: usize,
    totals: Running,
    /// The current day's decisions, counted by [`Cell`], first seen first; added into the
    /// breakdowns below and the day's counts when the day ends (see [`Tally::close_day`]).
    cells: Vec<(Cell, Running)>,
    /// Where each of the current day's cells is in `cells`.
    cell_index: HashMap<Cell, usize, FastHash>,
    by_reason: Vec<Running>,
    by_target: [Running; 3],
    by_tier: Vec<Running>,
    by_severity: [Running; 4],
    by_category: Vec<Running>,
    days: Vec<RunningDay>,
    /// The first moment after the current day, in the policy's offset.
    day_ends: Option<DateTime<FixedOffset>>,
    refused: TopCounter,
    top_customers: usize,
    orders_beyond_horizon: u64,
}

impl Tally {
    /// A tally of decisions on `policy`.
    pub fn new(policy: &Policy, top_customers: usize, failures_kept: usize) -> Self {
        let categories: Vec<String> = policy.categories().iter().map(|c| c.name.clone()).collect();
        let mut category_index = HashMap::default();
        for (index, name) in categories.iter().enumerate() {
            category_index.entry(name.clone()).or_insert(index);
        }
        Tally {
            policy: policy.id(),
            currency: policy.currency(),
            step: policy.step(),
            offset: policy.local_offset(),
            tiers: policy.tiers().iter().map(|t| t.name.clone()).collect(),
            by_category: vec![Running::default(); categories.len()],
            categories,
            category_index,
            lines: 0,
            failed: 0,
            failures: Vec::new(),
            failures_kept,
            totals: Running::default(),
            cells: Vec::new(),
            cell_index: HashMap::default(),
            by_reason: vec![Running::default(); Reason::ALL.len()],
            by_target: [Running::default(); 3],
            by_tier: vec![Running::default(); policy.tiers().len()],
            by_severity: [Running::default(); 4],
            days: Vec::new(),
            day_ends: None,
            refused: TopCounter::new(TOP_COUNTER_CAPACITY.max(top_customers)),
            top_customers,
            orders_beyond_horizon: 0,
        }
    }

    /// The position the next request will have, counting from 1.
    pub fn next_position(&self) -> u64 {
        self.lines + 1
    }

    /// Counts `refusals` more refusals of `customer`, one of a batch (the customers a sweep of
    /// the histories drops, or all those left at the end) after which
    /// [`Tally::refusals_counted`] is due. A refusal is counted in the totals and breakdowns
    /// when it is decided ([`Tally::decided`]); the caller keeps each customer's count until
    /// it hands it on here, for the customers refused most often.
    pub fn refusals(&mut self, customer: &str, refusals: u64) {
        self.refused.add_unbounded(customer, refusals);
    }

    /// Ends a batch of [`Tally::refusals`].
    pub fn refusals_counted(&mut self) {
        self.refused.restore_bound();
    }

    /// Counts a request that could not be decided.
    pub fn failed(&mut self, kind: &'static str, field: Option<String>, message: String) {
        self.lines += 1;
        self.failed += 1;
        if self.failures.len() < self.failures_kept {
            self.failures.push(Failure {
                position: self.lines,
                kind,
                field,
                message,
            });
        }
    }

    /// Counts a decided request, except in the customers refused most often (see
    /// [`Tally::refusals`]).
    pub fn decided(
        &mut self,
        request: &Request,
        verdict: &Verdict,
        now: DateTime<FixedOffset>,
        beyond_horizon: bool,
    ) {
        self.lines += 1;
        let decided = Decided::of(verdict);
        let cell = Cell {
            outcome: decided.outcome,
            reasons: verdict.reasons(),
            target: verdict.escalate_to(),
            tier: verdict.tier_position().unwrap_or_default(),
            severity: verdict.facts().severity,
            // The policy's categories come first, in the policy's order.
            category: match verdict.category_position() {
                Some(position) => position,
                None => self.category(request.complaint().category()),
            },
        };
        self.start_day(now);
        // Looked up before an entry is made: almost every cell of a day is there already.
        let index = match self.cell_index.get(&cell) {
            Some(index) => *index,
            None => {
                self.cells.push((cell, Running::default()));
                let index = self.cells.len() - 1;
                self.cell_index.insert(cell, index);
                index
            }
        };
        if let Some((_, counts)) = self.cells.get_mut(index) {
            counts.add(&decided);
        }
        if beyond_horizon {
            self.orders_beyond_horizon += 1;
        }
    }

    /// The position of `category` in `categories` (and `by_category`), added there when new.
    fn category(&mut self, category: &str) -> usize {
        match self.category_index.get(category) {
            Some(index) => *index,
            None => {
                let index = self.categories.len();
                self.categories.push(category.to_owned());
                self.by_category.push(Running::default());
                self.category_index.insert(category.to_owned(), index);
                index
            }
        }
    }

    /// Adds the current day's cells into the breakdowns, in the order they were first seen, and
    /// into the day's counts, and empties them for the next day.
    fn close_day(&mut self) {
        let day = self.days.last_mut().map(|day| &mut day.counts);
        let mut day_total = Running::default();
        for (cell, counts) in &self.cells {
            day_total.merge(counts);
            for reason in cell.reasons.iter() {
                if let Some(row) = self.by_reason.get_mut(reason.position() as usize) {
                    row.merge(counts);
                }
            }
            let target = cell.target.and_then(|target| match target {
                EscalationTarget::Security => Some(0),
                EscalationTarget::Legal => Some(1),
                EscalationTarget::Supervisor => Some(2),
                _ => None,
            });
            if let Some(row) = target.and_then(|index| self.by_target.get_mut(index)) {
                row.merge(counts);
            }
            if let Some(row) = self.by_tier.get_mut(cell.tier) {
                row.merge(counts);
            }
            let severity = match cell.severity {
                Severity::Minor => 0,
                Severity::Moderate => 1,
                Severity::Major => 2,
                Severity::Critical => 3,
            };
            if let Some(row) = self.by_severity.get_mut(severity) {
                row.merge(counts);
            }
            if let Some(row) = self.by_category.get_mut(cell.category) {
                row.merge(counts);
            }
        }
        self.totals.merge(&day_total);
        if let Some(day) = day {
            day.merge(&day_total);
        }
        self.cells.clear();
        self.cell_index.clear();
    }

    /// Starts a new day when `now` (which never goes back) is past the current one, in the
    /// policy's offset, closing the current one first.
    fn start_day(&mut self, now: DateTime<FixedOffset>) {
        let current = matches!(self.day_ends, Some(ends) if now < ends);
        if current && !self.days.is_empty() {
            return;
        }
        self.close_day();
        let date = now.with_timezone(&self.offset).date_naive();
        self.day_ends = date.succ_opt().and_then(|next| {
            next.and_time(NaiveTime::MIN)
                .and_local_timezone(self.offset)
                .single()
        });
        self.days.push(RunningDay {
            date,
            counts: Running::default(),
        });
    }

    /// The report, with what `histories` had to remember.
    pub fn finish(mut self, histories: &Histories, horizon: voucher_policy::Window) -> Report {
        self.close_day();
        let rows = |names: Vec<String>, counts: &[Running]| {
            Breakdown::from_rows(
                names
                    .into_iter()
                    .zip(counts)
                    .filter(|(_, counts)| counts.requests() > 0)
                    .map(|(name, counts)| (name, counts.counts()))
                    .collect(),
            )
        };
        let reasons = Reason::ALL.iter().map(|r| r.as_str().to_owned()).collect();
        let targets = [
            EscalationTarget::Security,
            EscalationTarget::Legal,
            EscalationTarget::Supervisor,
        ]
        .iter()
        .map(|t| t.as_str().to_owned())
        .collect();
        let severities = Severity::ALL
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect();
        Report {
            policy: self.policy,
            currency: self.currency,
            step: self.step,
            lines: self.lines,
            failed: self.failed,
            totals: self.totals.counts(),
            by_reason: rows(reasons, &self.by_reason),
            by_escalation_target: rows(targets, &self.by_target),
            by_tier: rows(self.tiers, &self.by_tier),
            by_severity: rows(severities, &self.by_severity),
            by_category: rows(self.categories, &self.by_category),
            by_day: self
                .days
                .iter()
                .map(|day| DayCounts {
                    date: day.date,
                    counts: day.counts.counts(),
                })
                .collect(),
            top_refused_customers: self.refused.top(self.top_customers),
            failures: self.failures,
            memory: MemoryFigures {
                horizon,
                peak_customers: histories.peak_customers() as u64,
                peak_vouchers: histories.peak_vouchers() as u64,
                orders_beyond_horizon: self.orders_beyond_horizon,
            },
        }
    }
}
