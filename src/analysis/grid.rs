//! The finite partition an analysis covers: for every input a decision reads, the values on
//! each side of every threshold the policies compared set, and the requests built from them.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset, Offset, TimeDelta, Utc};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::{
    Agent, AgentId, Code, Complaint, Conduct, Currency, Customer, CustomerId, Evidence, Order,
    OrderId, Party, PastVoucher, Policy, Request, RoleName, Severity, Threat, TierName,
};

/// The most customer lists whose every combination the grid tries.
const MAX_LISTS: usize = 6;
/// The most history shapes the grid enumerates; past it, the analysis says it is partial.
const MAX_HISTORIES: usize = 20_000;
/// The most amount levels per policy and factor the order totals are enumerated for.
const MAX_LEVELS: u64 = 50_000;
/// The largest amount a request may carry.
const LARGEST_AMOUNT: i64 = 1_000_000_000_000_000;

/// A complaint as the grid varies it: a category, and a severity set on the complaint or not.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct ComplaintPoint {
    pub category: String,
    pub severity: Option<Severity>,
}

/// The fields whose checks only ever add a refusal: evidence, fault, the claim window, whose
/// order it is and whether it was compensated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct StaticPoint {
    pub evidence: Evidence,
    /// Seconds from the claim's start to the evidence, when there is evidence.
    pub evidence_after: i64,
    pub fault: Option<Party>,
    pub company_at_fault: Option<bool>,
    /// Seconds from the claim's start to the report.
    pub claim_after: i64,
    pub mismatch: bool,
    pub compensated: bool,
}

impl StaticPoint {
    /// The point where none of these checks refuses.
    pub const CLEAN: StaticPoint = StaticPoint {
        evidence: Evidence::Photo,
        evidence_after: 0,
        fault: None,
        company_at_fault: None,
        claim_after: 0,
        mismatch: false,
        compensated: false,
    };
}

/// Who decides, and what they granted earlier in the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ActingPoint {
    pub role: String,
    pub granted_today: Decimal,
}

impl ActingPoint {
    /// The role `agent`, with nothing granted today: who decides unless a point says otherwise.
    pub fn agent() -> ActingPoint {
        ActingPoint {
            role: crate::Role::AGENT.to_owned(),
            granted_today: Decimal::ZERO,
        }
    }
}

/// The part of a request that changes what the history and the amount do: the tier, the
/// complaint, the customer's lists and their account's age.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Context {
    pub tier: String,
    pub complaint: ComplaintPoint,
    pub lists: Vec<String>,
    /// Seconds since the account was made, when the request says.
    pub account_age: Option<i64>,
}

/// Every value the analysis tries, built from the thresholds of one or two policies.
#[derive(Debug, Clone)]
pub(super) struct Grid {
    pub currency: Currency,
    /// The currency's finest place, as a decimal (`0.01` for IDR).
    pub unit: Decimal,
    pub now: DateTime<FixedOffset>,
    /// When every claim starts: the order's placement.
    pub start: DateTime<FixedOffset>,
    pub contexts: Vec<Context>,
    pub statics: Vec<StaticPoint>,
    pub conducts: Vec<Conduct>,
    pub actings: Vec<ActingPoint>,
    pub requested: Vec<Option<Decimal>>,
    pub histories: Vec<Vec<PastVoucher>>,
    /// What the grid could not enumerate in full, in words; empty for an exhaustive grid.
    pub partial: Vec<String>,
}

/// The customer and order ids every case of the grid uses.
const CUSTOMER: &str = "C-1";
const ORDER: &str = "O-1";

