//! Step 5, the amount: what the policy gives, what the customer asked for, what the value window
//! leaves, and whether the agent may grant it alone.

use rust_decimal::Decimal;

use crate::exact::product_rounded_down;
use crate::situation::Situation;
use crate::{Reason, Reasons, round_down_to_step};

/// The voucher amount, step by step.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Amounts {
    /// Order total x severity rate x loyalty multiplier, rounded down to the step, clamped to
    /// the minimum and maximum voucher, never above the order total.
    pub policy_amount: Decimal,
    /// After the customer's request and the value window.
    pub final_amount: Decimal,
    /// `reduced_to_policy_amount`, `reduced_to_value_limit`, `above_agent_authority`.
    pub reasons: Reasons,
}

pub(super) fn check(situation: &Situation<'_>) -> Amounts {
    let policy = situation.policy;
    let step = policy.step();
    let floor = |amount: Decimal| round_down_to_step(amount, step).unwrap_or(Decimal::ZERO);
    let total = situation.request.order.total;
    let rate = policy.severity_rates().rate(situation.severity);
    // Exact, however many digits the product has; too large for a decimal can only mean an
    // amount far above the maximum voucher, where the clamp lands.
    let computed =
        product_rounded_down(total, rate, situation.tier.multiplier, step).unwrap_or(Decimal::MAX);
    // Rounded once more so a clamped amount is written at the step's scale too (2.00, not 2).
    let policy_amount = floor(
        computed
            .clamp(policy.minimum_voucher(), policy.maximum_voucher())
            .min(floor(total)),
    );

    let mut reasons = Reasons::new();
    let mut amount = policy_amount;
    if let Some(requested) = situation.request.requested_amount {
        if requested > policy_amount {
            reasons.insert(Reason::ReducedToPolicyAmount);
        } else {
            amount = floor(requested);
        }
    }
    let value_left = floor(situation.history.value_left(situation.tier));
    if amount > value_left && value_left >= policy.minimum_voucher() {
        amount = value_left;
        reasons.insert(Reason::ReducedToValueLimit);
    }
    if amount > policy.agent_authority() {
        reasons.insert(Reason::AboveAgentAuthority);
    }
    Amounts {
        policy_amount,
        final_amount: amount,
        reasons,
    }
}
