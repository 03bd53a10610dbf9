//! Counting decisions into a [`Report`] as they happen, in constant time per decision.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use chrono::{DateTime, FixedOffset, NaiveTime};
use rust_decimal::Decimal;

use super::FastHash;
use super::histories::Histories;
use super::report::{Breakdown, Counts, DayCounts, Failure, MemoryFigures, Report};
use super::sum::{Amount, MoneySum};
use super::top::TopCounter;
use crate::code_set::Code;
use crate::{
    EscalationTarget, Outcome, Policy, PolicyId, Reason, Reasons, Request, Severity, Verdict,
};

/// [`Counts`] as a replay keeps them: integers, and money summed in integers while that is
/// exact ([`MoneySum`]), turned into [`Counts`] for the report.
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
    money: Option<(usize, Amount)>,
}

impl Decided {
    fn of(verdict: &Verdict) -> Self {
        let outcome = verdict.outcome();
        let (counts, money) = match outcome {
            Outcome::Granted => (
                [1, 1, 0, 0],
                verdict
                    .voucher()
                    .map(|voucher| (0, Amount::new(voucher.amount()))),
            ),
            Outcome::Refused => ([1, 0, 1, 0], None),
            Outcome::Escalated => (
                [1, 0, 0, 1],
                verdict
                    .recommendation()
                    .and_then(|recommendation| recommendation.voucher())
                    .map(|voucher| (1, Amount::new(voucher.amount()))),
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
                sum.add_amount(amount);
            }
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

/// How many distinct sets of reasons [`Tally`] keeps the positions of; a decision with a set
/// beyond these has its reasons listed again (a replay sees few distinct sets).
const REASON_SETS_KEPT: usize = 4_096;

/// The running counts of a replay.
#[derive(Debug)]
pub(crate) struct Tally {
    policy: PolicyId,
    currency: crate::Currency,
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
    by_reason: Vec<Running>,
    /// The positions in `by_reason` of each set of reasons seen, so counting a decision does not
    /// test every reason there is.
    reason_positions: HashMap<Reasons, Box<[usize]>, FastHash>,
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
    /// A tally of decisions on `policy`; `hasher` hashes customer ids, as the caller's history
    /// table does (see [`Tally::decided`]).
    pub fn new(
        policy: &Policy,
        top_customers: usize,
        failures_kept: usize,
        hasher: FastHash,
    ) -> Self {
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
            by_reason: vec![Running::default(); Reason::ALL.len()],
            reason_positions: HashMap::default(),
            by_target: [Running::default(); 3],
            by_tier: vec![Running::default(); policy.tiers().len()],
            by_severity: [Running::default(); 4],
            days: Vec::new(),
            day_ends: None,
            refused: TopCounter::with_hasher(TOP_COUNTER_CAPACITY.max(top_customers), hasher),
            top_customers,
            orders_beyond_horizon: 0,
        }
    }

    /// The position the next request will have, counting from 1.
    pub fn next_position(&self) -> u64 {
        self.lines + 1
    }

    /// Reads the customers' refusal counts (each customer with its hash), so counting them soon
    /// after finds them in cache.
    pub fn touch(&self, customers: &[(u64, &str)]) -> u64 {
        self.refused.touch(customers)
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

    /// Counts a decided request; `hash` is the customer id's hash by the tally's hasher.
    pub fn decided(
        &mut self,
        hash: u64,
        request: &Request,
        verdict: &Verdict,
        now: DateTime<FixedOffset>,
        beyond_horizon: bool,
    ) {
        self.lines += 1;
        let decided = Decided::of(verdict);
        self.totals.add(&decided);
        self.add_reasons(verdict.reasons(), &decided);
        if let Some(target) = verdict.escalate_to() {
            let index = match target {
                EscalationTarget::Security => 0,
                EscalationTarget::Legal => 1,
                EscalationTarget::Supervisor => 2,
            };
            if let Some(counts) = self.by_target.get_mut(index) {
                counts.add(&decided);
            }
        }
        let tier = request.customer.loyalty.as_str();
        if let Some(counts) = self
            .tiers
            .iter()
            .position(|name| name == tier)
            .and_then(|index| self.by_tier.get_mut(index))
        {
            counts.add(&decided);
        }
        let severity = verdict.facts().severity;
        let severity = match severity {
            Severity::Minor => 0,
            Severity::Moderate => 1,
            Severity::Major => 2,
            Severity::Critical => 3,
        };
        if let Some(counts) = self.by_severity.get_mut(severity) {
            counts.add(&decided);
        }
        self.add_category(&request.complaint.category, decided);
        if let Some(day) = self.day(now) {
            day.add(&decided);
        }
        if decided.outcome == Outcome::Refused {
            self.refused.add_hashed(hash, &request.customer.id);
        }
        if beyond_horizon {
            self.orders_beyond_horizon += 1;
        }
    }

    /// Counts a decision under each of its reasons.
    fn add_reasons(&mut self, reasons: Reasons, decided: &Decided) {
        let position = |reason: Reason| reason.position() as usize;
        let room = self.reason_positions.len() < REASON_SETS_KEPT;
        let positions = match self.reason_positions.entry(reasons) {
            Entry::Occupied(known) => Some(&*known.into_mut()),
            Entry::Vacant(new) if room => {
                Some(&*new.insert(reasons.iter().map(position).collect()))
            }
            Entry::Vacant(_) => None,
        };
        let by_reason = &mut self.by_reason;
        let mut add = |position: usize| {
            if let Some(counts) = by_reason.get_mut(position) {
                counts.add(decided);
            }
        };
        match positions {
            Some(positions) => positions.iter().copied().for_each(&mut add),
            None => reasons.iter().map(position).for_each(add),
        }
    }

    fn add_category(&mut self, category: &str, decided: Decided) {
        let index = match self.category_index.get(category) {
            Some(index) => *index,
            None => {
                let index = self.categories.len();
                self.categories.push(category.to_owned());
                self.by_category.push(Running::default());
                self.category_index.insert(category.to_owned(), index);
                index
            }
        };
        if let Some(counts) = self.by_category.get_mut(index) {
            counts.add(&decided);
        }
    }

    /// The counts of the day `now` falls on, in the policy's offset; `now` never goes back.
    fn day(&mut self, now: DateTime<FixedOffset>) -> Option<&mut Running> {
        let current = matches!(self.day_ends, Some(ends) if now < ends);
        if !current || self.days.is_empty() {
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
        self.days.last_mut().map(|day| &mut day.counts)
    }

    /// The report, with what `histories` had to remember.
    pub fn finish(self, histories: &Histories, horizon: crate::Window) -> Report {
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