impl Grid {
    /// The grid of `policies` (one or two, of one currency).
    pub fn of(policies: &[&Policy]) -> Grid {
        let currency = policies
            .first()
            .map(|policy| policy.currency())
            .unwrap_or(Currency::IDR);
        let places = policies
            .first()
            .map(|policy| policy.request_places())
            .unwrap_or(2);
        let unit = Decimal::new(1, places);
        let mut partial = Vec::new();

        let windows: BTreeSet<i64> = policies
            .iter()
            .flat_map(|policy| policy.history_windows())
            .map(|window| window.as_seconds())
            .collect();
        let claim_windows: BTreeSet<i64> = policies
            .iter()
            .flat_map(|policy| {
                std::iter::once(policy.claim_window())
                    .chain(policy.categories().iter().filter_map(|c| c.claim_window))
            })
            .map(|window| window.as_seconds())
            .collect();
        let evidence_windows: BTreeSet<i64> = policies
            .iter()
            .flat_map(|policy| policy.categories().iter().filter_map(|c| c.evidence_within))
            .map(|window| window.as_seconds())
            .collect();
        let young: BTreeSet<i64> = policies
            .iter()
            .filter_map(|policy| policy.young_accounts())
            .map(|rules| rules.younger_than.as_seconds())
            .collect();
        // Every time the grid uses lies inside this span before `now`.
        let longest = windows
            .iter()
            .chain(&claim_windows)
            .chain(&evidence_windows)
            .chain(&young)
            .copied()
            .max()
            .unwrap_or(0);
        let span = longest.saturating_add(2 * 86_400);
        let offset = policies
            .first()
            .map(|policy| policy.local_offset())
            .unwrap_or_else(|| Utc.fix());
        let now = DateTime::from_timestamp(1_900_000_000, 0)
            .unwrap_or_default()
            .with_timezone(&offset);
        let start = now - TimeDelta::seconds(span);

        let contexts = contexts(policies, &young, &mut partial);
        let statics = statics(&claim_windows, &evidence_windows);
        let conducts = conducts(policies);
        let actings = actings(policies);
        let requested = requested(policies, unit);
        let histories = histories(policies, currency, unit, now, &windows, &mut partial);
        Grid {
            currency,
            unit,
            now,
            start,
            contexts,
            statics,
            conducts,
            actings,
            requested,
            histories,
            partial,
        }
    }

    /// The index of the clean static point, where no static check refuses.
    pub fn clean_statics(&self) -> usize {
        self.statics
            .iter()
            .position(|point| *point == StaticPoint::CLEAN)
            .unwrap_or(0)
    }

    /// The request of one point of the grid.
    #[allow(clippy::too_many_arguments)]
    pub fn request(
        &self,
        context: &Context,
        statics: &StaticPoint,
        conduct: Conduct,
        acting: &ActingPoint,
        total: Decimal,
        requested: Option<Decimal>,
    ) -> Request {
        let mut customer = Customer::new(
            CustomerId::new(CUSTOMER),
            TierName::new(context.tier.as_str()),
        );
        if let Some(age) = context.account_age {
            customer = customer.with_since(self.now - TimeDelta::seconds(age));
        }
        for list in &context.lists {
            customer = customer.with_list(list.as_str());
        }
        let owner = if statics.mismatch { "C-2" } else { CUSTOMER };
        let order = Order::new(
            OrderId::new(ORDER),
            CustomerId::new(owner),
            total,
            self.currency,
            self.start,
        );
        let mut complaint = Complaint::new(
            context.complaint.category.as_str(),
            self.start + TimeDelta::seconds(statics.claim_after),
        )
        .with_evidence(statics.evidence);
        if statics.evidence != Evidence::None {
            complaint =
                complaint.with_evidence_at(self.start + TimeDelta::seconds(statics.evidence_after));
        }
        if let Some(severity) = context.complaint.severity {
            complaint = complaint.with_severity(severity);
        }
        if let Some(fault) = statics.fault {
            complaint = complaint.with_fault(fault);
        }
        if let Some(at_fault) = statics.company_at_fault {
            complaint = complaint.with_company_at_fault(at_fault);
        }
        let agent = Agent::new(AgentId::new("A-1"))
            .with_role(RoleName::new(acting.role.as_str()))
            .with_granted_today(acting.granted_today);
        let mut request = Request::new(customer, order, complaint)
            .with_conduct(conduct)
            .with_agent(agent);
        if let Some(amount) = requested {
            request = request.with_requested_amount(amount);
        }
        request
    }

    /// The history of one point: one of the grid's histories, and the order's own voucher,
    /// granted before every window, when the point says it was compensated.
    pub fn history(&self, statics: &StaticPoint, history: usize) -> Vec<PastVoucher> {
        let mut vouchers = self.histories.get(history).cloned().unwrap_or_default();
        if statics.compensated {
            vouchers.push(PastVoucher::new(
                OrderId::new(ORDER),
                self.unit,
                self.currency,
                self.start,
            ));
        }
        vouchers
    }

