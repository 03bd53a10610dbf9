//! The three ways a request can end.

use serde::{Deserialize, Serialize};

use chrono::{DateTime, FixedOffset};

use crate::checks::Findings;
use crate::eligibility::{self, Clearing, ClearsAt};
use crate::reason::ReasonKind;
use crate::situation::{Situation, Targets};
use crate::time::{Direction, Span, moved};
use crate::{
    AccountFacts, Alternatives, EscalationTarget, EvidenceFacts, Facts, LimitFact, LimitFacts,
    Reason, Reasons, Recommendation, Verdict, Window,
};

/// How a compensation request ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A voucher is granted.
    Granted,
    /// No voucher; the decision offers alternatives instead.
    Refused,
    /// Someone else takes over; the decision carries the recommendation on the merits.
    Escalated,
}

crate::wire_name::wire_names!(Outcome, "outcome" {
    Granted => "granted",
    Refused => "refused",
    Escalated => "escalated",
});

// The reasons of each kind, each a constant bit set: picking a decision's reasons of one kind is
// one `&`.
const REFUSALS: Reasons = ReasonKind::Refusal.reasons();
const ADJUSTMENTS: Reasons = ReasonKind::Adjustment.reasons();
const ESCALATIONS: Reasons = ReasonKind::Escalation.reasons();
const CONDUCT: Reasons = ReasonKind::Conduct.reasons();
/// The refusals from the history that time lifts.
const HISTORY_LIMITS: Reasons = Reasons::from_bits(
    Reason::VoucherLimitReached.bit()
        | Reason::VoucherValueLimitReached.bit()
        | Reason::MinorComplaintRecentVoucher.bit()
        | Reason::RepeatedMinorComplaints.bit()
        | Reason::YoungAccountLimitReached.bit(),
);

/// The refusals that stand whoever decides: the order is another account's, or it was
/// already compensated.
const FIRM: Reasons =
    Reasons::from_bits(Reason::OrderCustomerMismatch.bit() | Reason::OrderAlreadyCompensated.bit());
/// The amount reasons that hand the grant to someone with more authority.
const BEYOND_AUTHORITY: Reasons =
    Reasons::from_bits(Reason::AboveAgentAuthority.bit() | Reason::AgentBudgetExceeded.bit());

/// What an approval set aside: the escalations it settled and the refusals it overrode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct SetAside {
    pub handled: Reasons,
    pub overridden: Reasons,
}

/// Derives the verdict from what the checks found: any safety or conduct escalation wins (most
/// serious target first); else any refusal refuses; else an amount above the agent's authority
/// escalates to a supervisor; else the voucher is granted.
#[inline(always)]
pub(crate) fn derive(
    situation: &Situation<'_>,
    findings: &Findings,
    clears: ClearsAt<'_>,
    set_aside: &mut SetAside,
) -> Verdict {
    let fired = findings.reasons;
    let mut refusals = fired.intersection(REFUSALS);
    let acting = &situation.acting;
    if acting.overrides {
        set_aside.overridden = refusals.difference(FIRM);
        refusals = refusals.intersection(FIRM);
    }

    // The case on its merits: refused for its refusal reasons, or granted with the amount's
    // adjustments, which only mean something when there is a voucher.
    let voucher = situation.voucher(findings.amounts.final_amount);
    let (merits, merits_voucher, merits_reasons) = if refusals.is_empty() {
        let mut reasons = fired.intersection(ADJUSTMENTS);
        reasons.insert(Reason::ValidComplaint);
        (Outcome::Granted, Some(voucher), reasons)
    } else {
        (Outcome::Refused, None, refusals)
    };

    let mut safety = fired.intersection(ESCALATIONS);
    if acting.handles != Targets::default() {
        let fired_safety = safety;
        for reason in fired_safety.iter() {
            if escalation_target(situation, reason).is_some_and(|to| acting.handles.contains(to)) {
                safety.remove(reason);
                set_aside.handled.insert(reason);
            }
        }
    }
    let escalate_to = safety
        .iter()
        .filter_map(|reason| escalation_target(situation, reason))
        .reduce(EscalationTarget::most_serious)
        .or_else(|| {
            (!merits_reasons.intersection(BEYOND_AUTHORITY).is_empty())
                .then_some(EscalationTarget::Supervisor)
        });
    let outcome = match escalate_to {
        Some(_) => Outcome::Escalated,
        None => merits,
    };
    let alternatives = match outcome {
        Outcome::Refused => refusals
            .iter()
            .map(|reason| situation.policy.alternatives_for(reason))
            .fold(Alternatives::new(), Alternatives::union),
        _ => Alternatives::new(),
    };
    Verdict {
        outcome,
        voucher: (outcome == Outcome::Granted).then_some(voucher),
        reasons: safety
            .union(fired.intersection(CONDUCT))
            .union(merits_reasons),
        escalate_to,
        recommendation: escalate_to
            .map(|_| Recommendation::new(merits, merits_voucher, merits_reasons)),
        flags: findings.flags,
        alternatives,
        next_eligible_at: if refusals.intersection(HISTORY_LIMITS).is_empty() {
            None
        } else {
            next_eligible(situation, refusals, clears)
        },
        follow_up_by: escalate_to
            .and_then(|target| situation.after_now(situation.policy.follow_up().of(target))),
        cost_borne_by: match (situation.request.complaint.fault, merits) {
            (Some(fault), Outcome::Granted) => Some(situation.policy.fault().cost_bearer(fault)),
            _ => None,
        },
        facts: facts(situation, findings),
        policy: situation.policy.id(),
        placement: situation.placement,
    }
}

