//! Counting decisions into a [`Report`] as they happen, in constant time per decision.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveTime};
use rust_decimal::Decimal;

use super::FastHash;
use super::histories::Histories;
use super::report::{Breakdown, Counts, DayCounts, Failure, MemoryFigures, Report};
use super::top::TopCounter;
use crate::code_set::Code;
use crate::{EscalationTarget, Outcome, Policy, PolicyId, Reason, Request, Severity, Verdict};

/// How many customers the refusal counter keeps at least (see [`TopCounter`]): enough to hold
/// every frequent complainer of a large service (a few MB), so the customers refused most often
/// are counted exactly or nearly so.
pub(crate) const TOP_COUNTER_CAPACITY: usize = 100_000;

/// The running counts of a replay.
#[derive(Debug)]
pub(crate) struct Tally {
    policy: PolicyId,
    currency: crate::Currency,
    step: Decimal,
    offset: FixedOffset,
    tiers: Vec<String>,
    categories: Vec<String>,
    lines: u64,
    failed: u64,
    failures: Vec<Failure>,
    failures_kept: usize,
    totals: Counts,
    by_reason: Vec<Counts>,
    by_target: [Counts; 3],
    by_tier: Vec<Counts>,
    by_severity: [Counts; 4],
    by_category: Vec<Counts>,
    /// Categories the policy does not list (allowed with an explicit severity), first seen
    /// first.
    other_categories: Vec<(String, Counts)>,
    other_index: HashMap<String, usize, FastHash>,
    days: Vec<DayCounts>,
    /// The first moment after the current day, in the policy's offset.
    day_ends: Option<DateTime<FixedOffset>>,
    refused: TopCounter,
    top_customers: usize,
    orders_beyond_horizon: u64,
}

impl Tally {
    pub fn new(policy: &Policy, top_customers: usize, failures_kept: usize) -> Self {
        Tally {
            policy: policy.id(),
            currency: policy.currency(),
            step: policy.step(),
            offset: policy.local_offset(),
            tiers: policy.tiers().iter().map(|t| t.name.clone()).collect(),
            categories: policy.categories().iter().map(|c| c.name.clone()).collect(),
            lines: 0,
            failed: 0,
            failures: Vec::new(),
            failures_kept,
            totals: Counts::default(),
            by_reason: vec![Counts::default(); Reason::ALL.len()],
            by_target: [Counts::default(); 3],
            by_tier: vec![Counts::default(); policy.tiers().len()],
            by_severity: [Counts::default(); 4],
            by_category: vec![Counts::default(); policy.categories().len()],
            other_categories: Vec::new(),
            other_index: HashMap::default(),
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

    /// Reads the customers' refusal counts, so counting them soon after finds them in cache.
    pub fn touch(&self, customers: &[&str]) -> u64 {
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

    /// Counts a decided request.
    pub fn decided(
        &mut self,
        request: &Request,
        verdict: &Verdict,
        now: DateTime<FixedOffset>,
        beyond_horizon: bool,
    ) {
        self.lines += 1;
        self.totals.add(verdict);
        for reason in verdict.reasons().iter() {
            if let Some(counts) = self.by_reason.get_mut(reason.position() as usize) {
                counts.add(verdict);
            }
        }
        if let Some(target) = verdict.escalate_to() {
            let index = match target {
                EscalationTarget::Security => 0,
                EscalationTarget::Legal => 1,
                EscalationTarget::Supervisor => 2,
            };
            if let Some(counts) = self.by_target.get_mut(index) {
                counts.add(verdict);
            }
        }
        let tier = &request.customer.loyalty;
        if let Some(counts) = self
            .tiers
            .iter()
            .position(|name| name == tier)
            .and_then(|index| self.by_tier.get_mut(index))
        {
            counts.add(verdict);
        }
        let severity = verdict.facts().severity;
        if let Some(counts) = Severity::ALL
            .iter()
            .position(|s| *s == severity)
            .and_then(|index| self.by_severity.get_mut(index))
        {
            counts.add(verdict);
        }
        self.add_category(&request.complaint.category, verdict);
        if let Some(day) = self.day(now) {
            day.add(verdict);
        }
        if verdict.outcome() == Outcome::Refused {
            self.refused.add(&request.customer.id);
        }
        if beyond_horizon {
            self.orders_beyond_horizon += 1;
        }
    }

    fn add_category(&mut self, category: &str, verdict: &Verdict) {
        if let Some(index) = self.categories.iter().position(|name| name == category) {
            if let Some(counts) = self.by_category.get_mut(index) {
                counts.add(verdict);
            }
            return;
        }
        let index = match self.other_index.get(category) {
            Some(index) => *index,
            None => {
                let index = self.other_categories.len();
                self.other_categories
                    .push((category.to_owned(), Counts::default()));
                self.other_index.insert(category.to_owned(), index);
                index
            }
        };
        if let Some((_, counts)) = self.other_categories.get_mut(index) {
            counts.add(verdict);
        }
    }

    /// The counts of the day `now` falls on, in the policy's offset; `now` never goes back.
    fn day(&mut self, now: DateTime<FixedOffset>) -> Option<&mut Counts> {
        let current = matches!(self.day_ends, Some(ends) if now < ends);
        if !current || self.days.is_empty() {
            let date = now.with_timezone(&self.offset).date_naive();
            self.day_ends = date.succ_opt().and_then(|next| {
                next.and_time(NaiveTime::MIN)
                    .and_local_timezone(self.offset)
                    .single()
            });
            self.days.push(DayCounts {
                date,
                counts: Counts::default(),
            });
        }
        self.days.last_mut().map(|day| &mut day.counts)
    }

    /// The report, with what `histories` had to remember.
    pub fn finish(self, histories: &Histories, horizon: crate::Window) -> Report {
        let rows = |names: Vec<String>, counts: Vec<Counts>| {
            Breakdown::from_rows(
                names
                    .into_iter()
                    .zip(counts)
                    .filter(|(_, counts)| counts.requests > 0)
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
        let mut categories: Vec<(String, Counts)> =
            self.categories.into_iter().zip(self.by_category).collect();
        categories.extend(self.other_categories);
        categories.retain(|(_, counts)| counts.requests > 0);
        Report {
            policy: self.policy,
            currency: self.currency,
            step: self.step,
            lines: self.lines,
            failed: self.failed,
            totals: self.totals,
            by_reason: rows(reasons, self.by_reason),
            by_escalation_target: rows(targets, self.by_target.to_vec()),
            by_tier: rows(self.tiers, self.by_tier),
            by_severity: rows(severities, self.by_severity.to_vec()),
            by_category: Breakdown::from_rows(categories),
            by_day: self.days,
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