    /// Every order total at which the amount either policy gives for `context` changes, from the
    /// smallest total a request may carry: between two of them, both amounts stay the same.
    pub fn totals(
        &self,
        policies: &[&Policy],
        context: &Context,
        partial: &mut Vec<String>,
    ) -> Vec<Decimal> {
        let mut totals = BTreeSet::new();
        for policy in policies {
            totals.insert(policy.step());
            let Some(tier) = policy.tier(&context.tier) else {
                continue;
            };
            let category = policy
                .categories()
                .iter()
                .find(|category| category.name == context.complaint.category);
            let Some(severity) = context
                .complaint
                .severity
                .or(category.map(|category| category.severity))
            else {
                continue;
            };
            let rate = category
                .and_then(|category| category.rate)
                .unwrap_or(policy.severity_rates().rate(severity));
            let share = category
                .and_then(|category| category.maximum_share)
                .or(policy.maximum_share().share(severity))
                .unwrap_or(Decimal::ONE);
            let maximum = category
                .and_then(|category| category.maximum_voucher)
                .unwrap_or(policy.maximum_voucher());
            let step = policy.step();
            let highest = (maximum / step).floor().to_u64().unwrap_or(u64::MAX);
            for factor in [rate * tier.multiplier, share] {
                if factor <= Decimal::ZERO {
                    continue;
                }
                if highest > MAX_LEVELS {
                    partial.push(format!(
                        "order totals of {}/{}: {highest} amount levels, the first {MAX_LEVELS} enumerated",
                        context.tier, context.complaint.category
                    ));
                }
                for level in 1..=highest.min(MAX_LEVELS) {
                    if let Some(total) =
                        first_total(Decimal::from(level) * step, factor, step, self.unit)
                    {
                        totals.insert(total);
                    }
                }
            }
        }
        totals
            .into_iter()
            .filter(|total| *total <= Decimal::from(LARGEST_AMOUNT))
            .collect()
    }
}

/// The smallest total on the currency's grid at which `factor x total`, rounded down to the
/// step, reaches `amount`.
fn first_total(amount: Decimal, factor: Decimal, step: Decimal, unit: Decimal) -> Option<Decimal> {
    let reaches = |total: Decimal| {
        factor
            .checked_mul(total)
            .is_some_and(|product| (product / step).floor() * step >= amount)
    };
    let estimate = amount.checked_div(factor)?;
    let mut total = (estimate / unit).ceil() * unit;
    // Division rounds in its last place: walk to the exact first total.
    while !reaches(total) {
        total += unit;
    }
    while total > unit && reaches(total - unit) {
        total -= unit;
    }
    Some(total.normalize())
}

/// The tiers, complaints, lists and account ages of both policies, crossed.
fn contexts(
    policies: &[&Policy],
    young: &BTreeSet<i64>,
    partial: &mut Vec<String>,
) -> Vec<Context> {
    let mut tiers: Vec<String> = Vec::new();
    let mut categories: Vec<String> = Vec::new();
    let mut lists: Vec<String> = Vec::new();
    for policy in policies {
        for tier in policy.tiers() {
            if !tiers.contains(&tier.name) {
                tiers.push(tier.name.clone());
            }
        }
        for category in policy.categories() {
            if !categories.contains(&category.name) {
                categories.push(category.name.clone());
            }
        }
        for list in policy.lists() {
            if !lists.contains(&list.name) {
                lists.push(list.name.clone());
            }
        }
    }
    // A category neither policy has, for complaints that set their own severity.
    let mut other = String::from("other");
    while categories.contains(&other) {
        other.push('_');
    }
    // Complaints that two policies treat alike give the same decisions: one stands for all.
    let rules = |category: &str, policy: &Policy| {
        policy
            .categories()
            .iter()
            .find(|known| known.name == category)
            .map(|known| {
                let mut rules = known.clone();
                rules.name.clear();
                rules
            })
    };
    let mut complaints: Vec<ComplaintPoint> = Vec::new();
    let mut seen = Vec::new();
    // Complaints with their category's own severity first: they read plainest.
    for severity in std::iter::once(None).chain(Severity::ALL.into_iter().map(Some)) {
        for category in categories.iter().chain(std::iter::once(&other)) {
            let key: (Vec<_>, Option<Severity>) = (
                policies
                    .iter()
                    .map(|policy| rules(category, policy))
                    .collect(),
                severity,
            );
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            complaints.push(ComplaintPoint {
                category: category.clone(),
                severity,
            });
        }
    }
    if lists.len() > MAX_LISTS {
        partial.push(format!(
            "customer lists: {} lists, each alone and none tried rather than every combination",
            lists.len()
        ));
    }
    let list_sets: Vec<Vec<String>> = if lists.len() > MAX_LISTS {
        std::iter::once(Vec::new())
            .chain(lists.iter().map(|list| vec![list.clone()]))
            .collect()
    } else {
        (0..1_u32 << lists.len())
            .map(|mask| {
                lists
                    .iter()
                    .enumerate()
                    .filter(|(index, _)| mask & (1 << index) != 0)
                    .map(|(_, list)| list.clone())
                    .collect()
            })
            .collect()
    };
    let ages: Vec<Option<i64>> = std::iter::once(None)
        .chain(young.iter().flat_map(|age| [Some(age - 1), Some(*age)]))
        .collect();
    let mut contexts = Vec::new();
    for tier in &tiers {
        for complaint in &complaints {
            for lists in &list_sets {
                for age in &ages {
                    contexts.push(Context {
                        tier: tier.clone(),
                        complaint: complaint.clone(),
                        lists: lists.clone(),
                        account_age: *age,
                    });
                }
            }
        }
    }
    contexts
}