/// When none of the history limits among `refusals` would fire any more, with no new voucher:
/// each count and value limit used up, the cool-down, the pattern and a young account's age;
/// `None` when one never lifts (a limit of nothing, or a value limit below the minimum voucher).
#[cold]
#[inline(never)]
fn next_eligible(
    situation: &Situation<'_>,
    refusals: Reasons,
    clears: ClearsAt<'_>,
) -> Option<DateTime<FixedOffset>> {
    let history = situation.history;
    let money = &situation.prepared.money;
    let windows = &situation.prepared.windows;
    let span = |position: usize| windows.spans().get(position).copied();
    let mut limits = [Clearing::Value {
        window: Span::of(Window::DAY),
        room: 0,
    }; eligibility::MOST];
    let mut count = 0;
    let mut add = |limit: Clearing| {
        if let Some(slot) = limits.get_mut(count) {
            *slot = limit;
            count += 1;
        }
    };
    if refusals.contains(Reason::VoucherLimitReached) {
        for (position, limit) in situation.tier_money.count_limits() {
            if history.vouchers_in(*position) >= *limit {
                add(Clearing::Count {
                    window: span(*position)?,
                    limit: *limit,
                    minor_only: false,
                });
            }
        }
    }
    if refusals.contains(Reason::VoucherValueLimitReached) {
        for (position, limit) in situation.tier_money.value_limits() {
            let left = u128::from(*limit).saturating_sub(history.value_in(*position));
            if left < u128::from(money.minimum) {
                add(Clearing::Value {
                    window: span(*position)?,
                    room: u128::from(limit.checked_sub(money.minimum)?),
                });
            }
        }
    }
    if refusals.contains(Reason::MinorComplaintRecentVoucher) {
        add(Clearing::Count {
            window: span(windows.cooldown)?,
            limit: 1,
            minor_only: false,
        });
    }
    if refusals.contains(Reason::RepeatedMinorComplaints) {
        add(Clearing::Count {
            window: span(windows.pattern)?,
            limit: situation.policy.repeated_minor().threshold,
            minor_only: true,
        });
    }
    let cleared = match limits.get(..count) {
        Some([]) | None => situation.now.naive_utc(),
        Some(limits) => clears(limits)?,
    };
    // A young account's lifetime limit lifts when the account is no longer young.
    let grown = match (
        refusals.contains(Reason::YoungAccountLimitReached),
        situation.policy.young_accounts(),
        situation.request.customer.since,
    ) {
        (true, Some(young), Some(since)) => Some(moved(
            since.naive_utc(),
            Span::of(young.younger_than),
            Direction::Later,
        )?),
        _ => None,
    };
    Some(situation.local(cleared.max(grown.unwrap_or(cleared))))
}

/// Who a safety or conduct escalation goes to.
fn escalation_target(situation: &Situation<'_>, reason: Reason) -> Option<EscalationTarget> {
    match reason {
        Reason::CustomerListed => situation.listed_to,
        Reason::PhysicalThreat => Some(EscalationTarget::Security),
        Reason::LegalThreat => Some(EscalationTarget::Legal),
        Reason::CriticalComplaint
        | Reason::SupervisorRequested
        | Reason::PersistentPersonalAdvances => Some(EscalationTarget::Supervisor),
        _ => None,
    }
}

