//! What one policy's engine does in one context of the grid, part by part: which static points
//! refuse, which conducts escalate and where, what each history refuses and leaves of the value
//! limits, and the amount the policy gives at each order total. The engine answers every part;
//! [`Profile::rule`] puts them together as the pipeline's last step does.

use std::collections::HashMap;
use std::rc::Rc;

use rust_decimal::Decimal;

use super::grid::{ComplaintPoint, Context, Grid, StaticPoint};
use super::ruling::{Rule, units};
use crate::{
    Conduct, Engine, EscalationTarget, LimitFact, Outcome, Reason, ReasonKind, Severity, Verdict,
};

/// The refusals a static point can fire: none reads the history or the amount.
const STATIC_REFUSALS: [Reason; 7] = [
    Reason::OrderCustomerMismatch,
    Reason::OrderAlreadyCompensated,
    Reason::ClaimWindowExpired,
    Reason::NotCompanyFault,
    Reason::CustomerAtFault,
    Reason::EvidenceRequired,
    Reason::EvidenceTooLate,
];

/// The refusals a history can fire.
const HISTORY_REFUSALS: [Reason; 5] = [
    Reason::VoucherLimitReached,
    Reason::VoucherValueLimitReached,
    Reason::YoungAccountLimitReached,
    Reason::MinorComplaintRecentVoucher,
    Reason::RepeatedMinorComplaints,
];

/// What a static point or a conduct does on its own, whatever the history and the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Fixed {
    /// Nothing that settles the case: the history and the amount decide.
    Open,
    /// A refusal, whatever else.
    Refused,
    /// An escalation to this target, whatever else.
    Escalated(EscalationTarget),
    /// The request cannot be decided at this point.
    Undecidable,
}

/// A history as the amount's last step sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct HistoryPart {
    /// Whether a history limit refuses.
    pub refused: bool,
    /// What the value limits leave, in units (the least of them).
    pub value_left: i128,
    /// Whether a refusal by the history offers no way forward.
    pub no_way_forward: bool,
}

/// One policy in one context.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Profile {
    /// The error when the context itself cannot be decided (an unknown tier, category, list).
    pub undecidable: Option<String>,
    /// Per static point of the grid (with no conduct, no history): what it settles, and
    /// whether it refuses without a way forward.
    pub statics: Rc<StaticParts>,
    /// Per conduct of the grid (at the clean static point).
    pub conducts: Rc<Vec<Fixed>>,
    /// Per history of the grid (at the clean static point).
    pub histories: Rc<Vec<HistoryPart>>,
    /// The policy's amount at each order total of the context, in units; `None` at a total the
    /// policy cannot decide (below its step).
    pub amounts: Rc<Amounts>,
    /// The policy's step and minimum voucher, in units.
    pub step: i128,
    pub minimum: i128,
}

/// What the deciding role may grant alone, per acting point: the least of its authority and
/// what is left of its daily budget, in units; `None` for a role the policy does not know.
pub(super) fn thresholds(engine: &Engine, grid: &Grid, totals: &[Decimal]) -> Vec<Option<i128>> {
    let policy = engine.policy();
    let total = totals.last().copied().unwrap_or(policy.step());
    grid.actings
        .iter()
        .map(|acting| {
            // Any context this policy decides will do: the role's numbers do not depend on it.
            grid.contexts.iter().find_map(|context| {
                let request = grid.request(
                    context,
                    &StaticPoint::CLEAN,
                    Conduct::new(),
                    acting,
                    total.max(policy.step()),
                    None,
                );
                let verdict = engine
                    .verdict(&request, &[] as &[crate::PastVoucher], grid.now)
                    .ok()?;
                let facts = verdict.facts();
                let authority = units(facts.agent_authority);
                Some(match facts.daily_budget_left {
                    Some(left) => authority.min(units(left)),
                    None => authority,
                })
            })
        })
        .collect()
}

/// Per static point: what it settles, and whether it refuses without a way forward.
type StaticParts = (Vec<Fixed>, Vec<bool>);

/// What a history's part reads besides the history: the tier, the severity, the lists, the
/// account's age.
type HistoryInputs = (String, Option<Severity>, Vec<String>, Option<i64>);

/// The policy's amount at each total, in units; `None` where it does not decide.
type Amounts = Vec<Option<i128>>;