/// The evidence, fault, claim and order points.
fn statics(claim_windows: &BTreeSet<i64>, evidence_windows: &BTreeSet<i64>) -> Vec<StaticPoint> {
    let edges = |windows: &BTreeSet<i64>| -> Vec<i64> {
        let mut values: BTreeSet<i64> = BTreeSet::from([0]);
        for window in windows {
            values.insert(*window);
            values.insert(window + 1);
        }
        values.into_iter().collect()
    };
    let claims = edges(claim_windows);
    let mut evidence: Vec<(Evidence, i64)> = vec![(Evidence::None, 0)];
    evidence.extend(
        edges(evidence_windows)
            .into_iter()
            .map(|at| (Evidence::Photo, at)),
    );
    let mut faults: Vec<(Option<Party>, Option<bool>)> = vec![(None, None), (None, Some(false))];
    faults.extend(Party::ALL.iter().map(|party| (Some(*party), None)));
    let mut points = Vec::new();
    for (evidence, evidence_after) in &evidence {
        for (fault, company_at_fault) in &faults {
            for claim_after in &claims {
                for mismatch in [false, true] {
                    for compensated in [false, true] {
                        points.push(StaticPoint {
                            evidence: *evidence,
                            // Evidence never comes after the report is decided.
                            evidence_after: *evidence_after,
                            fault: *fault,
                            company_at_fault: *company_at_fault,
                            claim_after: *claim_after,
                            mismatch,
                            compensated,
                        });
                    }
                }
            }
        }
    }
    points
}

/// Threats, a demand for a supervisor and advances, on each side of every warning count.
fn conducts(policies: &[&Policy]) -> Vec<Conduct> {
    let warnings: BTreeSet<u32> = std::iter::once(0)
        .chain(
            policies
                .iter()
                .map(|policy| policy.conduct().warnings_before_close),
        )
        .collect();
    let mut conducts = Vec::new();
    for threat in [None, Some(Threat::Physical), Some(Threat::Legal)] {
        for insists in [false, true] {
            let base = Conduct::new().with_insists_on_supervisor(insists);
            let base = match threat {
                Some(threat) => base.with_threat(threat),
                None => base,
            };
            conducts.push(base);
            for given in &warnings {
                conducts.push(
                    base.with_personal_advances(true)
                        .with_warnings_given(*given),
                );
            }
        }
    }
    conducts
}

/// Every role of both policies, with nothing granted today and with each daily budget's edges.
fn actings(policies: &[&Policy]) -> Vec<ActingPoint> {
    let mut roles: Vec<String> = Vec::new();
    for policy in policies {
        for role in policy.roles() {
            if !roles.contains(&role.name) {
                roles.push(role.name.clone());
            }
        }
    }
    let mut points = Vec::new();
    for name in &roles {
        let mut granted: BTreeSet<Decimal> = BTreeSet::from([Decimal::ZERO]);
        for policy in policies {
            let Some(budget) = policy.role(name).and_then(|role| role.daily_budget) else {
                continue;
            };
            granted.insert(budget);
            for other in policies {
                for left in [other.minimum_voucher(), other.agent_authority()]
                    .into_iter()
                    .chain(other.roles().iter().map(|role| role.authority))
                {
                    if budget > left {
                        granted.insert(budget - left);
                    }
                }
            }
        }
        for granted_today in granted {
            points.push(ActingPoint {
                role: name.clone(),
                granted_today,
            });
        }
    }
    points
}