/// The numbers the checks looked at, and the amount step by step.
#[inline(always)]
fn facts(situation: &Situation<'_>, findings: &Findings) -> Facts {
    let amounts = &findings.amounts;
    let policy = situation.policy;
    let history = &situation.history;
    let request = situation.request;
    let money = &situation.prepared.money;
    let windows = &situation.prepared.windows;
    let tier_money = situation.tier_money;
    let value = |units: u128| money.units.decimal(units, money.step.scale());
    // The tier's voucher limit and value limit come first among its limits.
    let count_position = tier_money.count_limits().first().map_or(0, |(at, _)| *at);
    let value_position = tier_money.value_limits().first().map_or(0, |(at, _)| *at);
    let category = situation.category;
    Facts {
        severity: situation.severity,
        severity_from: situation.severity_from,
        claim_measured_from: situation.claim_start,
        claim_elapsed_seconds: situation.claim_elapsed_seconds,
        claim_window: situation.claim_window,
        vouchers_in_count_window: history.vouchers_in(count_position),
        count_limit: situation.tier.voucher_limit,
        count_window: policy.count_window(),
        value_used: value(history.value_in(value_position)),
        value_limit: situation.tier.value_limit,
        value_left: value(u128::from(situation.value_left)),
        value_window: policy.value_window(),
        vouchers_in_minor_cooldown: history.vouchers_in(windows.cooldown),
        minor_cooldown: policy.minor_cooldown(),
        minor_vouchers_in_pattern_window: history.minor_vouchers_in(windows.pattern),
        pattern_threshold: policy.repeated_minor().threshold,
        pattern_window: policy.repeated_minor().window,
        order_total: request.order.total,
        severity_rate: category
            .and_then(|category| category.rate)
            .unwrap_or_else(|| policy.severity_rates().rate(situation.severity)),
        loyalty_multiplier: situation.tier.multiplier,
        policy_amount: amounts.policy_amount,
        requested_amount: request.requested_amount,
        final_amount: amounts.final_amount,
        agent_authority: value(u128::from(situation.acting.authority)),
        daily_budget_left: situation
            .acting
            .budget_left
            .map(|left| value(u128::from(left))),
        maximum_share: category
            .and_then(|category| category.maximum_share)
            .or_else(|| policy.maximum_share().share(situation.severity)),
        further_limits: further_limits(situation),
        account: situation.account_age.map(|age| {
            let young = policy.young_accounts();
            AccountFacts {
                age_seconds: age.num_seconds(),
                young: situation.young,
                younger_than: young.map(|young| young.younger_than),
                vouchers_ever: history.vouchers_ever,
                lifetime_vouchers: young.and_then(|young| young.lifetime_vouchers),
            }
        }),
        evidence: situation.evidence_timing.map(|timing| EvidenceFacts {
            elapsed_seconds: timing.elapsed.num_seconds(),
            within: timing.within,
        }),
        waived: findings.waived,
    }
}

/// The facts of the tier's limits beyond its voucher limit and its value limit, with what the
/// history used of each.
// Inlined: built where the verdict is, as a call returning them would have the whole verdict
// built aside and copied.
#[inline(always)]
fn further_limits(situation: &Situation<'_>) -> LimitFacts {
    if !situation.tier_money.has_further_limits() {
        return LimitFacts::default();
    }
    let history = &situation.history;
    let money = &situation.prepared.money;
    let windows = &situation.prepared.windows;
    let window = |position: usize| {
        windows
            .spans()
            .get(position)
            .map_or(situation.policy.count_window(), |span| span.window)
    };
    let tier_money = situation.tier_money;
    let counts = tier_money
        .count_limits()
        .iter()
        .skip(1)
        .map(|(position, limit)| LimitFact::Vouchers {
            window: window(*position),
            limit: *limit,
            used: history.vouchers_in(*position),
        });
    let values = tier_money
        .value_limits()
        .iter()
        .skip(1)
        .map(|(position, limit)| LimitFact::Value {
            window: window(*position),
            limit: money.units.decimal(u128::from(*limit), money.step.scale()),
            used: money
                .units
                .decimal(history.value_in(*position), money.step.scale()),
        });
    LimitFacts::of(counts.chain(values))
}