/// Asks one engine about the parts of each context, each part once per distinct set of the
/// inputs it reads: the static points read the complaint and the account's age; the conducts
/// the complaint and the lists; the histories the tier, the severity, the lists and the age;
/// the amounts the tier and the complaint.
pub(super) struct Asker<'a> {
    engine: &'a Engine,
    grid: &'a Grid,
    statics: HashMap<(ComplaintPoint, Option<i64>), Rc<StaticParts>>,
    conducts: HashMap<(ComplaintPoint, Vec<String>), Rc<Vec<Fixed>>>,
    histories: HashMap<HistoryInputs, Rc<Vec<HistoryPart>>>,
    amounts: HashMap<(String, ComplaintPoint, Vec<Decimal>), Rc<Amounts>>,
}

impl<'a> Asker<'a> {
    /// An asker of `engine` over `grid`.
    pub fn new(engine: &'a Engine, grid: &'a Grid) -> Self {
        Asker {
            engine,
            grid,
            statics: HashMap::new(),
            conducts: HashMap::new(),
            histories: HashMap::new(),
            amounts: HashMap::new(),
        }
    }

    /// The profile of `context`, its amounts at `totals`.
    pub fn profile(&mut self, context: &Context, totals: &[Decimal]) -> Profile {
        let engine = self.engine;
        let grid = self.grid;
        let policy = engine.policy();
        let step = units(policy.step());
        let minimum = units(policy.minimum_voucher());
        let acting = grid
            .actings
            .first()
            .cloned()
            .unwrap_or_else(super::grid::ActingPoint::agent);
        // The smallest total the policy accepts: no part but the amount reads the total.
        let probe_total = policy.step();
        let ask = |statics: &StaticPoint, conduct: Conduct, history: usize, total: Decimal| {
            let request = grid.request(context, statics, conduct, &acting, total, None);
            engine.verdict(&request, &grid.history(statics, history), grid.now)
        };
        // The grid's first history is the empty one.
        let empty = 0;
        let mut profile = Profile {
            undecidable: None,
            statics: Rc::default(),
            conducts: Rc::default(),
            histories: Rc::default(),
            amounts: Rc::default(),
            step,
            minimum,
        };
        let probe = match ask(&StaticPoint::CLEAN, Conduct::new(), empty, probe_total) {
            Ok(verdict) => verdict,
            Err(error) => {
                profile.undecidable = Some(error.to_string());
                return profile;
            }
        };
        let severity = Some(probe.facts().severity);
        profile.statics = self
            .statics
            .entry((context.complaint.clone(), context.account_age))
            .or_insert_with(|| {
                let mut fixed = Vec::new();
                let mut without_way = Vec::new();
                for statics in &grid.statics {
                    let (point, none) = match ask(statics, Conduct::new(), empty, probe_total) {
                        Ok(verdict) => {
                            let refused = STATIC_REFUSALS
                                .iter()
                                .any(|reason| verdict.reasons().contains(*reason));
                            let point = if refused { Fixed::Refused } else { Fixed::Open };
                            let none = refused
                                && verdict.outcome() == Outcome::Refused
                                && no_way_forward(&verdict);
                            (point, none)
                        }
                        Err(_) => (Fixed::Undecidable, false),
                    };
                    fixed.push(point);
                    without_way.push(none);
                }
                Rc::new((fixed, without_way))
            })
            .clone();
        profile.conducts = self
            .conducts
            .entry((context.complaint.clone(), context.lists.clone()))
            .or_insert_with(|| {
                let conducts = grid.conducts.iter().map(|conduct| {
                    match ask(&StaticPoint::CLEAN, *conduct, empty, probe_total) {
                        Ok(verdict) => {
                            let safety = verdict
                                .reasons()
                                .iter()
                                .any(|reason| reason.kind() == ReasonKind::Escalation);
                            match (safety, verdict.escalate_to()) {
                                (true, Some(target)) => Fixed::Escalated(target),
                                _ => Fixed::Open,
                            }
                        }
                        Err(_) => Fixed::Undecidable,
                    }
                });
                Rc::new(conducts.collect())
            })
            .clone();
        profile.histories = self
            .histories
            .entry((
                context.tier.clone(),
                severity,
                context.lists.clone(),
                context.account_age,
            ))
            .or_insert_with(|| {
                let parts = (0..grid.histories.len()).map(|history| {
                    match ask(&StaticPoint::CLEAN, Conduct::new(), history, probe_total) {
                        Ok(verdict) => {
                            let refused = HISTORY_REFUSALS
                                .iter()
                                .any(|reason| verdict.reasons().contains(*reason));
                            // The last step reads what is left only rounded down to the step.
                            let left = value_left(&verdict) / step.max(1) * step.max(1);
                            HistoryPart {
                                refused,
                                value_left: if refused { 0 } else { left },
                                no_way_forward: refused
                                    && verdict.outcome() == Outcome::Refused
                                    && no_way_forward(&verdict),
                            }
                        }
                        // No history of the grid is invalid; were one, a refusal is the safe
                        // reading, and the replay of any case built on it would say so.
                        Err(_) => HistoryPart {
                            refused: true,
                            value_left: 0,
                            no_way_forward: false,
                        },
                    }
                });
                Rc::new(parts.collect())
            })
            .clone();
        profile.amounts = self
            .amounts
            .entry((
                context.tier.clone(),
                context.complaint.clone(),
                totals.to_vec(),
            ))
            .or_insert_with(|| {
                let amounts = totals.iter().map(|total| {
                    ask(&StaticPoint::CLEAN, Conduct::new(), empty, *total)
                        .ok()
                        .map(|verdict| units(verdict.facts().policy_amount))
                });
                Rc::new(amounts.collect())
            })
            .clone();
        profile
    }
}