/// No requested amount, and the amounts at which a request changes a decision: each minimum
/// and each authority, and one unit either side.
fn requested(policies: &[&Policy], unit: Decimal) -> Vec<Option<Decimal>> {
    let mut amounts = BTreeSet::new();
    for policy in policies {
        for edge in [policy.minimum_voucher(), policy.step()]
            .into_iter()
            .chain(policy.roles().iter().map(|role| role.authority))
        {
            // Below a policy's step, a requested amount is one that policy cannot decide.
            for amount in [edge - unit, edge, edge + unit] {
                if amount >= policies.iter().map(|p| p.step()).min().unwrap_or(unit) {
                    amounts.insert(amount);
                }
            }
        }
    }
    std::iter::once(None)
        .chain(amounts.into_iter().map(Some))
        .collect()
}

/// Histories: every count of vouchers, minor or not, in every cell between two windows' edges,
/// up to the largest count a limit needs; and, in each cell a value limit reaches, one voucher
/// that leaves exactly each interesting amount of that limit.
fn histories(
    policies: &[&Policy],
    currency: Currency,
    unit: Decimal,
    now: DateTime<FixedOffset>,
    windows: &BTreeSet<i64>,
    partial: &mut Vec<String>,
) -> Vec<Vec<PastVoucher>> {
    // A voucher granted `age` seconds ago is inside every window longer than its age.
    let ages: Vec<i64> = std::iter::once(0).chain(windows.iter().copied()).collect();
    let most = policies
        .iter()
        .flat_map(|policy| {
            let counts = policy
                .tiers()
                .iter()
                .flat_map(|tier| policy.count_limits(tier).map(|(limit, _)| limit))
                .collect::<Vec<_>>();
            counts.into_iter().chain([
                policy.repeated_minor().threshold,
                policy
                    .young_accounts()
                    .and_then(|rules| rules.lifetime_vouchers)
                    .unwrap_or(0),
                1,
            ])
        })
        .max()
        .unwrap_or(1) as usize;
    let kinds: Vec<(i64, bool)> = ages
        .iter()
        .flat_map(|age| [(*age, false), (*age, true)])
        .collect();
    let voucher = |index: usize, age: i64, minor: bool, amount: Decimal| {
        PastVoucher::new(
            OrderId::new(format!("P-{index}")),
            amount,
            currency,
            now - TimeDelta::seconds(age),
        )
        .with_severity(if minor {
            Severity::Minor
        } else {
            Severity::Moderate
        })
    };
    let mut shapes: Vec<Vec<usize>> = Vec::new();
    counts_up_to(kinds.len(), most, &mut Vec::new(), &mut shapes);
    if shapes.len() > MAX_HISTORIES {
        partial.push(format!(
            "history counts: {} shapes, the first {MAX_HISTORIES} enumerated",
            shapes.len()
        ));
        shapes.truncate(MAX_HISTORIES);
    }
    let mut histories: Vec<Vec<PastVoucher>> = shapes
        .iter()
        .map(|counts| {
            let mut history = Vec::new();
            for (kind, count) in kinds.iter().zip(counts) {
                for _ in 0..*count {
                    history.push(voucher(history.len(), kind.0, kind.1, unit));
                }
            }
            history
        })
        .collect();
    // Values: one voucher in a cell a value limit reaches, leaving each interesting amount.
    let mut leaves: BTreeSet<Decimal> = BTreeSet::from([Decimal::ZERO, unit]);
    for policy in policies {
        for amount in [policy.minimum_voucher(), policy.step()]
            .into_iter()
            .chain(policy.roles().iter().map(|role| role.authority))
        {
            leaves.insert(amount);
            if amount > unit {
                leaves.insert(amount - unit);
            }
        }
    }
    let mut limits: BTreeSet<(Decimal, i64)> = BTreeSet::new();
    for policy in policies {
        for tier in policy.tiers() {
            for (limit, window) in policy.value_limits(tier) {
                limits.insert((limit, window.as_seconds()));
            }
        }
    }
    for (limit, window) in &limits {
        for age in ages.iter().filter(|age| **age < *window) {
            for leave in &leaves {
                let amount = *limit - *leave;
                if amount > Decimal::ZERO {
                    for minor in [false, true] {
                        histories.push(vec![voucher(0, *age, minor, amount)]);
                    }
                }
            }
        }
    }
    histories
}

/// Every vector of `kinds` counts summing to at most `most`, appended to `out`.
fn counts_up_to(kinds: usize, most: usize, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    if prefix.len() == kinds {
        out.push(prefix.clone());
        return;
    }
    let used: usize = prefix.iter().sum();
    for count in 0..=most.saturating_sub(used) {
        prefix.push(count);
        counts_up_to(kinds, most, prefix, out);
        prefix.pop();
    }
}
