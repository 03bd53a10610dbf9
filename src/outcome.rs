//! The three ways a request can end.

use serde::{Deserialize, Serialize};

use crate::checks::{Amounts, Findings};
use crate::reason::ReasonKind;
use crate::situation::Situation;
use crate::{Alternatives, EscalationTarget, Facts, Reason, Reasons, Recommendation, Verdict};

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

/// Derives the verdict from what the checks found: any safety or conduct escalation wins (most
/// serious target first); else any refusal refuses; else an amount above the agent's authority
/// escalates to a supervisor; else the voucher is granted.
#[inline(always)]
pub(crate) fn derive(situation: &Situation<'_>, findings: &Findings) -> Verdict {
    let fired = findings.reasons;
    let refusals = fired.intersection(REFUSALS);

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

    let safety = fired.intersection(ESCALATIONS);
    let escalate_to = safety
        .iter()
        .filter_map(escalation_target)
        .reduce(EscalationTarget::most_serious)
        .or_else(|| {
            merits_reasons
                .contains(Reason::AboveAgentAuthority)
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
        facts: facts(situation, &findings.amounts),
        policy: situation.policy.id(),
        placement: situation.placement,
    }
}

/// Who a safety or conduct escalation goes to.
fn escalation_target(reason: Reason) -> Option<EscalationTarget> {
    match reason {
        Reason::PhysicalThreat => Some(EscalationTarget::Security),
        Reason::LegalThreat => Some(EscalationTarget::Legal),
        Reason::CriticalComplaint | Reason::SupervisorRequested => {
            Some(EscalationTarget::Supervisor)
        }
        _ => None,
    }
}

/// The numbers the checks looked at, and the amount step by step.
#[inline(always)]
fn facts(situation: &Situation<'_>, amounts: &Amounts) -> Facts {
    let policy = situation.policy;
    let history = &situation.history;
    let request = situation.request;
    let money = &situation.prepared.money;
    Facts {
        severity: situation.severity,
        severity_from: situation.severity_from,
        claim_measured_from: situation.claim_start,
        claim_elapsed_seconds: situation.claim_elapsed_seconds,
        claim_window: policy.claim_window(),
        vouchers_in_count_window: history.vouchers_in_count_window,
        count_limit: situation.tier.voucher_limit,
        count_window: policy.count_window(),
        value_used: money.units.decimal(history.value_used, money.step.scale()),
        value_limit: situation.tier.value_limit,
        value_left: money
            .units
            .decimal(u128::from(situation.value_left), money.step.scale()),
        value_window: policy.value_window(),
        vouchers_in_minor_cooldown: history.vouchers_in_minor_cooldown,
        minor_cooldown: policy.minor_cooldown(),
        minor_vouchers_in_pattern_window: history.minor_vouchers_in_pattern_window,
        pattern_threshold: policy.repeated_minor().threshold,
        pattern_window: policy.repeated_minor().window,
        order_total: request.order.total,
        severity_rate: policy.severity_rates().rate(situation.severity),
        loyalty_multiplier: situation.tier.multiplier,
        policy_amount: amounts.policy_amount,
        requested_amount: request.requested_amount,
        final_amount: amounts.final_amount,
        agent_authority: policy.agent_authority(),
    }
}