impl Profile {
    /// What a static point and a conduct settle together: a safety escalation first, then an
    /// invalid request, then a refusal.
    pub fn fixed(&self, statics: usize, conduct: usize) -> Fixed {
        if self.undecidable.is_some() {
            return Fixed::Undecidable;
        }
        let conduct = self
            .conducts
            .get(conduct)
            .copied()
            .unwrap_or(Fixed::Undecidable);
        let statics = self
            .statics
            .0
            .get(statics)
            .copied()
            .unwrap_or(Fixed::Undecidable);
        match (conduct, statics) {
            (Fixed::Undecidable, _) | (_, Fixed::Undecidable) => Fixed::Undecidable,
            (Fixed::Escalated(target), _) => Fixed::Escalated(target),
            (_, fixed) => fixed,
        }
    }

    /// The pipeline's last step on the parts: a history limit refuses; otherwise the policy's
    /// amount, cut to what was asked and to what the value limits leave, escalated above what
    /// the deciding role may grant.
    pub fn rule(
        &self,
        history: &HistoryPart,
        amount: i128,
        requested: Option<i128>,
        threshold: Option<i128>,
    ) -> Rule {
        let Some(threshold) = threshold else {
            return Rule::Undecidable;
        };
        // A request for less than one step is not one the policy decides.
        if requested.is_some_and(|requested| requested < self.step) {
            return Rule::Undecidable;
        }
        if history.refused {
            return Rule::Refused;
        }
        let step = self.step.max(1);
        let mut granted = amount;
        if let Some(requested) = requested
            && requested <= amount
        {
            granted = requested / step * step;
        }
        let left = history.value_left / step * step;
        if granted > left && left >= self.minimum {
            granted = left;
        }
        if granted > threshold {
            Rule::Escalated(EscalationTarget::Supervisor)
        } else {
            Rule::Granted(granted)
        }
    }

    /// The highest amount the history and request cap the voucher at: past it, a higher order
    /// total changes nothing.
    pub fn cap(&self, history: &HistoryPart, requested: Option<i128>) -> i128 {
        let step = self.step.max(1);
        let mut cap = i128::MAX;
        if let Some(requested) = requested {
            cap = cap.min(requested / step * step);
        }
        let left = history.value_left / step * step;
        if left >= self.minimum {
            cap = cap.min(left);
        }
        cap
    }
}

/// Whether a refusal offers the customer nothing to do.
fn no_way_forward(verdict: &Verdict) -> bool {
    verdict.alternatives().is_empty()
}

/// What the value limits leave: the least of the tier's value limit's and its further ones'.
fn value_left(verdict: &Verdict) -> i128 {
    let facts = verdict.facts();
    let mut left = units(facts.value_left);
    for fact in facts.further_limits.iter() {
        if let LimitFact::Value { limit, used, .. } = fact {
            left = left.min((units(*limit) - units(*used)).max(0));
        }
    }
    left
}
